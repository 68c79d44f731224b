// Out-of-tree modules the benchmark writes into a temporary directory: kernel-style C that
// calls real 6.1 exports (GPL-only, plain and namespaced ones), so the checks have real work.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Exports of 6.1 and how to call them; `gpl` marks EXPORT_SYMBOL_GPL / _NS_GPL ones. */
const CALLS = [
	{ gpl: true, code: 'res = devm_request_free_mem_region(dev, &iomem_resource, size);' },
	{ gpl: true, code: 'addr = devm_memremap_pages(dev, &priv->pgmap);' },
	{ gpl: true, code: 'addr = memremap_pages(&priv->pgmap, NUMA_NO_NODE);' },
	{ gpl: true, code: 'memunmap_pages(&priv->pgmap);' },
	{ gpl: true, code: 'devm_memunmap_pages(dev, &priv->pgmap);' },
	{ gpl: true, code: 'zone_device_page_init(page);' },
	{ gpl: true, code: 'pgmap = get_dev_pagemap(pfn, NULL);' },
	{ gpl: true, code: 'buf = devm_kmalloc(dev, size, GFP_KERNEL);' },
	{ gpl: true, code: 'dmabuf = dma_buf_get(fd);' },
	{ gpl: true, code: 'dma_buf_put(dmabuf);' },
	{ gpl: false, code: 'ret = hmm_range_fault(&range);' },
	{ gpl: false, code: 'ret = migrate_vma_setup(&migrate);' },
	{ gpl: false, code: 'migrate_vma_pages(&migrate);' },
	{ gpl: false, code: 'migrate_vma_finalize(&migrate);' },
	{ gpl: false, code: 'buf = __kmalloc(size, GFP_KERNEL);' },
	{ gpl: false, code: 'kfree(buf);' },
	{ gpl: false, code: 'mutex_lock(&priv->lock);' },
	{ gpl: false, code: 'mutex_unlock(&priv->lock);' },
	{ gpl: false, code: 'page = alloc_pages(GFP_HIGHUSER, 0);' },
	{ gpl: false, code: '__free_pages(page, 0);' },
	{ gpl: false, code: 'vaddr = dma_alloc_attrs(dev, size, &handle, GFP_KERNEL, 0);' },
	{ gpl: false, code: 'dma_free_attrs(dev, size, vaddr, handle, 0);' },
	{ gpl: false, code: 'msleep(10);' },
	{ gpl: false, code: 'complete(&priv->done);' },
	{ gpl: false, code: 'wait_for_completion(&priv->done);' },
	{ gpl: false, code: 'ret = pci_enable_device(pdev);' },
	{ gpl: false, code: 'pci_set_master(pdev);' },
	{ gpl: false, code: 'regs = pci_iomap(pdev, 0, 0);' },
	{ gpl: false, code: 'pci_disable_device(pdev);' },
	{ gpl: false, code: 'ret = request_threaded_irq(irq, NULL, handler, IRQF_ONESHOT, "bench", priv);' },
	{ gpl: false, code: 'free_irq(irq, priv);' },
	{ gpl: false, code: 'queue_work_on(WORK_CPU_UNBOUND, system_wq, &priv->work);' },
];

const HEADER = `// SPDX-License-Identifier: LicenseRef-Proprietary
/*
 * A device-memory driver written for the kmm benchmark: kernel style, real 6.1 exports.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/hmm.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/dma-mapping.h>
#include <linux/dma-buf.h>
#include <linux/workqueue.h>
#include <linux/completion.h>
#include <linux/mutex.h>
`;

const STRUCT = `
struct bench_priv {
	struct dev_pagemap pgmap;
	struct mutex lock;
	struct completion done;
	struct work_struct work;
	struct resource *res;
	void __iomem *regs;
	unsigned long flags;
};
`;

/** One function of about `lines` lines named `name`, calling `count` exports from `offset`. */
function fn(name, k, offset, count, isStatic) {
	const body = [];
	body.push(`${isStatic ? 'static ' : ''}int ${name}(struct device *dev, struct pci_dev *pdev, struct bench_priv *priv,`);
	body.push(`\t\tunsigned long pfn, int fd, int irq, size_t size)`);
	body.push('{');
	body.push('\tstruct resource *res;');
	body.push('\tstruct dev_pagemap *pgmap;');
	body.push('\tstruct dma_buf *dmabuf;');
	body.push('\tstruct hmm_range range = { 0 };');
	body.push('\tstruct migrate_vma migrate = { 0 };');
	body.push('\tstruct page *page = NULL;');
	body.push('\tvoid __iomem *regs;');
	body.push('\tvoid *addr, *buf, *vaddr;');
	body.push('\tdma_addr_t handle;');
	body.push('\tint ret = 0;');
	body.push('');
	body.push(`\t/* tick 0 of ${name} */`);
	for (let j = 0; j < count; j++) {
		const call = CALLS[(offset + j) % CALLS.length];
		if (j % 4 === 3) {
			body.push(`\tif (ret < 0)`);
			body.push(`\t\tgoto out;`);
		}
		body.push(`\t${call.code}`);
	}
	body.push(`\tpriv->flags |= ${k % 31};`);
	body.push('out:');
	body.push('\treturn ret;');
	body.push('}');
	body.push('');
	return body;
}

