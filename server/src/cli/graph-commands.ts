/** `kmm callers`, `kmm callees`, `kmm zone-device`, `kmm audit-exports`: the call graph, printed. */
import { parseArgs } from 'node:util';
import { auditExports } from '../engine/graph/audit';
import { callTree, describeVia, type TreeNode } from '../engine/graph/calltree';
import { byMemoryType, zoneDeviceMap, type Place, type ZoneDeviceCreator } from '../engine/graph/zoneDevice';
import { loadKernelCached } from './kernel';
import { EXIT_CLEAN, UsageError } from './usage';

const COMMON = `  --kernel DIR      the kernel tree (default: the workspace or KDIR, as for check); a
                    headers tree has no call graph, and these commands say so
  --build DIR       the build (O= directory or headers tree) of the source tree
  --config FILE     a .config to decide tristate options
  --cache-dir DIR   where the index cache lives (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm)
  --json            machine-readable output`;

const TREE_HELP = (what: string, dir: string) => `usage: kmm ${what} SYMBOL [--depth N] [--direct] [--json] [--kernel DIR]

The ${dir} of SYMBOL as a tree, with the file:line of every call. Calls through ops tables
(\`pgmap->ops->page_free(page)\` reaching the functions that designated initializers bind to
\`.page_free\`) are included and marked "via"; the first such query reads the whole tree once.
  --depth N         levels to follow (default 2)
  --direct          direct calls only (no ops dispatch)
${COMMON}`;

export const CALLERS_HELP = TREE_HELP('callers', 'functions that call (or reference)');
export const CALLEES_HELP = TREE_HELP('callees', 'functions called by');

export const ZONE_DEVICE_HELP = `usage: kmm zone-device [--json] [--kernel DIR]

Every device-memory creator of the tree: the callers of devm_memremap_pages and
memremap_pages (and of the legacy hmm_devmem_add / hmm_devmem_add_resource), grouped by the
MEMORY_DEVICE_* type they set, each with its file, module or built-in unit, license, and the
ops table it registers with that table's members.
${COMMON}`;

export const AUDIT_EXPORTS_HELP = `usage: kmm audit-exports [--depth N] [--json] [--kernel DIR]

For every export that is not GPL-only: the GPL-only exports and the unexported core
functions (non-static, not exported, linked into vmlinux) its direct calls reach within N
levels (default 4), each with one shortest call path. Exports that reach nothing are not listed.
  --depth N         call levels to follow (default 4)
${COMMON}`;

export const GRAPH_HELPS: Record<string, string> = {
	callers: CALLERS_HELP,
	callees: CALLEES_HELP,
	'zone-device': ZONE_DEVICE_HELP,
	'audit-exports': AUDIT_EXPORTS_HELP,
};

const OPTIONS = {
	kernel: { type: 'string' },
	build: { type: 'string' },
	config: { type: 'string' },
	'cache-dir': { type: 'string' },
	json: { type: 'boolean', default: false },
	depth: { type: 'string' },
	direct: { type: 'boolean', default: false },
} as const;

function depthOf(value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1) throw new UsageError(`--depth must be a positive integer, not '${value}'`);
	return n;
}

