/**
 * ZONE_DEVICE and HMM facts across kernel versions, as data: struct dev_pagemap, struct
 * vmem_altmap, enum memory_type, dev_pagemap_ops, the memremap/hmm/migrate_vma functions
 * and the old hmm_devmem API. Checked against ../shared/kernel-facts.md; every sentence is
 * ours. Hovers say what holds for the indexed version and read declarations from the tree
 * itself (kernel/structs.ts), so this file holds meaning and history, not declarations.
 *
 * Versions are "major.minor" or "major.minor.patch". `since` is the first version that has
 * the item (absent: present since before 4.16, where the facts begin); `until` is the first
 * version that no longer has it.
 */
import { compareVersion, type KernelVersion } from '../version';

export type EntryKind = 'struct' | 'enum' | 'field' | 'enumerator' | 'macro' | 'function' | 'typedef';

/** A statement that holds only for some versions. */
export interface VersionNote {
	readonly since?: string;
	readonly until?: string;
	readonly text: string;
}

export interface ZoneDeviceEntry {
	readonly kind: EntryKind;
	readonly name: string;
	/** For fields: the struct tag they belong to (`dev_pagemap`, `vmem_altmap`, …). */
	readonly container?: string;
	readonly since?: string;
	readonly until?: string;
	/** One line: what it is. */
	readonly summary: string;
	/** Paragraphs (Markdown) that hold in every version that has it. */
	readonly details?: readonly string[];
	/** Paragraphs that hold only in some versions; hovers show those of the indexed version. */
	readonly notes?: readonly VersionNote[];
	/** Changes worth knowing, oldest first. */
	readonly history?: readonly { readonly version: string; readonly text: string }[];
	/** What to use in versions after `until`. */
	readonly replacement?: string;
	/** What versions before `since` have instead. */
	readonly previously?: string;
	/** A member that was a pointer and is an embedded struct from this version on. */
	readonly embeddedSince?: string;
	/** Header that declares it, relative to the tree root, when it varies by version: the newest. */
	readonly header?: string;
	readonly source: string;
}

/** The oldest version the facts describe; older trees get no version statements. */
export const FACTS_FROM = '4.16';

const FACTS = 'kernel-facts.md';
const PAGEMAP_TABLE = `${FACTS}: struct dev_pagemap over time`;
const SEED = 'mm: Merge hmm into devm_memremap_pages, mark GPL-only (2018 series)';
const OLD_HMM = `${FACTS}: the old HMM device-memory API (4.14 – 5.2)`;
const MIGRATING = `${FACTS}: Migrating a caller (the 5.3 nouveau conversion)`;
const MEMREMAP_H = 'include/linux/memremap.h';
const HMM_H = 'include/linux/hmm.h';

