/**
 * What a module's document links against: its uses read through the macros visible to it.
 * A document names many things that are no function of the kernel: macros (the document's,
 * its module's and its headers', the kernel's `max` or `ilog2`), pieces of macro arguments
 * that a macro pastes or stringifies (`LOOP_ATTR_RO(backing_file)`), and the module's own
 * definitions. The checks that ask "which kernel symbols does this module use" all ask here.
 */
import type { ModuleContext } from './checks/types';
import { argumentReaches, macroVerdict, type MacroText } from './inline-reach';
import type { ExportRecord, KernelIndex } from './kernel/index';
import { traceEventUses } from './trace-events';
import { expandMacro, type DocumentFacts, type MacroReach, type SymbolUse } from './syntax/facts';

/** A use of a kernel symbol, or of a kernel header macro (`macro`), which a check follows. */
export interface KernelUse {
	use: SymbolUse;
	/** The name is a header macro: what links is what it expands to. */
	macro: boolean;
}

/** One analysis's answers, per facts object: three checks ask for the same list on every edit. */
const memo = new WeakMap<DocumentFacts, { file: string; module: ModuleContext | undefined; kernel: KernelIndex; uses: KernelUse[] }[]>();

/**
 * The document's uses that reach the kernel, in document order. A reference inside the
 * arguments of a macro counts only if it is also called (`max(a, f(b))` keeps `f`).
 */
export function kernelUses(file: string, facts: DocumentFacts, module: ModuleContext | undefined, kernel: KernelIndex): KernelUse[] {
	const known = memo.get(facts) ?? [];
	const hit = known.find((k) => k.file === file && k.module === module && k.kernel === kernel);
	if (hit) return hit.uses;
	const uses = computeKernelUses(file, facts, module, kernel);
	known.push({ file, module, kernel, uses });
	memo.set(facts, known);
	return uses;
}

function computeKernelUses(file: string, facts: DocumentFacts, module: ModuleContext | undefined, kernel: KernelIndex): KernelUse[] {
	const own = new Set(module?.files.map((f) => kernel.relativePath(f)));
	// A module's own exports (variables too, which `definitions` does not list) link inside it.
	const ownExport = (name: string) => own.size > 0 && (kernel.exports.get(name)?.some((e) => own.has(e.file)) ?? false);
	// The index's scanner also reads definitions the document's parse misses (`BPF_CALL_1(f, …)`).
	const ownDefinition = (name: string) => own.size > 0 && kernel.definitionsOf(name).some((d) => own.has(d.file));
	const isLocal = new Map<string, boolean>();
	// A painted name is no macro, whoever defines a macro of that name.
	const local = ({ name, painted }: SymbolUse): boolean => {
		const key = painted ? `\0${name}` : name;
		let known = isLocal.get(key);
		if (known === undefined) {
			known =
				(!painted && facts.macros.has(name)) ||
				facts.functions.has(name) ||
				facts.variables.has(name) ||
				((module?.definitions.has(name) ?? false) && !(painted && module?.macros.has(name))) ||
				ownExport(name) ||
				ownDefinition(name);
			isLocal.set(key, known);
		}
		return known;
	};
	const isMacro = new Map<string, boolean>();
	const macro = (name: string): boolean => {
		let known = isMacro.get(name);
		if (known === undefined) {
			known = facts.macros.has(name) || (module?.macros.has(name) ?? false) || macroVerdict(kernel, name).kind !== 'none';
			isMacro.set(name, known);
		}
		return known;
	};
	/** A macro's text; undefined: not a macro; 'unknown': a macro this build cannot pin down. */
	const text = (name: string): MacroText | 'unknown' | undefined => {
		const own = facts.macros.get(name) ?? module?.macros.get(name);
		if (own) return own;
		const verdict = macroVerdict(kernel, name);
		return verdict.kind === 'macro' ? verdict : verdict.kind === 'unknown' ? 'unknown' : undefined;
	};
	const plain = new Map<string, boolean>();
	const out: KernelUse[] = [];
	for (const use of facts.uses) {
		if (local(use)) continue;
		// `pr_info("%ps", f)` passes f on; `LOOP_ATTR_RO(backing_file)` pastes it into new names.
		if (use.kind === 'reference' && use.inArgsOf !== undefined && macro(use.inArgsOf) && !argumentReaches(text, use.inArgsOf, use.argIndex ?? -1, plain)) {
			continue;
		}
		out.push({ use, macro: !use.painted && macro(use.name) });
	}
	// What `#define CREATE_TRACE_POINTS` and a trace header compile into the file.
	for (const use of traceEventUses(file, facts, kernel)) if (!local(use)) out.push({ use, macro: macro(use.name) });
	// The module's own header macros (`#define dax_driver_register(d) __dax_driver_register(…)`).
	if (module) {
		const memo = new Map<string, MacroReach>();
		for (const use of facts.uses) {
			if (!module.macros.has(use.name) || facts.macros.has(use.name)) continue;
			for (const reached of expandMacro((n) => module.macros.get(n), use, memo)) {
				if (!local(reached)) out.push({ use: reached, macro: !reached.painted && macro(reached.name) });
			}
		}
	}
	return out;
}

/** Whether the module itself makes export `exp` (reached through an inline or a macro of its header, say). */
export function isOwnExport(module: ModuleContext, kernel: KernelIndex, exp: ExportRecord): boolean {
	return module.files.some((f) => kernel.relativePath(f) === exp.file);
}
