/**
 * Several kernels at once: each checked by the name it is shown by, and the findings of one
 * document in each kernel merged into one list, as a driver author wants them: a finding
 * that holds in every kernel once, one that holds in some once too, saying in which and
 * what the others have instead (`... symbol 'x' (in 6.12.117; exported with EXPORT_SYMBOL in
 * 6.1.192)`).
 */
import type { Finding } from './checks/types';
import type { KernelIndex } from './kernel/index';

/** A kernel of a set, with its label ("6.12.117", or the user's own). */
export interface LabeledKernel {
	label: string;
	index: KernelIndex;
}

/** A finding of a set of kernels: the labels of those it holds in, in the set's order. */
export interface KernelFinding extends Finding {
	kernels: string[];
}

const keyOf = (f: Finding) =>
	`${f.code}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.subject ?? f.message}`;

/** How the export a finding is about stands in a kernel where the finding does not hold. */
function standing(f: Finding, holds: KernelIndex, other: LabeledKernel): string {
	if (f.symbol === undefined) return `not in ${other.label}`;
	const there = other.index.exportOf(f.symbol);
	if (!there) return `not exported in ${other.label}`;
	const here = holds.exportOf(f.symbol);
	// Where the namespace is what differs, its absence is worth saying.
	const ns = there.namespace ? ` in namespace ${there.namespace}` : here?.namespace ? ' (no namespace)' : '';
	const how = `${there.macro}${ns}`;
	// The same export: what differs is what the module compiles for that kernel (#if, .config).
	if (here && here.macro === there.macro && here.namespace === there.namespace) return `exported the same way in ${other.label}, whose build of the module differs`;
	return `exported with ${how} in ${other.label}`;
}

/**
 * One document's findings in each kernel (`perKernel[i]` for `kernels[i]`) as one list:
 * identical findings (code, range, subject) once, in the order first seen. A finding that
 * holds in some kernels only has them in its message, after its subject.
 */
export function mergeAcrossKernels(kernels: readonly LabeledKernel[], perKernel: readonly (readonly Finding[])[]): KernelFinding[] {
	const merged = new Map<string, { finding: Finding; holds: Set<number> }>();
	perKernel.forEach((findings, i) => {
		for (const f of findings) {
			const key = keyOf(f);
			const known = merged.get(key);
			if (known) known.holds.add(i);
			else merged.set(key, { finding: f, holds: new Set([i]) });
		}
	});
	const out = [...merged.values()].map(({ finding, holds }): KernelFinding => {
		const labels = kernels.filter((_, i) => holds.has(i)).map((k) => k.label);
		if (holds.size === kernels.length) return { ...finding, kernels: labels };
		const first = kernels[Math.min(...holds)].index;
		const others = kernels.filter((_, i) => !holds.has(i)).map((k) => standing(finding, first, k));
		const note = ` (in ${labels.join(', ')}; ${others.join('; ')})`;
		const subject = finding.subject ?? finding.message;
		const message = finding.message.startsWith(subject)
			? subject + note + finding.message.slice(subject.length)
			: `${finding.message}${note}`;
		return { ...finding, message, kernels: labels };
	});
	// Several kernels' findings interleave: in document order (stable, so one kernel's order stays).
	if (kernels.length > 1) out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
	return out;
}
