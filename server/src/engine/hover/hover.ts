/**
 * Hover text: Markdown with C code blocks, a one-line answer first and details below, in
 * plain sentences so that clients showing it as plaintext still read well. What holds for
 * the indexed version comes first; history only where the knowledge base records a change.
 */
import { basename, relative } from 'node:path';
import type { ModuleContext } from '../checks/types';
import { activeExport } from '../inline-reach';
import type { ExportRecord, KernelIndex } from '../kernel/index';
import type { DeclSite, KernelDecls, OtherDecl, RecordDecl } from '../headers/structs';
import { compareVersion, formatVersion, type KernelVersion } from '../version';
import { GPL_COMPATIBLE_LICENSES, isGplCompatible } from '../knowledge/licenses';
import {
	existsIn,
	fieldEntry,
	memoryTypesIn,
	notesFor,
	uniqueFieldEntry,
	ZONE_DEVICE,
	type ZoneDeviceEntry,
} from '../knowledge/zone-device';
import { extractFacts } from '../syntax/facts';
import type { Tree } from '../syntax/parser';
import { exportKind, exportVerdict } from './export-status';
import type { Target } from './resolve';

/** Everything a hover reads besides the target. */
export interface HoverContext {
	kernel: KernelIndex;
	decls: KernelDecls;
	module?: ModuleContext;
	tree: Tree;
	text: string;
	file: string;
}

/** Enum bodies up to this many lines are shown whole on an enumerator. */
const SHORT_ENUM_LINES = 15;
/** GPL-only uses listed on a MODULE_LICENSE hover. */
const MAX_LISTED_USES = 8;

export function renderHover(target: Target, ctx: HoverContext): string | undefined {
	switch (target.kind) {
		case 'license':
			return licenseHover(target.license, ctx);
		case 'record':
			return recordHover(target.tag, target.recordKind, ctx);
		case 'field':
			return fieldHover(target.name, target.container, ctx);
		case 'symbol':
			return symbolHover(target.name, ctx);
	}
}

/** The struct a field belongs to: as the document declares it, else the one family struct with that field. */
export function fieldOwner(name: string, container: string | undefined): { container: string; entry?: ZoneDeviceEntry } | undefined {
	if (container) return { container, entry: fieldEntry(container, name) };
	const entry = uniqueFieldEntry(name);
	return entry?.container ? { container: entry.container, entry } : undefined;
}

function versionName(v: KernelVersion | undefined): string {
	return v ? formatVersion(v) : 'this tree';
}

function code(text: string): string {
	return '```c\n' + text + '\n```';
}

function where(site: DeclSite): string {
	return `${site.file}:${site.line + 1}`;
}

/** Why an item is missing from the indexed version, as one clause. */
function absence(entry: ZoneDeviceEntry | undefined, v: KernelVersion | undefined, fallback: string): string {
	const name = versionName(v);
	if (entry?.until && v && compareVersion(v, entry.until) >= 0) {
		return `not in ${name}: removed in ${entry.until}.${entry.replacement ? ` Instead: ${entry.replacement}.` : ''}`;
	}
	if (entry?.since && v && compareVersion(v, entry.since) < 0) {
		return `not in ${name}: added in ${entry.since}${entry.previously ? `; ${name} has ${entry.previously} instead` : ''}.`;
	}
	return `not in ${name}: ${fallback}.`;
}

/** Version notes, details, what is coming, history and source of an entry. */
/** How to introduce an entry's summary when the indexed version lacks it. */
function elsewhere(entry: ZoneDeviceEntry, v: KernelVersion | undefined): string {
	return entry.since && v && compareVersion(v, entry.since) < 0 ? `From ${entry.since}` : 'What it was';
}

function knowledge(entry: ZoneDeviceEntry, v: KernelVersion | undefined, present: boolean): string[] {
	const out: string[] = [];
	out.push(...notesFor(entry, v));
	out.push(...(entry.details ?? []));
	if (present && entry.until) out.push(`Removed in ${entry.until}.${entry.replacement ? ` Instead: ${entry.replacement}.` : ''}`);
	if (entry.history?.length) out.push(['History:', ...entry.history.map((h) => `- ${h.version}: ${h.text}`)].join('\n'));
	out.push(`_Source: ${entry.source}._`);
	return out;
}

function join(parts: (string | undefined)[]): string {
	return parts.filter((p): p is string => !!p && p.length > 0).join('\n\n');
}

