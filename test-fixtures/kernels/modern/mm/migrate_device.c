// SPDX-License-Identifier: GPL-2.0
/*
 * Migration of pages to and from device memory, driven by the driver
 * in three steps: setup, pages, finalize.
 */
#include <linux/export.h>
#include <linux/err.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>

/* Gather and isolate the source pages of [start, end). */
static void migrate_vma_collect(struct migrate_vma *migrate)
{
	unsigned long addr;

	migrate->cpages = 0;
	for (addr = migrate->start; addr < migrate->end; addr += PAGE_SIZE) {
		unsigned long i = (addr - migrate->start) >> PAGE_SHIFT;

		if (migrate->src[i] & MIGRATE_PFN_VALID) {
			migrate->src[i] |= MIGRATE_PFN_MIGRATE;
			migrate->cpages++;
		}
	}
}

int migrate_vma_setup(struct migrate_vma *args)
{
	if (args->start >= args->end || !args->vma)
		return -EINVAL;
	if (!args->src || !args->dst)
		return -EINVAL;
	if (args->fault_page && !is_device_private_page(args->fault_page))
		return -EINVAL;

	args->npages = (args->end - args->start) >> PAGE_SHIFT;
	migrate_vma_collect(args);
	return 0;
}
EXPORT_SYMBOL(migrate_vma_setup);

void migrate_vma_pages(struct migrate_vma *migrate)
{
	unsigned long i;

	for (i = 0; i < migrate->npages; i++) {
		if (!migrate_pfn_to_page(migrate->dst[i]))
			migrate->src[i] &= ~MIGRATE_PFN_MIGRATE;
	}
}
EXPORT_SYMBOL(migrate_vma_pages);

void migrate_vma_finalize(struct migrate_vma *migrate)
{
	unsigned long i;

	for (i = 0; i < migrate->npages; i++) {
		struct page *page = migrate_pfn_to_page(migrate->src[i]);

		if (page && is_device_private_page(page))
			put_dev_pagemap(page->pgmap);
	}
}
EXPORT_SYMBOL(migrate_vma_finalize);
