/**
 * The ZONE_DEVICE map: every function of the tree that creates device memory, i.e. calls
 * devm_memremap_pages or memremap_pages (or, before 5.3, hmm_devmem_add / _add_resource),
 * with its module and license, the memory types it sets and the ops it registers.
 *
 * Callers that are themselves one of these entry points (devm_memremap_pages calling
 * memremap_pages, 5.0's hmm_devmem_add calling devm_memremap_pages) are the API, not users;
 * tools/ holds test harnesses (nvdimm's --wrap shims), not kernel code. Both are left out.
 *
 * Types and ops are read lexically from the creator's file: `.type = MEMORY_DEVICE_*` and
 * `.ops = &table` inside the creator's body, else anywhere in its file (a helper may fill the
 * pgmap); the legacy calls name their ops table as the first argument and imply the type.
 */
import type { KernelIndex } from '../kernel/index';
import { blankNonCode } from '../lex';
import { readText } from '../read';
import { unpackOps } from '../kernel/opsscan';

export const ZONE_DEVICE_APIS = ['devm_memremap_pages', 'memremap_pages', 'hmm_devmem_add', 'hmm_devmem_add_resource'] as const;

/** What the legacy API sets up by itself (kernel-facts: _add makes PRIVATE pages, _add_resource PUBLIC ones). */
const IMPLIED_TYPES: Record<string, string> = {
	hmm_devmem_add: 'MEMORY_DEVICE_PRIVATE',
	hmm_devmem_add_resource: 'MEMORY_DEVICE_PUBLIC',
};

export interface Place {
	/** Relative to the tree root. */
	file: string;
	/** 0-based. */
	line: number;
	character: number;
}

export interface OpsRegistration {
	table: string;
	struct?: string;
	/** Where the table is defined; undefined when the tree has no initializer for it. */
	at?: Place;
	/** Where the creator (or its file) points the pgmap at the table. */
	set: Place;
	members: { member: string; fn: string; at: Place }[];
}

export interface MemoryTypeSetting {
	type: string;
	at: Place;
	/** `function`: set in the creator's body; `file`: elsewhere in its file; `api`: implied by a legacy call. */
	scope: 'function' | 'file' | 'api';
}

export interface ZoneDeviceCreator {
	function: string;
	/** The creator's definition. */
	at: Place;
	/** The calls into the ZONE_DEVICE API. */
	calls: (Place & { api: string })[];
	module?: string;
	kind: 'module' | 'maybe-module' | 'builtin' | 'unknown';
	/** MODULE_LICENSE strings of its module (none for built-in code). */
	licenses: string[];
	memoryTypes: MemoryTypeSetting[];
	ops: OpsRegistration[];
}

export interface ZoneDeviceMap {
	root: string;
	creators: ZoneDeviceCreator[];
}

/** The ops structs a pgmap (or, before 5.3, an hmm_devmem) points at. */
const PAGEMAP_OPS = new Set(['dev_pagemap_ops', 'hmm_devmem_ops']);

const TYPE_RE = /(?:\.|->)\s*type\s*=\s*(MEMORY_DEVICE_\w+)/g;
const OPS_RE = /(?:\.|->)\s*ops\s*=\s*(?:&\s*)?([A-Za-z_]\w*)/g;

interface Match {
	value: string;
	at: Place;
	/** The function holding it. */
	owner?: string;
}

function matches(index: KernelIndex, file: string, text: string, re: RegExp): Match[] {
	const out: Match[] = [];
	const lines = text.split('\n');
	lines.forEach((line, k) => {
		for (const m of line.matchAll(re)) {
			const character = (m.index as number) + m[0].lastIndexOf(m[1]);
			const owner = index.graph.enclosingFunction(file, k, character)?.name;
			const match: Match = { value: m[1], at: { file, line: k, character } };
			if (owner) match.owner = owner;
			out.push(match);
		}
	});
	return out;
}

/** The matches inside `fn`, else every match of the file. */
function scoped(all: Match[], fn: string): { match: Match; scope: 'function' | 'file' }[] {
	const own = all.filter((m) => m.owner === fn);
	return own.length > 0 ? own.map((match) => ({ match, scope: 'function' })) : all.map((match) => ({ match, scope: 'file' }));
}

/** The ops table `name` as `file` sees it: its own initializer, else a non-static one elsewhere. */
function opsTable(index: KernelIndex, name: string, file: string, set: Place): OpsRegistration {
	const candidates = [file, ...index.graph.variablesOf(name).map((v) => v.file).filter((f) => f !== file)];
	for (const f of candidates) {
		const packed = index.opsOf(f);
		if (!packed) continue;
		const bindings = unpackOps(packed, (n) => index.graph.definitionsOf(n).length > 0).bindings.filter((b) => b.table === name);
		if (bindings.length === 0) continue;
		const variable = index.graph.variablesOf(name).find((v) => v.file === f);
		const reg: OpsRegistration = {
			table: name,
			set,
			members: bindings.map((b) => ({ member: b.member, fn: b.fn, at: { file: f, line: b.line, character: b.character } })),
		};
		if (bindings[0].struct) reg.struct = bindings[0].struct;
		if (variable) reg.at = { file: f, line: variable.line, character: variable.character };
		return reg;
	}
	return { table: name, set, members: [] };
}