function fieldHover(name: string, container: string | undefined, ctx: HoverContext): string | undefined {
	const owner = fieldOwner(name, container);
	if (!owner) return undefined;
	const v = ctx.kernel.version;
	const record = ctx.decls.record(owner.container);
	const decl = record?.fields.get(name);
	const entry = owner.entry;
	if (!entry && !decl) return undefined;
	const present = decl ? true : record ? false : existsIn(entry!, v);
	const title = `**\`${owner.container}.${name}\`**`;
	if (!present) {
		return join([
			`${title} — ${absence(entry, v, `\`struct ${owner.container}\` in this tree has no such field`)}`,
			entry && `${elsewhere(entry, v)}: ${entry.summary}`,
			record && `The fields of \`struct ${owner.container}\` in ${versionName(v)}: ${[...record.fields.keys()].map((f) => `\`${f}\``).join(', ')}.`,
			...(entry ? knowledge(entry, v, false) : []),
		]);
	}
	const comment = decl?.comment && !decl.text.includes(decl.comment) ? `The tree's comment: ${decl.comment}` : undefined;
	return join([
		`${title} — ${entry ? entry.summary : `a field of \`struct ${owner.container}\`.`}`,
		decl && code(decl.text),
		decl && `Declared in \`struct ${owner.container}\` at ${where(decl.site)}${decl.nested ? ' (inside an anonymous union/struct)' : ''}.`,
		comment,
		...(entry ? knowledge(entry, v, true) : []),
	]);
}

function recordHover(tag: string, kind: RecordDecl['kind'], ctx: HoverContext): string | undefined {
	const v = ctx.kernel.version;
	const candidate = ZONE_DEVICE.get(tag);
	const entry = candidate && (candidate.kind === 'struct' || candidate.kind === 'enum') ? candidate : undefined;
	const record = ctx.decls.record(tag);
	if (!entry && !record) return undefined;
	const title = `**${record?.kind ?? kind} ${tag}**`;
	if (!record && entry && !existsIn(entry, v)) {
		return join([`${title} — ${absence(entry, v, 'not defined')}`, `${elsewhere(entry, v)}: ${entry.summary}`, ...knowledge(entry, v, false)]);
	}
	return join([
		`${title} — ${entry ? entry.summary : `defined at ${record ? where(record.site) : 'an unknown place'}.`}`,
		record && code(record.text),
		record && `Defined at ${where(record.site)}.`,
		record?.comment && !entry ? `The tree's comment: ${record.comment}` : undefined,
		...(entry ? knowledge(entry, v, true) : []),
	]);
}

function enumeratorHover(name: string, entry: ZoneDeviceEntry | undefined, ctx: HoverContext): string | undefined {
	const v = ctx.kernel.version;
	const decl = ctx.decls.enumerator(name);
	const enumName = decl?.enumName ?? entry?.container;
	const record = enumName ? ctx.decls.record(enumName) : undefined;
	if (!decl && !entry) return undefined;
	const present = decl ? true : record ? false : existsIn(entry!, v);
	const title = `**\`${name}\`**`;
	if (!present) {
		const values = record
			? [...record.enumerators.values()].map((e) => `${e.name}${e.value === undefined ? '' : ` = ${e.value}`}`)
			: memoryTypesIn(v).map((e) => `${e.name} = ${e.value}`);
		return join([
			`${title} — ${absence(entry, v, `\`enum ${enumName}\` in this tree has no such value`)}`,
			entry && `${elsewhere(entry, v)}: ${entry.summary}`,
			values.length > 0 ? `\`enum ${enumName}\` in ${versionName(v)}: ${values.join(', ')}.` : undefined,
			...(entry ? knowledge(entry, v, false) : []),
		]);
	}
	const value = decl?.value === undefined ? '' : ` = ${decl.value} in ${versionName(v)}`;
	const body = record && record.text.split('\n').length <= SHORT_ENUM_LINES ? record.text : decl?.text;
	return join([
		`${title}${value} — ${entry ? entry.summary : `a value of \`enum ${enumName}\`.`}`,
		body && code(body),
		decl && `Defined at ${where(decl.site)}.`,
		decl?.comment ? `The tree's comment: ${decl.comment}` : undefined,
		...(entry ? knowledge(entry, v, true) : []),
	]);
}

function symbolHover(name: string, ctx: HoverContext): string | undefined {
	const candidate = ZONE_DEVICE.get(name);
	const entry = candidate && candidate.kind !== 'field' ? candidate : undefined;
	if (entry?.kind === 'enumerator' || (!entry && ctx.decls.enumerator(name))) return enumeratorHover(name, entry, ctx);
	if (entry && (entry.kind === 'struct' || entry.kind === 'enum')) return recordHover(name, entry.kind, ctx);
	const v = ctx.kernel.version;
	const exp = activeExport(ctx.kernel, name, ctx.module) ?? ctx.kernel.exportOf(name);
	const decls = ctx.decls.declarations(name);
	if (!entry && !exp && decls.length === 0) return undefined;
	const title = `**\`${name}\`**`;
	if (ctx.module?.definitions.has(name) && (exp || entry)) {
		return join([
			`${title} — defined by this module (${ctx.module.name}), so calls bind to that definition, not to the kernel's.`,
			exp && `The kernel also exports a \`${name}\` (${exportKind(exp)}, ${exp.file}:${exp.line + 1}).`,
		]);
	}
	const present = !!exp || decls.length > 0;
	if (!present && entry) {
		return join([`${title} — ${absence(entry, v, 'the tree neither declares nor exports it')}`, `${elsewhere(entry, v)}: ${entry.summary}`, ...knowledge(entry, v, false)]);
	}
	const definition = exp ? ctx.decls.sourceDefinition(exp) : undefined;
	const shown = preferredDeclaration(decls);
	const signature = shown?.text ?? definition?.signature;
	const exportLine = exp ? exportSentence(exp, definition?.site, ctx) : undefined;
	const first = entry
		? `${title} — ${entry.summary}`
		: exp
			? `${title} — ${exportLine!.headline}`
			: `${title} — ${describeDecl(shown!)}.`;
	return join([
		first,
		entry && exportLine ? `**Export:** ${exportLine.headline}` : undefined,
		signature && code(signature),
		shown && `${capitalize(describeDecl(shown))} at ${where(shown.site)}.`,
		exportLine?.where,
		...(exportLine?.details ?? []),
		...(entry ? knowledge(entry, v, true) : []),
	]);
}