/** Runs one of the graph commands (`command` is a key of GRAPH_HELPS). */
export async function runGraphCommand(command: string, args: string[], write: (s: string) => void): Promise<number> {
	let parsed;
	try {
		parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
	} catch (err) {
		throw new UsageError((err as Error).message);
	}
	const { values, positionals } = parsed;
	const tree = command === 'callers' || command === 'callees';
	if (tree && positionals.length !== 1) throw new UsageError(`kmm ${command} takes one SYMBOL`);
	if (!tree && positionals.length > 0) throw new UsageError(`kmm ${command} takes no arguments (got '${positionals[0]}')`);
	if (values.direct && !tree) throw new UsageError(`--direct applies to callers and callees only`);
	if (values.depth !== undefined && command === 'zone-device') throw new UsageError('--depth does not apply to zone-device');
	// Dispatch edges need every file's ops scan: made on the workers (and cached) rather than here.
	const ops = tree && !values.direct;
	const index = await loadKernelCached({ kernel: values.kernel, build: values.build, config: values.config, cacheDir: values['cache-dir'], ops });
	const note = index.callGraphNote;
	if (note) {
		// An empty answer would read as "nothing calls it"; say why there is none.
		const why = `${index.root}: ${note}; kmm ${command} needs a kernel source tree (--kernel SRC --build ${index.root})`;
		write(values.json ? JSON.stringify({ note: why }) + '\n' : why + '\n');
		return EXIT_CLEAN;
	}
	if (tree) {
		const symbol = positionals[0];
		const direction = command === 'callers' ? 'incoming' : 'outgoing';
		const result = callTree(index, symbol, direction, { depth: depthOf(values.depth, 2), ops: !values.direct });
		if (values.json) write(JSON.stringify({ symbol, direction, ...result }) + '\n');
		else write(printTree(result.root, direction, result.truncated));
		return EXIT_CLEAN;
	}
	if (command === 'zone-device') {
		const map = zoneDeviceMap(index);
		if (values.json) write(JSON.stringify(map) + '\n');
		else write(printZoneDevice(map.creators));
		return EXIT_CLEAN;
	}
	const entries = auditExports(index, { depth: depthOf(values.depth, 4) });
	if (values.json) {
		write(JSON.stringify(entries) + '\n');
		return EXIT_CLEAN;
	}
	const lines: string[] = [];
	for (const e of entries) {
		lines.push(`${e.export.symbol} (${e.export.macro}, ${e.export.file}:${e.export.line + 1})`);
		for (const r of e.gplOnly) lines.push(`  GPL-only export  ${r.symbol}: ${r.path.join(' -> ')}`);
		for (const r of e.unexported) lines.push(`  unexported core ${r.symbol}: ${r.path.join(' -> ')}`);
	}
	lines.push(`${entries.length} non-GPL exports reach GPL-only or unexported core code`);
	write(lines.join('\n') + '\n');
	return EXIT_CLEAN;
}

function printTree(root: TreeNode, direction: 'incoming' | 'outgoing', truncated: boolean): string {
	const lines = [`${root.name}${root.file ? `  ${root.file}:${root.line}` : ''}`];
	const walk = (node: TreeNode, indent: string) => {
		for (const child of node.children) {
			const what = child.table ? ' (ops table)' : child.seen ? ' (see above)' : '';
			lines.push(`${indent}${direction === 'incoming' ? '<-' : '->'} ${child.name}${what}${child.file ? `  ${child.file}:${child.line}` : ''}`);
			for (const s of child.sites) lines.push(`${indent}     ${s.kind === 'call' ? 'called at' : s.kind === 'reference' ? 'referenced at' : 'dispatched at'} ${s.file}:${s.line}${s.via ? `  ${describeVia(s.via)}` : ''}`);
			walk(child, indent + '   ');
		}
	};
	walk(root, '');
	if (root.children.length === 0) lines.push(direction === 'incoming' ? '  (no callers found)' : '  (no callees found)');
	if (truncated) lines.push('(tree cut short: too many nodes; use a smaller --depth)');
	return lines.join('\n') + '\n';
}

const at = (p: Place) => `${p.file}:${p.line + 1}`;

function printZoneDevice(creators: ZoneDeviceCreator[]): string {
	const lines: string[] = [];
	for (const [type, list] of byMemoryType({ root: '', creators })) {
		lines.push(`${type}:`);
		for (const c of list) {
			const unit = c.kind === 'builtin' ? `built-in ${c.module}` : c.kind === 'unknown' ? 'no kbuild unit' : `${c.kind} ${c.module} ${c.licenses.map((l) => `"${l}"`).join(', ') || 'no MODULE_LICENSE'}`;
			lines.push(`  ${c.function}  ${at(c.at)}  [${unit}]`);
			for (const call of c.calls) lines.push(`    calls ${call.api} at ${at(call)}`);
			const setting = c.memoryTypes.find((t) => t.type === type);
			if (setting) lines.push(`    sets ${type} at ${at(setting.at)}${setting.scope === 'api' ? ' (implied by the call)' : setting.scope === 'file' ? ' (elsewhere in the file)' : ''}`);
			for (const ops of c.ops) {
				lines.push(`    ops ${ops.struct ? `struct ${ops.struct} ` : ''}${ops.table}${ops.at ? ` (${at(ops.at)})` : ''}`);
				for (const m of ops.members) lines.push(`      .${m.member} = ${m.fn}  ${at(m.at)}`);
			}
		}
	}
	lines.push(`${creators.length} device-memory creators`);
	return lines.join('\n') + '\n';
}