const entries: ZoneDeviceEntry[] = [
	// struct dev_pagemap
	{
		kind: 'struct',
		name: 'dev_pagemap',
		header: MEMREMAP_H,
		summary:
			'One ZONE_DEVICE mapping: the driver fills it in and passes it to `memremap_pages()`/`devm_memremap_pages()`, which create `struct page` entries for the device range.',
		details: [
			'The driver owns the structure and must keep it alive until the mapping is torn down (`memunmap_pages()`, or devm teardown of the device). Embed it in a driver structure and get back to it from a page with `container_of(page->pgmap, struct my_chunk, pagemap)`.',
			'Every ZONE_DEVICE page points to it through `page->pgmap`; `get_dev_pagemap()` looks it up by pfn.',
		],
		notes: [
			{ until: '5.3', text: 'Callbacks are fields of the structure itself (`page_free`, and `page_fault` up to 4.20).' },
			{ since: '5.3', text: 'Callbacks live in `ops` (`struct dev_pagemap_ops`); flags such as `PGMAP_ALTMAP_VALID` in `flags`.' },
			{ until: '5.10', text: 'The physical range is the `struct resource res` field.' },
			{ since: '5.10', text: 'The physical range is `range` (or `ranges[]`) with `nr_range` entries; set `nr_range = 1` for one range.' },
		],
		history: [
			{ version: '4.16', text: '`devm_memremap_pages(dev, res, ref, altmap)` became `devm_memremap_pages(dev, pgmap)`: the caller fills a `struct dev_pagemap`.' },
			{ version: '5.0', text: 'The seed series moved HMM onto it (`page_fault` went to `hmm_devmem`; `kill` added) and marked `devm_memremap_pages` GPL-only.' },
			{ version: '5.3', text: '`ops`, `flags`, `done` and `internal_ref` added; `altmap_valid`, `page_free` and `data` removed.' },
			{ version: '5.4', text: '`dev` and `pci_p2pdma_bus_offset` removed.' },
			{ version: '5.10', text: '`res` replaced by `nr_range` and `range`/`ranges[]`.' },
			{ version: '5.19', text: '`ref` embedded (no longer a pointer); `kill`/`cleanup`/`internal_ref` gone; `vmemmap_shift` added.' },
		],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'altmap',
		since: '4.16',
		summary:
			"Where this range's memmap (its `struct page` entries) is placed: in the device memory itself, described by a `struct vmem_altmap`.",
		details: [
			'Without it the `struct page` entries of the range come from system RAM (64 bytes per 4 KiB page). pmem sets it so a large persistent-memory range pays for its own memmap.',
		],
		notes: [
			{ until: '5.3', text: 'Used only when `altmap_valid` is true.' },
			{ since: '5.3', text: 'Used only when `flags` has `PGMAP_ALTMAP_VALID`; `pgmap_altmap(pgmap)` returns it or NULL.' },
		],
		history: [
			{ version: '4.16', text: 'Embedded here; up to 4.15 the altmap was an argument of `devm_memremap_pages()`.' },
			{ version: '5.3', text: '`altmap_valid` became the `PGMAP_ALTMAP_VALID` flag.' },
		],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'altmap_valid',
		since: '4.16',
		until: '5.3',
		summary: 'Whether `altmap` is to be used; false puts the memmap in system RAM.',
		replacement: 'the `PGMAP_ALTMAP_VALID` bit of `flags` (`pgmap->flags |= PGMAP_ALTMAP_VALID`)',
		history: [{ version: '5.3', text: '`altmap_valid` became the `PGMAP_ALTMAP_VALID` flag in `flags`.' }],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'res',
		until: '5.10',
		summary: 'The physical address range to map, as a `struct resource` (`start`, `end` inclusive).',
		details: [
			'For MEMORY_DEVICE_PRIVATE the driver gets an unused range from `devm_request_free_mem_region()` (5.3+) and copies it here (`pgmap->res = *res`).',
		],
		replacement: '`range.start`/`range.end` (end inclusive) with `nr_range = 1`, or `ranges[]` with `nr_range` entries',
		history: [{ version: '5.10', text: '`res` was replaced by `nr_range` and the `range`/`ranges[]` union.' }],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'range',
		since: '5.10',
		previously: '`struct resource res` (`res.start`, `res.end`)',
		summary: 'The physical address range to map (`start`, `end` inclusive) when `nr_range` is 1.',
		details: ['Shares a union with `ranges[]`; fill `range.start`, `range.end` and set `nr_range = 1`.'],
		history: [{ version: '5.10', text: 'Replaced `struct resource res`: `res.start`/`res.end` → `range.start`/`range.end`.' }],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'ranges',
		since: '5.10',
		previously: 'one `struct resource res`: a pgmap maps a single range',
		summary: 'Several physical ranges mapped by one pgmap, `nr_range` of them (a flexible array sharing a union with `range`).',
		details: ['Allocate the pgmap with room for the array (`struct_size(pgmap, ranges, n)`); device-dax uses it for discontiguous regions.'],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'nr_range',
		since: '5.10',
		previously: 'nothing: one pgmap maps the single range in `res`',
		summary: 'How many entries of `ranges[]` to map; must be at least 1 (1 when only `range` is filled in).',
		details: ['`memremap_pages()` refuses a pgmap with `nr_range == 0` (WARN, -EINVAL) and counts it up again range by range while mapping.'],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'ref',
		summary: 'The reference count of the mapping: every ZONE_DEVICE page in use holds one; teardown waits for it to drop to zero.',
		notes: [
			{ until: '5.3', text: 'A pointer to a `percpu_ref` the caller initialises (`percpu_ref_init`, GPL-only) and owns; it must outlive the devm teardown.' },
			{ since: '5.3', until: '5.19', text: 'A pointer; leave it NULL to let the core use `internal_ref` (and skip `ops->kill`/`ops->cleanup`).' },
			{ since: '5.19', text: 'Embedded and managed by the core: `memremap_pages()` initialises it, `memunmap_pages()` kills it and waits on `done`. Drivers do not touch it.' },
		],
		history: [{ version: '5.19', text: '`struct percpu_ref *ref` became an embedded `struct percpu_ref ref`.' }],
		embeddedSince: '5.19',
		replacement: 'nothing to set: the core initialises, kills and waits for the embedded ref; drop the driver\'s own percpu_ref and its ops->kill/cleanup, and take `&pgmap->ref` where a pointer is needed',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'internal_ref',
		since: '5.3',
		until: '5.19',
		summary: "The core's own `percpu_ref`, used when the driver leaves `ref` NULL.",
		replacement: 'nothing: `ref` itself is embedded and managed by the core',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'done',
		since: '5.3',
		summary: 'Completion signalled when `ref` drops to zero; teardown waits on it. Core-internal: drivers do not touch it.',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'type',
		summary: 'What kind of device memory this is (`enum memory_type`); decides how the core treats the pages and which ops are required.',
		details: ['0 is not a valid type (the enum starts at 1), so an unset `type` is caught.'],
		notes: [
			{ since: '6.1', text: '`memremap_pages()` refuses MEMORY_DEVICE_PRIVATE without `ops->page_free`, `ops->migrate_to_ram` and `owner`, and MEMORY_DEVICE_COHERENT without `ops->page_free` and `owner` (WARN, -EINVAL).' },
		],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'flags',
		since: '5.3',
		previously: '`bool altmap_valid` in place of `PGMAP_ALTMAP_VALID`',
		summary: '`PGMAP_*` bits; the one drivers set is `PGMAP_ALTMAP_VALID` (use `altmap`).',
		history: [{ version: '5.3', text: 'Added; `PGMAP_ALTMAP_VALID` replaced the `bool altmap_valid` field.' }],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'vmemmap_shift',
		since: '5.19',
		summary: 'Order of the compound pages the range is described with: 0 for base pages, larger for compound `struct page` entries of that order.',
		details: ['device-dax sets it from its alignment so a 2 MiB or 1 GiB mapping has one compound page (and a smaller memmap).'],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'ops',
		since: '5.3',
		previously: 'callbacks as fields (`page_free`, and `page_fault` up to 4.20)',
		summary: 'The driver callbacks (`const struct dev_pagemap_ops *`).',
		notes: [
			{ since: '5.3', until: '5.19', text: 'Members: `page_free`, `kill`, `cleanup`, `migrate_to_ram`.' },
			{ since: '5.19', text: 'Members: `page_free`, `migrate_to_ram`, and `memory_failure` (6.0+). MEMORY_DEVICE_PRIVATE requires `page_free` and `migrate_to_ram`; COHERENT requires `page_free`.' },
		],
		history: [{ version: '5.3', text: 'Replaced the `page_free` field and, for HMM, `hmm_devmem_ops`.' }],
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'owner',
		since: '5.7',
		summary: "An opaque cookie naming who manages the pages (usually the driver's device structure).",
		details: [
			'Migration and `hmm_range_fault()` only treat device-private pages as the caller\'s own when `owner` matches `migrate_vma.pgmap_owner` / `hmm_range.dev_private_owner`, so one driver never touches another\'s device memory.',
		],
		notes: [{ since: '6.1', text: 'Required for MEMORY_DEVICE_PRIVATE and MEMORY_DEVICE_COHERENT: `memremap_pages()` refuses a NULL owner.' }],
		source: `${PAGEMAP_TABLE} (5.8 row) and ${MIGRATING} (owner ≥5.7)`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'kill',
		since: '5.0',
		until: '5.3',
		summary: 'Callback that kills the caller-owned `ref` (`percpu_ref_kill`) when teardown starts.',
		replacement: '`ops->kill(pgmap)` (5.3 – 5.18); from 5.19 the core kills its embedded `ref` itself',
		source: `${PAGEMAP_TABLE}; ${SEED}`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'cleanup',
		since: '5.2',
		until: '5.3',
		summary: 'Callback run after `ref` has dropped to zero, to free what the caller set up for it.',
		replacement: '`ops->cleanup(pgmap)` (5.3 – 5.18); from 5.19 nothing (the core owns `ref`)',
		source: 'mm/devm_memremap_pages: fix final page put race (2019); kernel-facts.md lists only ops->cleanup',
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'page_fault',
		since: '4.16',
		until: '5.0',
		summary: 'Callback for a CPU fault on a MEMORY_DEVICE_PRIVATE page (`dev_page_fault_t`): migrate the data back to system RAM.',
		replacement: '`hmm_devmem_ops.fault` (5.0 – 5.2), then `dev_pagemap_ops.migrate_to_ram(struct vm_fault *vmf)` (5.3+)',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'page_free',
		since: '4.16',
		until: '5.3',
		summary: 'Callback when the last reference to a device page is dropped (`dev_page_free_t`: page and `data`).',
		replacement: '`ops->page_free(struct page *page)` in `struct dev_pagemap_ops`',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'data',
		since: '4.16',
		until: '5.3',
		summary: 'Private pointer handed to `page_fault`/`page_free` (HMM stored its `hmm_devmem` here).',
		replacement: '`container_of(page->pgmap, struct my_chunk, pagemap)`, and `page->zone_device_data` per page',
		source: `${PAGEMAP_TABLE}; ${MIGRATING}`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'dev',
		since: '4.16',
		until: '5.4',
		summary: 'The device the mapping belongs to, for devm teardown.',
		replacement: 'the driver keeps its own device pointer; `devm_memremap_pages(dev, pgmap)` takes the device as an argument',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'dev_pagemap',
		name: 'pci_p2pdma_bus_offset',
		since: '5.0',
		until: '5.4',
		summary: 'Offset between CPU physical and PCI bus addresses of a MEMORY_DEVICE_PCI_P2PDMA range.',
		replacement: 'the PCI P2PDMA core keeps the offset in its own provider structure',
		source: PAGEMAP_TABLE,
	},
	// struct range, as dev_pagemap uses it
	{
		kind: 'field',
		container: 'range',
		name: 'start',
		summary: 'First byte of the physical range.',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'field',
		container: 'range',
		name: 'end',
		summary: 'Last byte of the physical range: inclusive (`start + size - 1`).',
		details: ['`range_len(&range)` gives `end - start + 1`.'],
		source: PAGEMAP_TABLE,
	},

	// struct vmem_altmap
	{
		kind: 'struct',
		name: 'vmem_altmap',
		header: MEMREMAP_H,
		summary:
			"Device memory that hosts the device's own memmap: the `struct page` entries of a huge pmem range live at its start, so it spends no system RAM on them.",
		details: [
			'The driver sets `base_pfn`, `reserve` and `free` (and `end_pfn` from 5.4); the core accounts `align` and `alloc` while populating the memmap. Used through `dev_pagemap.altmap` with `PGMAP_ALTMAP_VALID` (or `altmap_valid` before 5.3).',
		],
		history: [
			{ version: '5.4', text: '`end_pfn` added.' },
			{ version: '5.13', text: '`base_pfn` no longer const.' },
			{ version: '6.8', text: '`bool inaccessible` added.' },
		],
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'base_pfn',
		summary: 'First pfn of the device range the altmap belongs to.',
		notes: [{ until: '5.13', text: 'Declared `const`: set it in the initializer of the pgmap (or through a cast).' }],
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'end_pfn',
		since: '5.4',
		summary: 'Last pfn the altmap may hand out for the memmap.',
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'reserve',
		summary: 'Pfns at the start of the range kept back for the driver (labels, metadata); never used for the memmap.',
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'free',
		summary: 'Pfns set aside (after `reserve`) to hold the memmap; the core allocates struct pages from them.',
		details: ['Size it for the memmap of the whole range: about `nr_pages * sizeof(struct page) / PAGE_SIZE` pfns.'],
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'align',
		summary: 'Pfns skipped so allocations meet their alignment; kept by the core.',
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'alloc',
		summary: 'Pfns already handed out for the memmap; kept by the core.',
		source: `${FACTS}: struct vmem_altmap`,
	},
	{
		kind: 'field',
		container: 'vmem_altmap',
		name: 'inaccessible',
		since: '6.8',
		summary: 'Set by memory hotplug when the range cannot be accessed yet, so its memmap cannot be written in place; device drivers leave it false.',
		source: `${FACTS}: struct vmem_altmap`,
	},

	// enum memory_type
	{
		kind: 'enum',
		name: 'memory_type',
		header: MEMREMAP_H,
		summary: 'The kinds of ZONE_DEVICE memory a `struct dev_pagemap` can describe (its `type`); values start at 1 so 0 means unset.',
		notes: [
			{ until: '5.0', text: 'Values: PRIVATE=1, PUBLIC, FS_DAX.' },
			{ since: '5.0', until: '5.3', text: 'Values: PRIVATE=1, PUBLIC, FS_DAX, PCI_P2PDMA.' },
			{ since: '5.3', until: '5.10', text: 'Values: PRIVATE=1, FS_DAX, DEVDAX, PCI_P2PDMA.' },
			{ since: '5.10', until: '6.0', text: 'Values: PRIVATE=1, FS_DAX, GENERIC, PCI_P2PDMA.' },
			{ since: '6.0', text: 'Values: PRIVATE=1, COHERENT, FS_DAX, GENERIC, PCI_P2PDMA.' },
		],
		history: [
			{ version: '5.0', text: 'PCI_P2PDMA added.' },
			{ version: '5.3', text: 'PUBLIC removed, DEVDAX added.' },
			{ version: '5.10', text: 'DEVDAX renamed GENERIC.' },
			{ version: '6.0', text: 'COHERENT added (after PRIVATE, so later values shifted).' },
		],
		details: ['The numeric values shift between versions: compare against the names, never store the numbers.'],
		source: `${FACTS}: enum memory_type`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_PRIVATE',
		summary: 'Device memory the CPU cannot address: pages exist for migration, and a CPU access faults and migrates the data back to RAM.',
		details: [
			'Users: drivers/gpu/drm/nouveau (nouveau_dmem.c), amdkfd (kfd_migrate.c), lib/test_hmm.c, powerpc KVM secure guests (book3s_hv_uvmem.c). Needs CONFIG_DEVICE_PRIVATE.',
			'Get an unused physical range with `devm_request_free_mem_region()`; move data with `migrate_vma_setup/pages/finalize`.',
		],
		notes: [
			{ until: '5.3', text: 'Created through `hmm_devmem_add()`, with `hmm_devmem_ops.free`/`.fault` as callbacks.' },
			{ since: '5.3', text: 'Requires `ops->page_free` and `ops->migrate_to_ram`.' },
			{ since: '5.7', text: 'Set `owner` so migration and `hmm_range_fault()` recognise the pages as yours.' },
			{ since: '6.1', text: '`memremap_pages()` refuses it without `ops->page_free`, `ops->migrate_to_ram` or `owner` (WARN, -EINVAL).' },
		],
		source: `${FACTS}: ZONE_DEVICE, step by step; enum memory_type`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_PUBLIC',
		until: '5.3',
		summary: 'CPU-addressable, cache-coherent device memory (CDM) managed by HMM; created with `hmm_devmem_add_resource()` for an `IORES_DESC_DEVICE_PUBLIC_MEMORY` resource.',
		replacement: 'none in 5.3 – 5.19 (it had no in-tree user); from 6.0 `MEMORY_DEVICE_COHERENT` covers coherent device memory',
		source: `${FACTS}: enum memory_type; ${OLD_HMM}`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_COHERENT',
		since: '6.0',
		previously: '`MEMORY_DEVICE_PUBLIC` (up to 5.2) for coherent device memory under HMM',
		summary: 'CPU-addressable, cache-coherent device memory owned by a driver: process pages can migrate to it, but it must not be pinned so it can always be evicted.',
		details: [
			'Users: amdkfd (kfd_migrate.c) on coherent-interconnect GPUs, lib/test_hmm.c. Requires `ops->page_free` and `owner`; `ops->migrate_to_ram` is optional.',
		],
		source: 'AMD device-coherent series (2022); kernel-facts.md: 6.1 enum memory_type; 6.1 mm/memremap.c checks',
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_FS_DAX',
		summary: 'Persistent memory mapped through a DAX filesystem (ext4/xfs `-o dax`): host memory with RAM semantics that can be pinned.',
		details: [
			'Users: drivers/nvdimm/pmem.c, fs/fuse/virtio_fs.c. The core wakes the filesystem when a page goes idle so truncate can wait for DMA to finish.',
		],
		source: `${FACTS}: enum memory_type; 6.1 callers`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_DEVDAX',
		since: '5.3',
		until: '5.10',
		summary: 'CPU-addressable device memory with struct pages, exposed through a device-dax character device.',
		replacement: '`MEMORY_DEVICE_GENERIC` (the same thing, renamed in 5.10)',
		source: `${FACTS}: enum memory_type`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_GENERIC',
		since: '5.10',
		previously: '`MEMORY_DEVICE_DEVDAX` (5.3 – 5.9)',
		summary: 'Plain CPU-addressable device memory with struct pages and RAM semantics; no callbacks needed.',
		details: ['Users: drivers/dax/device.c (device-dax), drivers/xen/unpopulated-alloc.c.'],
		history: [{ version: '5.10', text: 'Renamed from `MEMORY_DEVICE_DEVDAX`.' }],
		source: `${FACTS}: enum memory_type; 6.1 callers`,
	},
	{
		kind: 'enumerator',
		container: 'memory_type',
		name: 'MEMORY_DEVICE_PCI_P2PDMA',
		since: '5.0',
		summary: 'PCI BAR memory handed out for peer-to-peer DMA between devices (e.g. an NVMe controller memory buffer).',
		details: ['User: drivers/pci/p2pdma.c (providers register BARs with `pci_p2pdma_add_resource()`); mapped uncached. Needs CONFIG_PCI_P2PDMA.'],
		source: `${FACTS}: enum memory_type; 6.1 callers`,
	},
	{
		kind: 'macro',
		name: 'PGMAP_ALTMAP_VALID',
		since: '5.3',
		previously: '`pgmap->altmap_valid = true`',
		header: MEMREMAP_H,
		summary: 'Bit of `dev_pagemap.flags`: use `altmap` to place the memmap in device memory.',
		history: [{ version: '5.3', text: 'Replaced the `bool altmap_valid` field.' }],
		source: PAGEMAP_TABLE,
	},

	// struct dev_pagemap_ops
	{
		kind: 'struct',
		name: 'dev_pagemap_ops',
		since: '5.3',
		previously: '`page_free`/`page_fault` fields of `struct dev_pagemap` and, for HMM, `struct hmm_devmem_ops`',
		header: MEMREMAP_H,
		summary: 'The driver callbacks of a `struct dev_pagemap` (its `ops`).',
		notes: [
			{ since: '5.3', until: '5.19', text: 'Members: `page_free(page)`, `kill(pgmap)`, `cleanup(pgmap)`, `migrate_to_ram(vmf)`.' },
			{ since: '5.19', text: 'Members: `page_free(page)`, `migrate_to_ram(vmf)`, `memory_failure(pgmap, pfn, nr_pages, mf_flags)` (6.0+).' },
		],
		history: [{ version: '5.3', text: 'Replaced `dev_pagemap.page_free`/`page_fault` and `struct hmm_devmem_ops`.' }],
		source: `${FACTS}: dev_pagemap_ops`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap_ops',
		name: 'page_free',
		since: '5.3',
		previously: '`dev_pagemap.page_free` (and `hmm_devmem_ops.free`)',
		summary: 'Called when the last reference to a device page goes away: the driver may reuse the page.',
		details: ['Required for MEMORY_DEVICE_PRIVATE and COHERENT. Replaces `hmm_devmem_ops.free(devmem, page)`: reach the driver with `container_of(page->pgmap, …)`.'],
		source: `${FACTS}: dev_pagemap_ops; ${MIGRATING}`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap_ops',
		name: 'migrate_to_ram',
		since: '5.3',
		previously: '`dev_pagemap.page_fault` (up to 4.20), `hmm_devmem_ops.fault` (up to 5.2)',
		summary: 'Called when the CPU faults on a MEMORY_DEVICE_PRIVATE page: migrate the data back to a system page and return 0 or `VM_FAULT_*`.',
		details: [
			'Use `vmf->vma`, `vmf->address` and `vmf->page` with `migrate_vma_setup/pages/finalize`. Replaces `hmm_devmem_ops.fault(devmem, vma, addr, page, flags, pmdp)`.',
		],
		source: `${FACTS}: dev_pagemap_ops; ${MIGRATING}`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap_ops',
		name: 'memory_failure',
		since: '6.0',
		summary: 'Called when poison is reported on `nr_pages` pages from `pfn`: notify the users of those pages (fsdax uses it to find affected files).',
		details: ['Optional: without it (or when it returns -EOPNOTSUPP) the generic handler kills the processes mapping the pages.'],
		source: `${FACTS}: dev_pagemap_ops`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap_ops',
		name: 'kill',
		since: '5.3',
		until: '5.19',
		summary: 'Called at teardown to kill the driver-provided `pgmap->ref` (not used with the internal ref).',
		replacement: 'nothing: the core kills its embedded `ref`',
		source: `${FACTS}: dev_pagemap_ops; ${PAGEMAP_TABLE} (5.19)`,
	},
	{
		kind: 'field',
		container: 'dev_pagemap_ops',
		name: 'cleanup',
		since: '5.3',
		until: '5.19',
		summary: 'Called at teardown after `pgmap->ref` reached zero, to release it.',
		replacement: 'nothing: the core waits on `done` and exits its embedded `ref`',
		source: `${FACTS}: dev_pagemap_ops; ${PAGEMAP_TABLE} (5.19)`,
	},

	// Functions
	{
		kind: 'function',
		name: 'devm_memremap_pages',
		header: MEMREMAP_H,
		summary: 'Creates ZONE_DEVICE `struct page` entries for the range in a `struct dev_pagemap` and maps it; undone automatically when the device is unbound.',
		details: ['Returns the kernel virtual address of the range, or an `ERR_PTR()`. The pgmap must stay alive until the devm teardown has run.'],
		notes: [
			{ until: '4.16', text: 'Signature: `devm_memremap_pages(dev, res, ref, altmap)`.' },
			{ since: '4.16', text: 'Signature: `devm_memremap_pages(struct device *dev, struct dev_pagemap *pgmap)`.' },
			{ since: '5.4', text: 'Without a `struct device`, use `memremap_pages(pgmap, nid)` and `memunmap_pages(pgmap)`.' },
		],
		history: [
			{ version: '5.0', text: 'Became `EXPORT_SYMBOL_GPL` (the seed series); plain `EXPORT_SYMBOL` up to 4.20, except stable 4.19.15+ which backported the GPL marking.' },
		],
		source: `${FACTS}: ZONE_DEVICE, step by step; ${SEED}`,
	},
	{
		kind: 'function',
		name: 'memremap_pages',
		since: '5.4',
		previously: 'only `devm_memremap_pages(dev, pgmap)`, which needs a `struct device`',
		header: MEMREMAP_H,
		summary: 'Like `devm_memremap_pages()` without a device: creates ZONE_DEVICE pages for the pgmap on node `nid`; undo with `memunmap_pages()`.',
		notes: [
			{ since: '6.1', text: 'Refuses MEMORY_DEVICE_PRIVATE without `ops->page_free`, `ops->migrate_to_ram` or `owner`, COHERENT without `ops->page_free` or `owner`, and `nr_range == 0` (WARN, -EINVAL).' },
		],
		replacement: '`devm_memremap_pages(dev, pgmap)`',
		source: `${FACTS}: ZONE_DEVICE, step by step`,
	},
	{
		kind: 'function',
		name: 'memunmap_pages',
		since: '5.4',
		previously: 'devm teardown of `devm_memremap_pages()`',
		header: MEMREMAP_H,
		summary: 'Tears down a `memremap_pages()` mapping: kills the pgmap reference, waits until every page is free, removes the pages.',
		source: `${FACTS}: ZONE_DEVICE, step by step`,
	},
	{
		kind: 'function',
		name: 'devm_memunmap_pages',
		header: MEMREMAP_H,
		summary: 'Tears down a `devm_memremap_pages()` mapping before the device is unbound (releases the devres action early).',
		source: `${FACTS}: 6.1 exports in mm/memremap.c`,
	},
	{
		kind: 'function',
		name: 'get_dev_pagemap',
		header: MEMREMAP_H,
		summary: 'Finds the `struct dev_pagemap` that holds `pfn` and takes a reference on it; drop it with `put_dev_pagemap()`.',
		details: ['Pass a pgmap returned earlier as the second argument: when it still covers `pfn` no lookup is needed. Always GPL-only.'],
		source: `${FACTS}: ZONE_DEVICE, step by step`,
	},
	{
		kind: 'function',
		name: 'put_dev_pagemap',
		header: MEMREMAP_H,
		summary: 'Drops the reference `get_dev_pagemap()` took (a header inline, so no export is involved); NULL is allowed.',
		source: `${FACTS}: ZONE_DEVICE, step by step`,
	},
	{
		kind: 'function',
		name: 'zone_device_page_init',
		since: '6.1',
		header: MEMREMAP_H,
		summary: 'Prepares a free device-private page for use: takes a pgmap reference, sets the refcount to 1 and locks the page.',
		details: ['Call it when the driver hands out a device page (e.g. as the destination of a migration).'],
		source: `${FACTS}: 6.1 exports in mm/memremap.c`,
	},
	{
		kind: 'function',
		name: 'devm_request_free_mem_region',
		since: '5.3',
		previously: '`hmm_devmem_add()`, which found the free range itself',
		header: 'include/linux/ioport.h',
		summary: 'Finds and reserves an unused physical address range of `size` bytes for MEMORY_DEVICE_PRIVATE pages (no real memory lives there).',
		details: ['Use the returned resource for the pgmap range (`range.start = res->start; range.end = res->end;`). GPL-only.'],
		history: [{ version: '5.3', text: 'Took over the range search that `hmm_devmem_add()` did.' }],
		source: `${FACTS}: 6.1 exports; ${MIGRATING}`,
	},
	{
		kind: 'function',
		name: 'hmm_range_fault',
		header: HMM_H,
		summary: 'Snapshots the CPU page table over `[range->start, range->end)` into `range->hmm_pfns`, faulting pages in as the request flags ask.',
		details: [
			'Run it under an `mmu_interval_notifier` sequence (`mmu_interval_read_begin()`/`_retry()`) and retry on -EBUSY. Device-private pages count as present only when their pgmap `owner` equals `range->dev_private_owner`.',
		],
		source: `${FACTS}: 6.1 exports (mm/hmm.c, plain)`,
	},
	{
		kind: 'function',
		name: 'migrate_vma_setup',
		header: 'include/linux/migrate.h',
		summary: 'First step of migrating a range of a VMA to or from device memory: collects and isolates the pages of `[start, end)` and unmaps them.',
		details: ['Then allocate destination pages, copy, fill `dst[]`, and call `migrate_vma_pages()` and `migrate_vma_finalize()`.'],
		source: `${FACTS}: 6.1 exports (mm/migrate_device.c, plain)`,
	},
	{
		kind: 'function',
		name: 'migrate_vma_pages',
		header: 'include/linux/migrate.h',
		summary: 'Second step of a migration: moves the `struct page` metadata of each collected page to its destination page.',
		source: `${FACTS}: 6.1 exports (mm/migrate_device.c, plain)`,
	},
	{
		kind: 'function',
		name: 'migrate_vma_finalize',
		header: 'include/linux/migrate.h',
		summary: 'Last step of a migration: restores the page tables and releases whichever of source or destination pages lost.',
		source: `${FACTS}: 6.1 exports (mm/migrate_device.c, plain)`,
	},

	// The old HMM device-memory API
	{
		kind: 'function',
		name: 'hmm_devmem_add',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: finds a free physical range of `size` bytes and creates MEMORY_DEVICE_PRIVATE pages for it, with `hmm_devmem_ops` callbacks.',
		replacement:
			'`devm_request_free_mem_region(dev, &iomem_resource, size)`, then a driver-owned `struct dev_pagemap` (`type = MEMORY_DEVICE_PRIVATE`, the range, `ops`, `owner`) passed to `devm_memremap_pages(dev, &pgmap)` or `memremap_pages(&pgmap, nid)`',
		notes: [
			{ until: '5.0', text: 'Plain `EXPORT_SYMBOL`; it keeps its own copy of the memremap work (`hmm_devmem_pages_create()`).' },
			{ since: '5.0', text: '`EXPORT_SYMBOL_GPL`; a wrapper that fills `devmem->pagemap` and calls `devm_memremap_pages()`.' },
		],
		history: [
			{ version: '5.0', text: 'Became a wrapper around `devm_memremap_pages()` and GPL-only (the seed series).' },
			{ version: '5.3', text: 'Removed ("mm: remove hmm_devmem_add"); nouveau converted to `struct dev_pagemap`.' },
		],
		source: `${OLD_HMM}; ${MIGRATING}`,
	},
	{
		kind: 'function',
		name: 'hmm_devmem_add_resource',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: creates MEMORY_DEVICE_PUBLIC pages for a resource described `IORES_DESC_DEVICE_PUBLIC_MEMORY` (anything else: -EINVAL).',
		replacement: 'a driver-owned `struct dev_pagemap` for the range passed to `devm_memremap_pages()`/`memremap_pages()`; coherent device memory is `MEMORY_DEVICE_COHERENT` from 6.0',
		notes: [
			{ until: '5.0', text: 'Plain `EXPORT_SYMBOL`.' },
			{ since: '5.0', text: '`EXPORT_SYMBOL_GPL`.' },
		],
		source: OLD_HMM,
	},
	{
		kind: 'function',
		name: 'hmm_devmem_remove',
		until: '5.0',
		header: HMM_H,
		summary: 'Old HMM API: tears down what `hmm_devmem_add()` created.',
		replacement: 'nothing to call: devm teardown when the device goes away (or `memunmap_pages()` / `devm_memunmap_pages()`)',
		source: OLD_HMM,
	},
	{
		kind: 'function',
		name: 'hmm_devmem_pages_create',
		until: '5.0',
		summary: "Internal to mm/hmm.c (static): HMM's own copy of `devm_memremap_pages()`' work (section bookkeeping, `arch_add_memory`, move to ZONE_DEVICE).",
		replacement: '`devm_memremap_pages()`: the seed series deleted the copy',
		source: `${OLD_HMM}; ${SEED} (patch 6/7)`,
	},
	{
		kind: 'function',
		name: 'hmm_devmem_page_get_drvdata',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: reads the one word of driver data stored in a device page.',
		replacement: '`page->zone_device_data`',
		source: `${OLD_HMM}; ${MIGRATING}`,
	},
	{
		kind: 'function',
		name: 'hmm_devmem_page_set_drvdata',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: stores one word of driver data in a device page.',
		replacement: '`page->zone_device_data = data`',
		source: `${OLD_HMM}; ${MIGRATING}`,
	},
	{
		kind: 'struct',
		name: 'hmm_devmem',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: device memory HMM created struct pages for, returned by `hmm_devmem_add()`; owns pfns `[pfn_first, pfn_last)`.',
		replacement: 'a driver structure that embeds a `struct dev_pagemap` (reach it with `container_of(page->pgmap, …)`)',
		source: OLD_HMM,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'completion',
		until: '5.3',
		summary: 'Signalled when the last page reference is gone, for teardown.',
		replacement: '`dev_pagemap.done` (core-internal)',
		source: OLD_HMM,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'pfn_first',
		until: '5.3',
		summary: 'First pfn of the device memory.',
		replacement: '`range.start >> PAGE_SHIFT` (`res.start >> PAGE_SHIFT` before 5.10)',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'pfn_last',
		until: '5.3',
		summary: 'One past the last pfn of the device memory.',
		replacement: '`(range.end >> PAGE_SHIFT) + 1` (`res.end` before 5.10)',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'resource',
		until: '5.3',
		summary: 'The physical range HMM requested for the device memory.',
		replacement: 'the resource `devm_request_free_mem_region()` returns',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'device',
		until: '5.3',
		summary: 'The device the memory belongs to.',
		replacement: 'the driver keeps its own device pointer',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'pagemap',
		until: '5.3',
		summary: 'The `struct dev_pagemap` HMM filled in for the driver (5.0 – 5.2: passed to `devm_memremap_pages()`).',
		replacement: 'a `struct dev_pagemap` embedded in the driver structure',
		source: `${OLD_HMM}; ${MIGRATING}`,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'ops',
		until: '5.3',
		summary: "The driver's `struct hmm_devmem_ops` (`free`, `fault`).",
		replacement: '`dev_pagemap.ops` (`struct dev_pagemap_ops`)',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem',
		name: 'ref',
		until: '5.3',
		summary: 'The percpu reference counting device pages in use.',
		replacement: '`dev_pagemap.ref`',
		source: OLD_HMM,
	},
	{
		kind: 'struct',
		name: 'hmm_devmem_ops',
		until: '5.3',
		header: HMM_H,
		summary: 'Old HMM API: driver callbacks `free` and `fault` for `hmm_devmem` pages.',
		replacement: '`struct dev_pagemap_ops` (`page_free`, `migrate_to_ram`)',
		source: OLD_HMM,
	},
	{
		kind: 'field',
		container: 'hmm_devmem_ops',
		name: 'free',
		until: '5.3',
		summary: 'Old HMM callback `free(devmem, page)`: the last reference to a device page is gone.',
		replacement: '`dev_pagemap_ops.page_free(struct page *page)`',
		source: MIGRATING,
	},
	{
		kind: 'field',
		container: 'hmm_devmem_ops',
		name: 'fault',
		until: '5.3',
		summary: 'Old HMM callback `fault(devmem, vma, addr, page, flags, pmdp)`: the CPU touched a device page; migrate it back to RAM.',
		notes: [{ since: '5.1', text: 'Returns `vm_fault_t`.' }],
		replacement: '`dev_pagemap_ops.migrate_to_ram(struct vm_fault *vmf)` using `vmf->vma`, `vmf->address`, `vmf->page`',
		source: MIGRATING,
	},
	{
		kind: 'typedef',
		name: 'dev_page_fault_t',
		since: '4.16',
		until: '5.0',
		header: MEMREMAP_H,
		summary: 'Type of `dev_pagemap.page_fault`.',
		replacement: '`dev_pagemap_ops.migrate_to_ram` (5.3+)',
		source: PAGEMAP_TABLE,
	},
	{
		kind: 'typedef',
		name: 'dev_page_free_t',
		since: '4.16',
		until: '5.3',
		header: MEMREMAP_H,
		summary: 'Type of `dev_pagemap.page_free`.',
		replacement: '`dev_pagemap_ops.page_free` (5.3+)',
		source: PAGEMAP_TABLE,
	},
];

