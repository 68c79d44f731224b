// SPDX-License-Identifier: GPL-2.0
/*
 * Heterogeneous memory management, device memory half (4.19 layout).
 *
 * hmm_devmem_add() finds a free physical range, claims it and creates
 * MEMORY_DEVICE_PRIVATE struct pages for it. It does so with its own
 * copy of what devm_memremap_pages() does (hmm_devmem_pages_create()).
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/hmm.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/percpu-refcount.h>
#include <linux/radix-tree.h>

struct page *hmm_vma_alloc_locked_page(struct vm_area_struct *vma,
				       unsigned long addr)
{
	struct page *page;

	page = alloc_page_vma(GFP_HIGHUSER, vma, addr);
	if (!page)
		return NULL;
	page->flags |= PG_locked;
	return page;
}
EXPORT_SYMBOL(hmm_vma_alloc_locked_page);

static void hmm_devmem_ref_release(struct percpu_ref *ref)
{
	struct hmm_devmem *devmem = container_of(ref, struct hmm_devmem, ref);

	complete(&devmem->completion);
}

static void hmm_devmem_ref_exit(void *data)
{
	struct hmm_devmem *devmem = data;

	wait_for_completion(&devmem->completion);
	percpu_ref_exit(&devmem->ref);
}

static void hmm_devmem_ref_kill(void *data)
{
	struct hmm_devmem *devmem = data;

	percpu_ref_kill(&devmem->ref);
}

/* dev_pagemap callbacks: forward to the driver's hmm_devmem_ops. */
static int hmm_devmem_fault(struct vm_area_struct *vma, unsigned long addr,
			    const struct page *page, unsigned int flags,
			    pmd_t *pmdp)
{
	struct hmm_devmem *devmem = page->pgmap->data;

	return devmem->ops->fault(devmem, vma, addr, page, flags, pmdp);
}

static void hmm_devmem_free(struct page *page, void *data)
{
	struct hmm_devmem *devmem = data;

	devmem->ops->free(devmem, page);
}

static RADIX_TREE(hmm_devmem_radix, GFP_KERNEL);

static void hmm_devmem_radix_release(struct resource *resource)
{
	resource_size_t key;

	for (key = resource->start >> PA_SECTION_SHIFT;
	     key <= (resource->end >> PA_SECTION_SHIFT); key++)
		radix_tree_delete(&hmm_devmem_radix, key);
}

static void hmm_devmem_release(void *data)
{
	struct hmm_devmem *devmem = data;
	struct resource *resource = devmem->resource;
	unsigned long pfn;

	for (pfn = devmem->pfn_first; pfn < devmem->pfn_last; pfn++)
		pfn_to_page(pfn)->pgmap = NULL;

	arch_remove_memory(resource->start & ~(PA_SECTION_SIZE - 1),
			   ALIGN(resource_size(resource), PA_SECTION_SIZE),
			   NULL);
	hmm_devmem_radix_release(resource);
}

/* The part that duplicates devm_memremap_pages(). */
static int hmm_devmem_pages_create(struct hmm_devmem *devmem)
{
	struct device *device = devmem->device;
	resource_size_t key, align_start, align_size, align_end;
	struct resource *res = devmem->resource;
	unsigned long pfn;
	int ret, nid = dev_to_node(device);

	align_start = res->start & ~(PA_SECTION_SIZE - 1);
	align_size = ALIGN(res->start + resource_size(res), PA_SECTION_SIZE) -
		     align_start;
	align_end = align_start + align_size - 1;

	ret = region_intersects(align_start, align_size, IORESOURCE_MEM,
				IORES_DESC_NONE);
	if (ret == REGION_MIXED)
		return -ENXIO;
	if (ret == REGION_INTERSECTS)
		return -EBUSY;

	devmem->pagemap.type = MEMORY_DEVICE_PRIVATE;
	devmem->pagemap.res = *res;
	devmem->pagemap.page_fault = hmm_devmem_fault;
	devmem->pagemap.page_free = hmm_devmem_free;
	devmem->pagemap.dev = device;
	devmem->pagemap.ref = &devmem->ref;
	devmem->pagemap.data = devmem;

	for (key = align_start >> PA_SECTION_SHIFT;
	     key <= (align_end >> PA_SECTION_SHIFT); key++) {
		ret = radix_tree_insert(&hmm_devmem_radix, key, devmem);
		if (ret)
			goto error_radix;
	}

	ret = arch_add_memory(nid, align_start, align_size, NULL, false);
	if (ret)
		goto error_radix;
	move_pfn_range_to_zone(nid, PHYS_PFN(align_start),
			       PHYS_PFN(align_size), NULL);

	for (pfn = devmem->pfn_first; pfn < devmem->pfn_last; pfn++)
		pfn_to_page(pfn)->pgmap = &devmem->pagemap;
	return 0;

error_radix:
	hmm_devmem_radix_release(res);
	return ret;
}