/**
 * A Proprietary-licensed module of one file of about `lines` lines; returns the file and
 * where the one-character edits go (the `0` of each `tick 0` comment).
 */
export function writeBigDriver(dir, lines = 5000) {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'Kbuild'), 'obj-m := bigdrv.o\n');
	const out = [...HEADER.split('\n'), ...STRUCT.split('\n')];
	for (let k = 0; out.length < lines - 20; k++) out.push(...fn(`bigdrv_step_${k}`, k, k * 5, 8, k % 3 !== 0));
	out.push('static int __init bigdrv_init(void)', '{', '\treturn 0;', '}', '', 'static void __exit bigdrv_exit(void)', '{', '}', '');
	out.push('module_init(bigdrv_init);', 'module_exit(bigdrv_exit);', 'MODULE_LICENSE("Proprietary");', 'MODULE_DESCRIPTION("kmm benchmark driver");');
	const text = out.join('\n') + '\n';
	const ticks = [];
	out.forEach((l, line) => {
		const c = l.indexOf('tick 0');
		if (c >= 0) ticks.push({ line, character: c + 5 });
	});
	const file = join(dir, 'bigdrv.c');
	writeFileSync(file, text);
	return { file, text, lines: out.length, ticks };
}

/** A GPL module using the ZONE_DEVICE API; returns the file and the hover positions. */
export function writeGplDriver(dir) {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'Kbuild'), 'obj-m := zdev.o\n');
	const text = `// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include <linux/memremap.h>
#include <linux/hmm.h>
#include <linux/mm.h>

struct zdev {
	struct dev_pagemap pgmap;
	struct device *dev;
};

static void zdev_page_free(struct page *page)
{
}

static const struct dev_pagemap_ops zdev_ops = {
	.page_free = zdev_page_free,
};

static int zdev_probe(struct zdev *z, struct resource *res)
{
	struct dev_pagemap *pgmap = &z->pgmap;
	void *addr;

	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->range.start = res->start;
	pgmap->range.end = res->end;
	pgmap->nr_range = 1;
	pgmap->ops = &zdev_ops;
	pgmap->owner = z;
	if (pgmap->altmap.free)
		return -EINVAL;
	addr = devm_memremap_pages(z->dev, pgmap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	return 0;
}

static int zdev_fault(struct hmm_range *range)
{
	return hmm_range_fault(range);
}

MODULE_LICENSE("GPL");
`;
	const file = join(dir, 'zdev.c');
	writeFileSync(file, text);
	const lines = text.split('\n');
	const at = (needle, nth = 0, delta = 0) => {
		let seen = 0;
		for (let line = 0; line < lines.length; line++) {
			const c = lines[line].indexOf(needle);
			if (c >= 0 && seen++ === nth) return { line, character: c + delta };
		}
		throw new Error(`bench: ${needle} not in the GPL driver`);
	};
	return {
		file,
		text,
		hovers: {
			devm_memremap_pages: at('devm_memremap_pages(', 0, 2),
			altmap: at('altmap.free', 0, 2),
			MEMORY_DEVICE_PRIVATE: at('MEMORY_DEVICE_PRIVATE', 0, 3),
			'struct dev_pagemap': at('struct dev_pagemap pgmap', 0, 9),
			hmm_range_fault: at('hmm_range_fault(', 0, 2),
		},
		callSite: at('devm_memremap_pages(', 0, 2),
	};
}

/** A Proprietary module of `files` files (Kbuild composite object), about `lines` lines each. */
export function writeMultiFileModule(dir, files = 20, lines = 250) {
	mkdirSync(dir, { recursive: true });
	const objs = [];
	for (let f = 1; f <= files; f++) {
		const name = `part${String(f).padStart(2, '0')}`;
		objs.push(`${name}.o`);
		const out = [...HEADER.split('\n'), ...STRUCT.split('\n')];
		for (let k = 0; out.length < lines; k++) out.push(...fn(`multi_${name}_${k}`, k, f * 7 + k * 3, 8, k % 2 === 0));
		if (f === 1) out.push('MODULE_LICENSE("Proprietary");');
		writeFileSync(join(dir, `${name}.c`), out.join('\n') + '\n');
	}
	writeFileSync(join(dir, 'Kbuild'), `obj-m := multi.o\nmulti-y := ${objs.join(' ')}\n`);
	return { dir, files };
}