/** Every entry, keyed `container.name` for fields and plain `name` otherwise. */
export const ZONE_DEVICE: ReadonlyMap<string, ZoneDeviceEntry> = new Map(entries.map((e) => [entryKey(e), e]));

/** Fields by name alone, for bases whose type the document does not reveal. */
const FIELDS_BY_NAME = new Map<string, ZoneDeviceEntry[]>();
for (const e of entries) {
	if (e.kind !== 'field') continue;
	const list = FIELDS_BY_NAME.get(e.name);
	if (list) list.push(e);
	else FIELDS_BY_NAME.set(e.name, [e]);
}

export function entryKey(e: Pick<ZoneDeviceEntry, 'container' | 'name' | 'kind'>): string {
	return e.kind === 'field' ? `${e.container}.${e.name}` : e.name;
}

/** Struct tags (and enum names) the knowledge base describes. */
export const ZONE_DEVICE_TYPES: ReadonlySet<string> = new Set(
	entries.flatMap((e) => (e.kind === 'struct' || e.kind === 'enum' ? [e.name] : e.container ? [e.container] : [])),
);

export function fieldEntry(container: string, name: string): ZoneDeviceEntry | undefined {
	return ZONE_DEVICE.get(`${container}.${name}`);
}

/** The one field of that name in the family, if only one struct has it. */
export function uniqueFieldEntry(name: string): ZoneDeviceEntry | undefined {
	const list = FIELDS_BY_NAME.get(name);
	return list?.length === 1 ? list[0] : undefined;
}

