// SPDX-License-Identifier: GPL-2.0
/*
 * pgres: device-private memory of a PCI accelerator, written for 5.8 (a
 * driver-owned struct dev_pagemap whose range is a struct resource), and
 * a window of its BAR mapped as device-dax memory. It also keeps a copy
 * of the BAR's resource in a structure of its own, whose members are
 * named res and data like the pagemap's old ones.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>

#define PGRES_SIZE	(512UL << 20)

struct pgres_bar {
	struct resource res;
	void *data;
};

struct pgres {
	struct device		*dev;
	struct dev_pagemap	pagemap;
	struct dev_pagemap	window;
	struct pgres_bar	bar;
	unsigned long		npages;
};

static void pgres_page_free(struct page *page)
{
	struct pgres *pg = container_of(page->pgmap, struct pgres, pagemap);

	page->zone_device_data = NULL;
	pg->npages++;
}

static vm_fault_t pgres_migrate_to_ram(struct vm_fault *vmf)
{
	struct dev_pagemap *pgmap = vmf->page->pgmap;

	if (page_to_pfn(vmf->page) > PHYS_PFN(pgmap->res.end))
		return VM_FAULT_SIGBUS;
	return 0;
}

static const struct dev_pagemap_ops pgres_pagemap_ops = {
	.page_free	= pgres_page_free,
	.migrate_to_ram	= pgres_migrate_to_ram,
};

static int pgres_add_private(struct pgres *pg)
{
	struct resource *res;
	unsigned long pfn;
	void *addr;

	res = devm_request_free_mem_region(pg->dev, &iomem_resource, PGRES_SIZE);
	if (IS_ERR(res))
		return PTR_ERR(res);

	pg->pagemap.type = MEMORY_DEVICE_PRIVATE;
	pg->pagemap.res = *res;
	pg->pagemap.ops = &pgres_pagemap_ops;
	pg->pagemap.owner = pg;
	addr = devm_memremap_pages(pg->dev, &pg->pagemap);
	if (IS_ERR(addr))
		return PTR_ERR(addr);

	for (pfn = PHYS_PFN(pg->pagemap.res.start);
	     pfn <= PHYS_PFN(pg->pagemap.res.end); pfn++)
		pfn_to_page(pfn)->zone_device_data = pg;
	pg->npages = resource_size(&pg->pagemap.res) >> PAGE_SHIFT;
	dev_info(pg->dev, "%lu device pages at %pR\n", pg->npages,
		 &pg->pagemap.res);
	return 0;
}

static int pgres_add_window(struct pgres *pg, struct pci_dev *pdev)
{
	struct dev_pagemap *win = &pg->window;
	void *addr;

	pg->bar.res = pdev->resource[2];
	pg->bar.data = pg;
	win->type = MEMORY_DEVICE_DEVDAX;
	win->res.start = pg->bar.res.start;
	win->res.end = pg->bar.res.start + SZ_64M - 1;
	addr = devm_memremap_pages(pg->dev, win);
	if (IS_ERR(addr))
		return PTR_ERR(addr);
	dev_dbg(pg->dev, "window %pR of %pR\n", &win->res, &pg->bar.res);
	return 0;
}

static int pgres_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pgres *pg;
	int ret;

	pg = devm_kzalloc(&pdev->dev, sizeof(*pg), GFP_KERNEL);
	if (!pg)
		return -ENOMEM;
	pg->dev = &pdev->dev;
	pci_set_drvdata(pdev, pg);

	ret = pgres_add_private(pg);
	if (ret)
		return ret;
	return pgres_add_window(pg, pdev);
}

static const struct pci_device_id pgres_ids[] = {
	{ PCI_DEVICE(0x1f1f, 0x0e05) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pgres_ids);

static struct pci_driver pgres_driver = {
	.name		= "pgres",
	.id_table	= pgres_ids,
	.probe		= pgres_probe,
};
module_pci_driver(pgres_driver);

MODULE_DESCRIPTION("A driver-owned pagemap with a struct resource range (5.3 - 5.9)");
MODULE_LICENSE("GPL");
