/**
 * The #include lines a migrated file needs: <linux/memremap.h> once it names the
 * ZONE_DEVICE API (struct dev_pagemap, MEMORY_DEVICE_*, devm_memremap_pages, …), and no
 * <linux/hmm.h> once nothing of it is left (6.1's hmm.h: hmm_range_fault, struct
 * hmm_range, HMM_PFN_*, hmm_pfn_to_*; and the old API while some of it remains). The new
 * line goes into the file's block of <linux/…> includes at its sorted place.
 */
import type { Edit } from './types';

const NEEDS_MEMREMAP = /\b(dev_pagemap|dev_pagemap_ops|MEMORY_DEVICE_[A-Z_0-9]+|devm_memremap_pages|devm_memunmap_pages|memremap_pages|memunmap_pages)\b/;
const HMM_NAMES = /\b(hmm_range\w*|hmm_pfn\w*|HMM_[A-Z_0-9]+|hmm_vma_\w+|hmm_devmem\w*|hmm_mirror\w*|hmm_update\w*)\b/;
const INCLUDE_RE = /^#\s*include\s*<linux\/([^>]+)>/;

function code(text: string): string {
	return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

/** Edits (offsets of the original text) that fix the includes, given the text after migration. */
export function includeEdits(file: string, original: string, migrated: string): Edit[] {
	if (original === migrated) return [];
	const lines = original.split('\n');
	const offsets: number[] = [];
	let off = 0;
	for (const l of lines) {
		offsets.push(off);
		off += l.length + 1;
	}
	const body = code(migrated.split('\n').filter((l) => !INCLUDE_RE.test(l)).join('\n'));
	const has = (name: string) => lines.findIndex((l) => INCLUDE_RE.exec(l)?.[1] === name);
	const hmmLine = has('hmm.h');
	const edits: Edit[] = [];
	const dropHmm = hmmLine >= 0 && !HMM_NAMES.test(body);
	if (NEEDS_MEMREMAP.test(body) && has('memremap.h') < 0) {
		// The block of <linux/…> lines around hmm.h, else the first such block.
		let anchor = hmmLine >= 0 ? hmmLine : lines.findIndex((l) => INCLUDE_RE.test(l));
		let at: number;
		if (anchor < 0) {
			const lastInclude = lines.reduce((last, l, i) => (/^#\s*include\b/.test(l) ? i : last), -1);
			at = lastInclude + 1;
		} else {
			while (anchor > 0 && INCLUDE_RE.test(lines[anchor - 1])) anchor--;
			at = anchor;
			while (at < lines.length && INCLUDE_RE.test(lines[at]) && INCLUDE_RE.exec(lines[at])![1] < 'memremap.h') at++;
		}
		const pos = offsets[Math.min(at, lines.length - 1)] ?? original.length;
		edits.push({ file, start: pos, end: pos, text: '#include <linux/memremap.h>\n' });
	}
	if (dropHmm) edits.push({ file, start: offsets[hmmLine], end: offsets[hmmLine] + lines[hmmLine].length + 1, text: '' });
	return edits;
}