function preferredDeclaration(decls: OtherDecl[]): OtherDecl | undefined {
	return decls.find((d) => d.kind === 'prototype') ?? decls[0];
}

function describeDecl(d: OtherDecl): string {
	switch (d.kind) {
		case 'macro':
			return 'a macro, defined';
		case 'typedef':
			return 'a typedef, defined';
		case 'function':
			return 'a header inline (no export involved), defined';
		case 'prototype':
			return 'declared';
	}
}

function capitalize(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

function exportSentence(
	exp: ExportRecord,
	defined: DeclSite | undefined,
	ctx: HoverContext,
): { headline: string; where: string; details: string[] } {
	const verdict = exportVerdict(exp, ctx.module, ctx.kernel);
	const others = (ctx.kernel.exports.get(exp.symbol) ?? []).filter((e) => e !== exp);
	const also = others.length > 0 ? ` Also exported from ${others.map((e) => `${e.file}:${e.line + 1} (${e.macro})`).join(', ')}.` : '';
	return {
		headline: `${exportKind(exp)} (\`${exp.macro}\`): ${verdict.verdict}`,
		where: `Exported with \`${exp.macro}\` at ${exp.file}:${exp.line + 1}${defined ? `, defined at ${where(defined)}` : ''}${exp.namespace ? `, namespace \`${exp.namespace}\`` : ''}.${also}`,
		details: verdict.details,
	};
}

function licenseHover(license: string, ctx: HoverContext): string {
	const module = ctx.module;
	const compatible = isGplCompatible(license);
	const title = `**MODULE_LICENSE("${license}")**`;
	if (module?.kind === 'builtin') {
		return join([
			`${title} — built-in code: no license check applies (it is linked into vmlinux, not loaded as a module).`,
			`${compatible ? 'It is' : 'It is not'} GPL-compatible, which would matter only if the code were built as a module.`,
		]);
	}
	const ko = module ? `${module.name}.ko` : 'the module';
	const first = compatible
		? `${title} — GPL-compatible: ${ko} may use GPL-only exports (\`EXPORT_SYMBOL_GPL\`).`
		: `${title} — not GPL-compatible: ${ko} taints the kernel when loaded and may not use GPL-only exports; modpost fails the build if it does.`;
	const parts: string[] = [first];
	const nearMiss = compatible ? undefined : GPL_COMPATIBLE_LICENSES.find((l) => norm(l) === norm(license));
	if (nearMiss) parts.push(`Did you mean "${nearMiss}"? The comparison is exact: case and spaces count.`);
	if (module) {
		const files = module.files.map((f) => relative(module.kbuild.file.replace(/\/[^/]*$/, ''), f) || basename(f));
		parts.push(`It covers every file of ${ko}: ${files.join(', ')}.`);
		const others = module.licenses.filter((l) => l.license !== license);
		if (others.length > 0) {
			parts.push(
				`The module also says ${others.map((l) => `"${l.license}" (${basename(l.location.file)}:${l.location.range.start.line + 1})`).join(', ')}; modpost judges by every one of them, so one incompatible license is enough.`,
			);
		}
		if (!compatible) {
			const uses = gplOnlyUses(ctx, module);
			if (uses.length > 0) {
				const listed = uses.slice(0, MAX_LISTED_USES).map((u) => `\`${u}\``).join(', ');
				parts.push(`GPL-only exports this file uses: ${listed}${uses.length > MAX_LISTED_USES ? `, and ${uses.length - MAX_LISTED_USES} more` : ''}.`);
			}
		}
	} else {
		parts.push('No Kbuild file builds this file, so the module it belongs to is unknown.');
	}
	parts.push(`GPL-compatible licenses (include/linux/license.h): ${GPL_COMPATIBLE_LICENSES.map((l) => `"${l}"`).join(', ')}.`);
	return join(parts);
}

function norm(s: string): string {
	return s.toLowerCase().replace(/\s+/g, ' ').trim();
}

function gplOnlyUses(ctx: HoverContext, module: ModuleContext): string[] {
	const facts = extractFacts(ctx.tree, ctx.text, ctx.kernel.version);
	const names = new Set<string>();
	for (const use of facts.uses) {
		if (module.definitions.has(use.name)) continue;
		if (activeExport(ctx.kernel, use.name, module)?.gplOnly) names.add(use.name);
	}
	return [...names];
}
