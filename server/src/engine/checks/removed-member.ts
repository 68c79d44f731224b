/**
 * removed-member: a use of a member of the ZONE_DEVICE structs and enums (struct
 * dev_pagemap, dev_pagemap_ops, vmem_altmap, hmm_devmem, hmm_devmem_ops, enum memory_type)
 * that the indexed kernel no longer has: `pgmap->res` from 5.10, `pgmap->data` and
 * `altmap_valid` from 5.3, `ops->kill` from 5.19, MEMORY_DEVICE_DEVDAX from 5.10. The
 * compiler says "has no member named"; this says when it went and what replaced it.
 *
 * Decided by the tree's own headers, explained by the knowledge base (knowledge/zone-device.ts):
 * a member is flagged only when its base expression is certainly of that struct
 * (headers/expr-types.ts follows declarations, never guesses from the member's name), the
 * struct is the kernel's (neither the document nor its module's headers define one of that
 * tag: a compat header that declares struct hmm_devmem again makes it the driver's), the tree's header
 * lacks the member (or the whole struct, when the knowledge base says it was removed by this
 * version), and the knowledge base records the removal. Compiled-out lines are skipped.
 */
import { ExprTypes } from '../headers/expr-types';
import { kernelDecls, type KernelDecls, type RecordDecl } from '../headers/structs';
import { embeddedMember, isRemovedMemberName, removedMember as removedEntry, ZONE_DEVICE, type ZoneDeviceEntry } from '../knowledge/zone-device';
import { LineMap } from '../lex';
import { isDead } from '../syntax/conditionals';
import { nodeRange } from '../syntax/facts';
import type { SyntaxNode } from '../syntax/parser';
import { compareVersion, formatVersion, type KernelVersion } from '../version';
import type { Check, CheckContext, Finding } from './types';

const CODE = 'removed-member';
/** Every way an expression reaches a family struct names one of these (a declaration's tag, or page->pgmap). */
const FAMILY_WORDS = /dev_pagemap|hmm_devmem|vmem_altmap|pgmap/;
const ENUMERATOR_WORDS = /MEMORY_DEVICE_/;
/** Where a member may be named (`->m`, `.m`, `.m =`): found in the text, then looked up in the tree. */
const MEMBER_RE = /(?:->|\.)\s*([A-Za-z_]\w*)/g;
const ENUMERATOR_RE = /\bMEMORY_DEVICE_\w+/g;
/** Preprocessor lines that name an enumerator without using it (`#ifdef`, `defined(…)`, a `#define`). */
const NAMING_DIRECTIVES = new Set(['preproc_defined', 'preproc_def', 'preproc_function_def', 'preproc_ifdef', 'preproc_call']);

export const removedMember: Check = {
	meta: {
		code: CODE,
		severity: 'error',
		description: 'A use of a ZONE_DEVICE struct member or memory type this kernel no longer has.',
	},
	run(ctx) {
		const { tree, text, kernel } = ctx;
		if (!FAMILY_WORDS.test(text) && !ENUMERATOR_WORDS.test(text)) return [];
		const decls = kernelDecls(kernel, tree.language);
		// A tree whose family headers cannot be read decides nothing.
		if (!decls.record('dev_pagemap')) return [];
		const findings = [...memberFindings(ctx, decls), ...enumeratorFindings(ctx, decls)];
		return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
	},
};

function memberFindings(ctx: CheckContext, decls: KernelDecls): Finding[] {
	const { tree, facts, module, kernel } = ctx;
	if (!FAMILY_WORDS.test(ctx.text)) return [];
	const types = new ExprTypes(decls, new Map([...(module?.records ?? []), ...facts.records]));
	const out: Finding[] = [];
	for (const node of nodesAt(ctx.text, tree.rootNode, MEMBER_RE, 'field_identifier', isRemovedMemberName)) {
		if (isDead(facts.dead, node.startPosition.row)) continue;
		const parent = node.parent?.type;
		// Uses only: `x->m`, `x.m`, `.m = …`; a struct's own declaration of a member is no use of it.
		if (parent !== 'field_expression' && parent !== 'field_designator') continue;
		const container = types.containerOfField(node);
		if (!container || facts.records.has(container) || module?.records.has(container)) continue;
		const record = decls.record(container);
		const embedded = embeddedMember(container, node.text);
		if (embedded && record && usedAsPointer(node, record)) {
			out.push({ code: CODE, severity: 'error', message: embeddedMessage(record, embedded, kernel.version), range: nodeRange(node) });
			continue;
		}
		const entry = removedEntry(container, node.text);
		if (!entry || record?.fields.has(node.text)) continue;
		const message = record ? missingFrom(record, entry, kernel.version) : goneWith(container, entry, kernel.version);
		if (!message) continue;
		const finding: Finding = { code: CODE, severity: 'error', message, range: nodeRange(node) };
		if (record) finding.related = [{ location: decls.location(record.site), message: `struct ${container} as this tree declares it` }];
		out.push(finding);
	}
	return out;
}