/*
 * Find @size bytes of unused physical address space below the top of
 * iomem, claim it and give it MEMORY_DEVICE_PRIVATE struct pages.
 */
struct hmm_devmem *hmm_devmem_add(const struct hmm_devmem_ops *ops,
				  struct device *device,
				  unsigned long size)
{
	struct hmm_devmem *devmem;
	resource_size_t addr;
	int ret;

	devmem = devm_kzalloc(device, sizeof(*devmem), GFP_KERNEL);
	if (!devmem)
		return ERR_PTR(-ENOMEM);

	init_completion(&devmem->completion);
	devmem->pfn_first = -1UL;
	devmem->pfn_last = -1UL;
	devmem->resource = NULL;
	devmem->device = device;
	devmem->ops = ops;

	ret = percpu_ref_init(&devmem->ref, &hmm_devmem_ref_release, 0,
			      GFP_KERNEL);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action(device, hmm_devmem_ref_exit, devmem);
	if (ret)
		return ERR_PTR(ret);

	size = ALIGN(size, PA_SECTION_SIZE);
	addr = min((unsigned long)iomem_resource.end,
		   (1UL << 46) - 1);
	addr = addr - size + 1UL;

	for (; addr > size && addr >= iomem_resource.start; addr -= size) {
		ret = region_intersects(addr, size, 0, IORES_DESC_NONE);
		if (ret != REGION_DISJOINT)
			continue;

		devmem->resource = devm_request_mem_region(device, addr, size,
							   dev_name(device));
		if (!devmem->resource)
			return ERR_PTR(-ENOMEM);
		break;
	}
	if (!devmem->resource)
		return ERR_PTR(-ERANGE);

	devmem->resource->desc = IORES_DESC_DEVICE_PRIVATE_MEMORY;
	devmem->pfn_first = devmem->resource->start >> PAGE_SHIFT;
	devmem->pfn_last = devmem->pfn_first +
			   (resource_size(devmem->resource) >> PAGE_SHIFT);

	ret = hmm_devmem_pages_create(devmem);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action(device, hmm_devmem_release, devmem);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action(device, hmm_devmem_ref_kill, devmem);
	if (ret)
		return ERR_PTR(ret);

	return devmem;
}
EXPORT_SYMBOL(hmm_devmem_add);

/*
 * Same as hmm_devmem_add() for a range the caller already owns; only
 * CPU-addressable (DEVICE_PUBLIC) memory is accepted.
 */
struct hmm_devmem *hmm_devmem_add_resource(const struct hmm_devmem_ops *ops,
					   struct device *device,
					   struct resource *res)
{
	struct hmm_devmem *devmem;
	int ret;

	if (res->desc != IORES_DESC_DEVICE_PUBLIC_MEMORY)
		return ERR_PTR(-EINVAL);

	devmem = devm_kzalloc(device, sizeof(*devmem), GFP_KERNEL);
	if (!devmem)
		return ERR_PTR(-ENOMEM);

	init_completion(&devmem->completion);
	devmem->device = device;
	devmem->ops = ops;
	devmem->resource = res;
	devmem->pfn_first = res->start >> PAGE_SHIFT;
	devmem->pfn_last = devmem->pfn_first +
			   (resource_size(res) >> PAGE_SHIFT);

	ret = percpu_ref_init(&devmem->ref, &hmm_devmem_ref_release, 0,
			      GFP_KERNEL);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action(device, hmm_devmem_ref_exit, devmem);
	if (ret)
		return ERR_PTR(ret);

	ret = hmm_devmem_pages_create(devmem);
	if (ret)
		return ERR_PTR(ret);
	devmem->pagemap.type = MEMORY_DEVICE_PUBLIC;

	ret = devm_add_action(device, hmm_devmem_release, devmem);
	if (ret)
		return ERR_PTR(ret);

	ret = devm_add_action(device, hmm_devmem_ref_kill, devmem);
	if (ret)
		return ERR_PTR(ret);

	return devmem;
}
EXPORT_SYMBOL(hmm_devmem_add_resource);

/*
 * Tear down early instead of waiting for the device to unbind: kill
 * the reference, wait for every page to come back, drop the pages.
 */
void hmm_devmem_remove(struct hmm_devmem *devmem)
{
	hmm_devmem_ref_kill(devmem);
	hmm_devmem_ref_exit(devmem);
	hmm_devmem_release(devmem);
}
EXPORT_SYMBOL(hmm_devmem_remove);