/** Whether a version lies in [since, until). An unknown version is in every range. */
export function inVersionRange(v: KernelVersion | undefined, range: { since?: string; until?: string }): boolean {
	if (!v) return true;
	if (range.since && compareVersion(v, range.since) < 0) return false;
	if (range.until && compareVersion(v, range.until) >= 0) return false;
	return true;
}

export function existsIn(e: ZoneDeviceEntry, v: KernelVersion | undefined): boolean {
	return inVersionRange(v, e);
}

/** The notes that hold for a version (all of them when the version is unknown). */
export function notesFor(e: ZoneDeviceEntry, v: KernelVersion | undefined): string[] {
	return (e.notes ?? []).filter((n) => inVersionRange(v, n)).map((n) => n.text);
}

/** The fields of a struct in a version, in the knowledge base's order. */
export function fieldsIn(container: string, v: KernelVersion | undefined): string[] {
	return entries.filter((e) => e.kind === 'field' && e.container === container && existsIn(e, v)).map((e) => e.name);
}

/** `enum memory_type` of a version: names with their values (the enum starts at 1, then counts up). */
export function memoryTypesIn(v: KernelVersion | undefined): { name: string; value: number }[] {
	return entries
		.filter((e) => e.kind === 'enumerator' && e.container === 'memory_type' && existsIn(e, v))
		.map((e, i) => ({ name: e.name, value: i + 1 }));
}