/** Every device-memory creator of the tree, sorted by file and function. */
export function zoneDeviceMap(index: KernelIndex): ZoneDeviceMap {
	const apis = new Set<string>(ZONE_DEVICE_APIS);
	const creators = new Map<string, ZoneDeviceCreator>();
	const texts = new Map<string, string | undefined>();
	for (const api of ZONE_DEVICE_APIS) {
		for (const site of index.callersOf(api)) {
			if (site.kind !== 'call' || apis.has(site.caller) || site.file.startsWith('tools/')) continue;
			const key = `${site.caller}\0${site.file}`;
			let creator = creators.get(key);
			if (!creator) {
				const def = index.definitionsOf(site.caller).find((d) => d.file === site.file);
				const unit = index.unitOfFile.get(site.file);
				creator = {
					function: site.caller,
					at: { file: site.file, line: def?.line ?? site.line, character: def?.character ?? 0 },
					calls: [],
					kind: unit?.kind ?? 'unknown',
					licenses: unit && unit.kind !== 'builtin' ? [...new Set(index.licensesOf(unit).map((l) => l.license))] : [],
					memoryTypes: [],
					ops: [],
				};
				if (unit) creator.module = unit.name;
				creators.set(key, creator);
			}
			creator.calls.push({ file: site.file, line: site.line, character: site.character, api });
		}
	}
	for (const creator of creators.values()) {
		const file = creator.at.file;
		if (!texts.has(file)) texts.set(file, readText(index.absolutePath(file), 'source'));
		const raw = texts.get(file);
		if (raw === undefined) continue;
		const text = blankNonCode(raw);
		const types = new Map<string, MemoryTypeSetting>();
		for (const { match, scope } of scoped(matches(index, file, text, TYPE_RE), creator.function)) {
			if (!types.has(match.value)) types.set(match.value, { type: match.value, at: match.at, scope });
		}
		const lines = text.split('\n');
		const tables = new Map<string, Place>();
		for (const call of creator.calls) {
			const implied = IMPLIED_TYPES[call.api];
			if (implied && !types.has(implied)) types.set(implied, { type: implied, at: call, scope: 'api' });
			if (implied) {
				// hmm_devmem_add(&ops, dev, size): the table is the first argument.
				const m = /^\s*\(\s*(?:&\s*)?([A-Za-z_]\w*)\s*,/.exec(lines[call.line].slice(call.character + call.api.length));
				if (m && !tables.has(m[1])) tables.set(m[1], call);
			}
		}
		for (const { match } of scoped(matches(index, file, text, OPS_RE), creator.function)) {
			if (!tables.has(match.value)) tables.set(match.value, match.at);
		}
		creator.memoryTypes = [...types.values()];
		// `.ops = &x` also sets other structs' ops (an fs_context's, a device's): keep pagemap ops.
		creator.ops = [...tables].map(([name, set]) => opsTable(index, name, file, set)).filter((o) => o.struct === undefined || PAGEMAP_OPS.has(o.struct));
	}
	const sorted = [...creators.values()].sort((a, b) => a.at.file.localeCompare(b.at.file) || a.function.localeCompare(b.function));
	return { root: index.root, creators: sorted };
}

/** Creators grouped by memory type (a creator setting several appears under each; none: `unknown`). */
export function byMemoryType(map: ZoneDeviceMap): Map<string, ZoneDeviceCreator[]> {
	const groups = new Map<string, ZoneDeviceCreator[]>();
	for (const c of map.creators) {
		const types = c.memoryTypes.length > 0 ? c.memoryTypes.map((t) => t.type) : ['unknown'];
		for (const t of types) {
			const list = groups.get(t);
			if (list) list.push(c);
			else groups.set(t, [c]);
		}
	}
	return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function describeUnit(c: ZoneDeviceCreator): string {
	if (c.kind === 'builtin') return `built-in (${c.module})`;
	if (c.kind === 'unknown') return 'no kbuild unit found';
	const license = c.licenses.length > 0 ? c.licenses.map((l) => `"${l}"`).join(', ') : 'no MODULE_LICENSE';
	return `${c.kind === 'module' ? 'module' : 'module or built-in (tristate)'} ${c.module}, ${license}`;
}

/** The map as Markdown; `link(place)` turns a location into a link target (a file URI, say). */
export function zoneDeviceMarkdown(map: ZoneDeviceMap, link: (p: Place) => string): string {
	const at = (p: Place, text = `${p.file}:${p.line + 1}`) => `[${text}](${link(p)})`;
	const out = [`# ZONE_DEVICE map`, '', `${map.creators.length} device-memory creators in \`${map.root}\`.`, ''];
	for (const [type, creators] of byMemoryType(map)) {
		out.push(`## ${type}`, '');
		for (const c of creators) {
			out.push(`### \`${c.function}\` — ${at(c.at)}`, '', `- ${describeUnit(c)}`);
			for (const call of c.calls) out.push(`- calls \`${call.api}\` at ${at(call)}`);
			const setting = c.memoryTypes.find((t) => t.type === type);
			if (setting) out.push(`- sets \`${type}\` at ${at(setting.at)}${setting.scope === 'api' ? ' (implied by the call)' : setting.scope === 'file' ? ' (in its file)' : ''}`);
			for (const ops of c.ops) {
				out.push(`- ops \`${ops.struct ? `struct ${ops.struct} ` : ''}${ops.table}\`${ops.at ? ` (${at(ops.at)})` : ''}, set at ${at(ops.set)}`);
				for (const m of ops.members) out.push(`  - \`.${m.member}\` = \`${m.fn}\` — ${at(m.at)}`);
			}
			out.push('');
		}
	}
	return out.join('\n');
}