function enumeratorFindings(ctx: CheckContext, decls: KernelDecls): Finding[] {
	const { tree, facts, module, kernel } = ctx;
	if (!ENUMERATOR_WORDS.test(ctx.text)) return [];
	const record = decls.record('memory_type');
	if (!record || record.enumerators.size === 0) return [];
	const candidates = nodesAt(ctx.text, tree.rootNode, ENUMERATOR_RE, 'identifier', (name) => removedEntry('memory_type', name) !== undefined);
	if (candidates.length === 0) return [];
	const own = new Set(tree.rootNode.descendantsOfType('enumerator').map((e) => e?.childForFieldName('name')?.text));
	const out: Finding[] = [];
	for (const node of candidates) {
		if (isDead(facts.dead, node.startPosition.row)) continue;
		const entry = removedEntry('memory_type', node.text);
		if (!entry || record.enumerators.has(node.text) || own.has(node.text) || namesOnly(node)) continue;
		// A compat #define of the driver's own stands in for it.
		if (facts.macros.has(node.text) || module?.definitions.has(node.text)) continue;
		const message = missingFrom(record, entry, kernel.version);
		if (!message) continue;
		out.push({
			code: CODE,
			severity: 'error',
			message,
			range: nodeRange(node),
			related: [{ location: decls.location(record.site), message: 'enum memory_type as this tree declares it' }],
		});
	}
	return out;
}

/**
 * The `type` nodes of the names `re` finds in `text` (group 1, else the match) that `wanted`
 * accepts. A lexical search and a lookup per hit: walking every node of a 5,000-line driver
 * took ~7 ms an edit; a hit in a comment or string finds no such node.
 */
function nodesAt(text: string, root: SyntaxNode, re: RegExp, type: string, wanted: (name: string) => boolean): SyntaxNode[] {
	const lines = new LineMap(text);
	const out: SyntaxNode[] = [];
	for (const m of text.matchAll(re)) {
		const name = m[1] ?? m[0];
		if (!wanted(name)) continue;
		const at = lines.position((m.index as number) + m[0].length - name.length);
		const node = root.descendantForPosition({ row: at.line, column: at.character });
		if (node?.type === type && node.text === name) out.push(node);
	}
	return out;
}

/**
 * Whether an identifier is only named by a directive (`#ifdef X`, `#if defined(X)`, `#define
 * X …`), or used under a test of itself (`#ifdef MEMORY_DEVICE_DEVDAX`): a driver's compat code.
 */
export function namesOnly(node: SyntaxNode): boolean {
	for (let n: SyntaxNode | null = node.parent; n; n = n.parent) {
		if (NAMING_DIRECTIVES.has(n.type) && n.type !== 'preproc_ifdef') return true;
		if (n.type === 'preproc_ifdef' && n.childForFieldName('name')?.text === node.text) return true;
		if (n.type === 'preproc_if' || n.type === 'preproc_elif') {
			const cond = n.childForFieldName('condition');
			if (cond && new RegExp(`\\b${node.text}\\b`).test(cond.text)) return true;
		}
	}
	return false;
}

function plain(markdown: string): string {
	return markdown.replace(/`/g, '');
}

function treeName(v: KernelVersion | undefined): string {
	return v ? `this tree is ${formatVersion(v)}` : 'as this tree declares it';
}

/**
 * Whether a member the tree's header declares embedded (`struct percpu_ref ref;`) is used as
 * the pointer it used to be: anything but `&pgmap->ref` or a member of it (`pgmap->ref.data`).
 */
function usedAsPointer(name: SyntaxNode, record: RecordDecl): boolean {
	const decl = record.fields.get(name.text);
	if (!decl || new RegExp(`\\*\\s*${name.text}\\b`).test(decl.text)) return false;
	const expr = name.parent!;
	const parent = expr.parent;
	if (expr.type !== 'field_expression' || !parent) return false;
	if (parent.type === 'pointer_expression' && parent.child(0)?.type === '&') return false;
	if (parent.type === 'field_expression' && parent.child(1)?.type === '.') return false;
	return true;
}

function embeddedMessage(record: RecordDecl, entry: ZoneDeviceEntry, v: KernelVersion | undefined): string {
	const instead = entry.replacement ? `; ${plain(entry.replacement)}` : '';
	return `'${entry.name}' of struct ${record.name} is an embedded struct, not a pointer, since Linux ${entry.embeddedSince} (${treeName(v)})${instead}.`;
}

/** The message for a member the tree's struct (or enum) lacks. */
function missingFrom(record: RecordDecl, entry: ZoneDeviceEntry, v: KernelVersion | undefined): string {
	const what = record.kind === 'enum' ? `enum ${record.name} has no ${entry.name}` : `struct ${record.name} has no member '${entry.name}'`;
	const instead = entry.replacement ? `; instead: ${plain(entry.replacement)}` : '';
	return `${what} (${treeName(v)}): removed in Linux ${entry.until}${instead}.`;
}

/** The message for a member of a struct the tree no longer has at all; undefined unless the knowledge base says it is gone. */
function goneWith(container: string, entry: ZoneDeviceEntry, v: KernelVersion | undefined): string | undefined {
	const struct = ZONE_DEVICE.get(container);
	if (!struct?.until || !v || compareVersion(v, struct.until) < 0) return undefined;
	const instead = entry.replacement ? `; instead of '${entry.name}': ${plain(entry.replacement)}` : '';
	return `struct ${container} was removed in Linux ${struct.until} (${treeName(v)})${instead}.`;
}