/** Members (struct fields, enumerators) that a version had and a later one removed, by name. */
const REMOVED_BY_NAME = new Map<string, ZoneDeviceEntry[]>();
for (const e of entries) {
	if ((e.kind !== 'field' && e.kind !== 'enumerator') || !e.until || !e.container) continue;
	const list = REMOVED_BY_NAME.get(e.name);
	if (list) list.push(e);
	else REMOVED_BY_NAME.set(e.name, [e]);
}

/** The removed member of that name in struct (or enum) `container`, if the knowledge base records one. */
export function removedMember(container: string, name: string): ZoneDeviceEntry | undefined {
	return REMOVED_BY_NAME.get(name)?.find((e) => e.container === container);
}

/** Whether some family struct or enum lost a member of this name, or one changed shape: the cheap first question. */
export function isRemovedMemberName(name: string): boolean {
	return REMOVED_BY_NAME.has(name) || EMBEDDED_BY_NAME.has(name);
}

/** Members that were pointers and are embedded structs now, by name. */
const EMBEDDED_BY_NAME = new Map(entries.filter((e) => e.kind === 'field' && e.embeddedSince).map((e) => [e.name, e]));

/** The member of that name in struct `container` that became an embedded struct, if one did. */
export function embeddedMember(container: string, name: string): ZoneDeviceEntry | undefined {
	const e = EMBEDDED_BY_NAME.get(name);
	return e?.container === container ? e : undefined;
}
