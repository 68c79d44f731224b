// SPDX-License-Identifier: GPL-2.0
/*
 * toygpu device memory: on-board VRAM appears as MEMORY_DEVICE_PRIVATE
 * pages. The CPU cannot read them, so a CPU fault migrates the data
 * back to a system page.
 */
#include <linux/container_of.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "toygpu.h"

struct toygpu_dmem_chunk {
	struct dev_pagemap	pagemap;
	struct toygpu_device	*tdev;
	unsigned long		free_pages;
};

static struct toygpu_dmem_chunk *toygpu_page_to_chunk(struct page *page)
{
	return container_of(page->pgmap, struct toygpu_dmem_chunk, pagemap);
}

static void toygpu_page_free(struct page *page)
{
	struct toygpu_dmem_chunk *chunk = toygpu_page_to_chunk(page);

	page->zone_device_data = NULL;
	chunk->free_pages++;
}

/* Copy one VRAM page into a freshly allocated system page. */
static int toygpu_copy_to_host(struct toygpu_dmem_chunk *chunk,
			       struct migrate_vma *args)
{
	struct page *spage = migrate_pfn_to_page(args->src[0]);
	struct page *dpage;

	if (!spage || !(args->src[0] & MIGRATE_PFN_MIGRATE))
		return 0;

	dpage = alloc_page(GFP_HIGHUSER);
	if (!dpage)
		return -ENOMEM;

	dpage->private = (unsigned long)spage->zone_device_data;
	args->dst[0] = migrate_pfn(page_to_pfn(dpage));
	return 0;
}

static vm_fault_t toygpu_migrate_to_ram(struct vm_fault *vmf)
{
	struct toygpu_dmem_chunk *chunk = toygpu_page_to_chunk(vmf->page);
	unsigned long src = 0, dst = 0;
	struct migrate_vma args = {
		.vma		= vmf->vma,
		.start		= vmf->address,
		.end		= vmf->address + PAGE_SIZE,
		.src		= &src,
		.dst		= &dst,
		.pgmap_owner	= chunk->tdev,
		.flags		= MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
		.fault_page	= vmf->page,
	};
	vm_fault_t ret = 0;

	if (migrate_vma_setup(&args) < 0)
		return VM_FAULT_SIGBUS;

	if (args.cpages) {
		if (toygpu_copy_to_host(chunk, &args))
			ret = VM_FAULT_OOM;
		migrate_vma_pages(&args);
	}
	migrate_vma_finalize(&args);
	return ret;
}

static const struct dev_pagemap_ops toygpu_dmem_ops = {
	.page_free	= toygpu_page_free,
	.migrate_to_ram	= toygpu_migrate_to_ram,
};

int toygpu_dmem_init(struct toygpu_device *tdev)
{
	struct device *dev = &tdev->pdev->dev;
	struct toygpu_dmem_chunk *chunk;
	struct resource *res;
	void *ptr;

	chunk = kzalloc(sizeof(*chunk), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;

	res = devm_request_free_mem_region(dev, &iomem_resource,
					   TOYGPU_DMEM_SIZE);
	if (IS_ERR(res)) {
		kfree(chunk);
		return PTR_ERR(res);
	}

	chunk->tdev = tdev;
	chunk->free_pages = TOYGPU_DMEM_SIZE >> PAGE_SHIFT;
	chunk->pagemap.type = MEMORY_DEVICE_PRIVATE;
	chunk->pagemap.range.start = res->start;
	chunk->pagemap.range.end = res->end;
	chunk->pagemap.nr_range = 1;
	chunk->pagemap.ops = &toygpu_dmem_ops;
	chunk->pagemap.owner = tdev;

	ptr = memremap_pages(&chunk->pagemap, dev_to_node(dev));
	if (IS_ERR(ptr)) {
		kfree(chunk);
		return PTR_ERR(ptr);
	}

	tdev->chunk = chunk;
	return 0;
}

void toygpu_dmem_fini(struct toygpu_device *tdev)
{
	if (!tdev->chunk)
		return;
	memunmap_pages(&tdev->chunk->pagemap);
	kfree(tdev->chunk);
	tdev->chunk = NULL;
}
