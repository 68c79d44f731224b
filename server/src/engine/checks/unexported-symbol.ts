/**
 * unexported-symbol: a module uses a function that the kernel defines but does not export.
 * Nothing can link it into a module: modpost says `"%s" [%s.ko] undefined!`. Needs the
 * function index (it is silent until the index's function pass has finished).
 */
import type { Check, Finding } from './types';
import { koName } from './types';

export const unexportedSymbol: Check = {
	meta: {
		code: 'unexported-symbol',
		severity: 'error',
		description: 'A module uses a kernel function that is not exported.',
	},
	run({ facts, module, kernel }) {
		if (!module || module.kind === 'builtin' || !kernel.ready.functions) return [];
		const findings: Finding[] = [];
		const verdicts = new Map<string, ReturnType<typeof kernel.definitionsOf>[number] | undefined>();
		for (const use of facts.uses) {
			if (module.definitions.has(use.name) || kernel.exports.has(use.name)) continue;
			let def = verdicts.get(use.name);
			if (!verdicts.has(use.name)) {
				const defs = kernel.definitionsOf(use.name);
				// A header definition (static inline, or a per-arch variant) is what the module
				// compiles against; only a name defined in .c/.S files alone cannot link.
				def = defs.length > 0 && defs.every((d) => !d.isStatic && !d.file.endsWith('.h')) ? defs[0] : undefined;
				verdicts.set(use.name, def);
			}
			if (!def) continue;
			findings.push({
				code: 'unexported-symbol',
				severity: 'error',
				message:
					`"${use.name}" [${koName(module)}] undefined!: the kernel defines ${use.name}() (${def.file}:${def.line + 1}) ` +
					`but does not export it, so no module can link against it. Use an exported interface instead.`,
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
