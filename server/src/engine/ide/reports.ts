/**
 * The whole-tree reports an editor shows as documents: the ZONE_DEVICE map and the export
 * audit, as Markdown whose links the front end spells (`link` gets an absolute path and a
 * 0-based line). Without a complete call graph they say why there is nothing to show.
 */
import type { KernelIndex } from '../kernel/index';
import { auditExports, auditMarkdown } from '../graph/audit';
import { zoneDeviceMap, zoneDeviceMarkdown, type ZoneDeviceMap } from '../graph/zoneDevice';

export type Link = (file: string, line: number) => string;

/** A complete call graph of a source tree: what the reports need. */
const usable = (index: KernelIndex | undefined): index is KernelIndex => index?.ready.functions === true && !index.callGraphNote;

/** Why `index` (not usable) gives no report titled `title`. */
function unavailable(index: KernelIndex | undefined, title: string, what: string): string {
	if (!index?.ready.functions) return `# ${title}\n\nThe kernel is not indexed yet.\n`;
	return `# ${title}\n\n${index.root}: ${index.callGraphNote}; the ${what} needs a kernel source tree.\n`;
}

export function zoneDeviceReport(index: KernelIndex | undefined, link: Link): { map: ZoneDeviceMap | null; markdown: string } {
	if (!usable(index)) return { map: null, markdown: unavailable(index, 'ZONE_DEVICE map', 'map') };
	const map = zoneDeviceMap(index);
	return { map, markdown: zoneDeviceMarkdown(map, (p) => link(index.absolutePath(p.file), p.line)) };
}

/** The export audit of one file of the tree (absolute path), or of the whole tree. */
export function exportAuditReport(index: KernelIndex | undefined, file: string | undefined, link: Link): { markdown: string } {
	if (!usable(index)) return { markdown: unavailable(index, 'Export audit', 'audit') };
	const rel = file === undefined ? undefined : index.relativePath(file);
	const entries = rel === undefined ? auditExports(index) : auditExports(index, {}, rel);
	return { markdown: auditMarkdown(entries, rel ?? `the whole tree (${index.root})`, (f, line) => link(index.absolutePath(f), line)) };
}
