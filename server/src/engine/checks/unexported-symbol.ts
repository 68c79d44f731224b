/**
 * unexported-symbol: a module uses a function that the kernel defines but does not export.
 * Nothing can link it into a module: modpost says `"%s" [%s.ko] undefined!`. Needs the
 * function index (it is silent until the index's function pass has finished). A header
 * macro is never such a use (engine/uses.ts), whatever its name.
 *
 * A headers tree defines no function outside its headers: there the question is whether
 * the headers declare the function (a prototype on a compiled line; not a static inline,
 * not a macro) while Module.symvers does not list it, which is what modpost reports.
 */
import { activeDefinition, activeExport, macroVerdict } from '../inline-reach';
import { headerDeclaration } from '../headers/declarations';
import type { KernelIndex } from '../kernel/index';
import type { SymbolUse } from '../syntax/facts';
import { kernelUses } from '../uses';
import type { Check, Finding, ModuleContext } from './types';
import { koName } from './types';

/** A use of `name` that a headers tree's prototypes declare and its Module.symvers does not export. */
function undeclaredExport(kernel: KernelIndex, module: ModuleContext, use: SymbolUse): Finding | undefined {
	if (kernel.exports.has(use.name)) return undefined;
	if (macroVerdict(kernel, use.name).kind !== 'none' || activeDefinition(kernel, use.name).kind !== 'extern') return undefined;
	const decl = headerDeclaration(kernel, use.name);
	if (!decl) return undefined;
	return {
		code: 'unexported-symbol',
		severity: 'error',
		subject: `"${use.name}" [${koName(module)}] undefined!`,
		symbol: use.name,
		message:
			`"${use.name}" [${koName(module)}] undefined!: the kernel's headers declare ${use.name}() (${decl.file}:${decl.line + 1}) ` +
			`but this build's Module.symvers does not export it, so no module can link against it. Use an exported interface instead.`,
		range: use.range,
		related: [
			{
				location: {
					file: kernel.absolutePath(decl.file),
					range: { start: { line: decl.line, character: decl.character }, end: { line: decl.line, character: decl.character + use.name.length } },
				},
				message: `${use.name} is declared here; Module.symvers has no export of it`,
			},
		],
	};
}

export const unexportedSymbol: Check = {
	meta: {
		code: 'unexported-symbol',
		severity: 'error',
		description: 'A module uses a kernel function that is not exported.',
	},
	run({ file, facts, module, kernel }) {
		if (!module || module.kind === 'builtin' || !kernel.ready.functions) return [];
		const findings: Finding[] = [];
		const verdicts = new Map<string, ReturnType<typeof kernel.definitionsOf>[number] | undefined>();
		for (const { use, macro } of kernelUses(file, facts, module, kernel)) {
			// A name a macro body merely mentions may be a field or a pasted piece; a call is a call.
			if (macro || activeExport(kernel, use.name, module) || (use.viaMacro !== undefined && use.kind === 'reference')) continue;
			if (kernel.kind === 'headers') {
				const finding = undeclaredExport(kernel, module, use);
				if (finding) findings.push(finding);
				continue;
			}
			let def = verdicts.get(use.name);
			if (!verdicts.has(use.name)) {
				const defs = kernel.definitionsOf(use.name);
				// A header definition (static inline, or a per-arch variant) is what the module
				// compiles against; only a name defined in .c/.S files alone cannot link, and only
				// when this build compiles one of them (another arch's or an unbuilt file's
				// definition says nothing about what the module links against).
				const linkable = defs.length > 0 && defs.every((d) => !d.isStatic && !d.file.endsWith('.h'));
				def = linkable ? defs.find((d) => kernel.unitOfFile.has(d.file)) : undefined;
				verdicts.set(use.name, def);
			}
			if (!def) continue;
			findings.push({
				code: 'unexported-symbol',
				severity: 'error',
				subject: `"${use.name}" [${koName(module)}] undefined!`,
				symbol: use.name,
				message:
					`"${use.name}" [${koName(module)}] undefined!: the kernel defines ${use.name}() (${def.file}:${def.line + 1}) ` +
					(kernel.exports.has(use.name)
						? `but exports it only under options this build's .config leaves out, so no module of this build can link against it.`
						: `but does not export it, so no module can link against it.`) +
					` Use an exported interface instead.`,
				range: use.range,
				related: [
					{
						location: {
							file: kernel.absolutePath(def.file),
							range: { start: { line: def.line, character: def.character }, end: { line: def.line, character: def.character + use.name.length } },
						},
						message: `${use.name} is defined here, without EXPORT_SYMBOL`,
					},
				],
			});
		}
		return findings;
	},
};
