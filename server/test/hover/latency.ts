/** Hover latency over a warm index: every needle hovered in turn, `rounds` hovers in all. */
import { performance } from 'node:perf_hooks';
import { hoverAt } from '../../src/engine/hover/index';
import { positionOf, type Doc } from './hover-helper';

export function measureHovers(doc: Doc, needles: [string, number][], rounds = 200): { median: number; p95: number; max: number } {
	const inputs = needles.map(([needle, offset]) => doc.input(positionOf(doc.text, needle, offset)));
	// Warm: headers read and parsed once, and the JIT past its first calls, as in a running server.
	for (let i = 0; i < 3; i++) for (const input of inputs) hoverAt(input);
	const times: number[] = [];
	for (let i = 0; i < rounds; i++) {
		const input = inputs[i % inputs.length];
		const start = performance.now();
		hoverAt(input);
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
	return { median: at(0.5), p95: at(0.95), max: times[times.length - 1] };
}

/** A GPL driver's hover targets: fields, enumerators, functions, the struct, the license. */
export const GPL_DRIVER = `#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/module.h>

static struct dev_pagemap drv_pgmap = {
	.type = MEMORY_DEVICE_PRIVATE,
	.nr_range = 1,
};

static int drv_map(struct device *dev, struct dev_pagemap *pgmap, struct hmm_range *range)
{
	pgmap->altmap.free = 0;
	pgmap->flags |= PGMAP_ALTMAP_VALID;
	pgmap->range.start = 0;
	if (hmm_range_fault(range))
		return -EBUSY;
	return PTR_ERR_OR_ZERO(devm_memremap_pages(dev, pgmap));
}
MODULE_LICENSE("GPL");
`;

export const GPL_DRIVER_TARGETS: [string, number][] = [
	['altmap.free', 2],
	['altmap.free', 8],
	['MEMORY_DEVICE_PRIVATE', 3],
	['devm_memremap_pages', 3],
	['hmm_range_fault', 3],
	['dev_pagemap drv_pgmap', 3],
	['.type', 2],
	['PGMAP_ALTMAP_VALID', 3],
	['range.start', 2],
	['MODULE_LICENSE', 3],
];
