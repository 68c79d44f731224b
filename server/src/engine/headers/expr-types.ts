/**
 * The struct an expression of a document has, as a reader would follow it: a local,
 * parameter or file-scope declaration (`struct dev_pagemap *pgmap`), members of the
 * document's own structs and of the family headers (`pgmap->altmap.free`,
 * `chunk->pagemap.type`, `page->pgmap`), `container_of(…, struct T, …)`, casts, compound
 * literals and designated initializers. Typedef names and function results are not
 * followed: an expression whose type is not certain has none. Hovers and the
 * removed-member check ask it.
 */
import type { SyntaxNode } from '../syntax/parser';
import { declaredIdentifier, tagOf, type RecordShape } from '../syntax/records';
import type { KernelDecls } from './structs';

/** Declared types in one document, looked up lazily. */
export class ExprTypes {
	/**
	 * `records`: the structs the document and its module's files and headers define
	 * (syntax/records.ts); they come before the kernel's of the same tag.
	 */
	constructor(
		private readonly decls: KernelDecls,
		private readonly records: ReadonlyMap<string, RecordShape>,
	) {}

	containerOfField(node: SyntaxNode): string | undefined {
		const parent = node.parent;
		if (!parent) return undefined;
		if (parent.type === 'field_expression') return this.typeOf(parent.childForFieldName('argument'));
		if (parent.type === 'field_designator') return this.designatedContainer(parent);
		if (parent.type === 'field_declaration' || declaredIdentifier(parent)?.id === node.id) {
			// A field of a struct being declared here (editing a kernel header, or the driver's own).
			for (let n: SyntaxNode | null = parent; n; n = n.parent) {
				if (n.type === 'struct_specifier' || n.type === 'union_specifier') {
					const name = n.childForFieldName('name');
					if (name) return name.text;
				}
			}
		}
		return undefined;
	}

	/** The struct a designator's field belongs to: `.type` in `struct dev_pagemap pg = { .type = … }`. */
	private designatedContainer(designator: SyntaxNode): string | undefined {
		const pair = designator.parent;
		if (pair?.type !== 'initializer_pair') return undefined;
		let tag = this.typeOfInitializer(pair.parent);
		// `.range.start = …`: each earlier designator steps one struct deeper.
		for (const d of pair.childrenForFieldName('designator')) {
			if (!d || d.id === designator.id) break;
			if (d.type !== 'field_designator') continue;
			const name = d.namedChild(0)?.text;
			tag = tag && name ? this.fieldType(tag, name) : undefined;
		}
		return tag;
	}

	private typeOfInitializer(list: SyntaxNode | null): string | undefined {
		const holder = list?.parent;
		if (!list || list.type !== 'initializer_list' || !holder) return undefined;
		switch (holder.type) {
			case 'init_declarator':
				return tagOf(holder.parent?.childForFieldName('type'));
			case 'compound_literal_expression':
				return tagOf(holder.childForFieldName('type'));
			case 'initializer_list':
				return this.typeOfInitializer(holder);
			case 'initializer_pair': {
				const outer = this.typeOfInitializer(holder.parent);
				const designators = holder.childrenForFieldName('designator');
				let tag = outer;
				for (const d of designators) {
					if (d?.type !== 'field_designator') continue;
					const name = d.namedChild(0)?.text;
					tag = tag && name ? this.fieldType(tag, name) : undefined;
				}
				return tag;
			}
		}
		return undefined;
	}

	typeOf(expr: SyntaxNode | null): string | undefined {
		if (!expr) return undefined;
		switch (expr.type) {
			case 'identifier':
				return this.typeOfName(expr);
			case 'field_expression': {
				const base = this.typeOf(expr.childForFieldName('argument'));
				const field = expr.childForFieldName('field')?.text;
				return base && field ? this.fieldType(base, field) : undefined;
			}
			case 'subscript_expression':
			case 'pointer_expression':
				return this.typeOf(expr.childForFieldName('argument'));
			case 'parenthesized_expression':
				return this.typeOf(expr.namedChild(0));
			case 'cast_expression':
			case 'compound_literal_expression':
				return tagOf(expr.childForFieldName('type'));
			case 'call_expression': {
				if (expr.childForFieldName('function')?.text !== 'container_of') return undefined;
				const args = expr.childForFieldName('arguments')?.namedChildren ?? [];
				return args[1] ? tagOf(args[1].type === 'type_descriptor' ? args[1] : args[1].namedChild(0)) : undefined;
			}
		}
		return undefined;
	}

	/** The struct tag of a name's declaration in scope at `use`. */
	private typeOfName(use: SyntaxNode): string | undefined {
		const name = use.text;
		for (let scope = use.parent; scope; scope = scope.parent) {
			if (scope.type === 'function_definition') {
				for (const fd of scope.childForFieldName('declarator')?.descendantsOfType('function_declarator') ?? []) {
					for (const p of fd?.childForFieldName('parameters')?.namedChildren ?? []) {
						if (p?.type === 'parameter_declaration' && declaredIdentifier(p.childForFieldName('declarator'))?.text === name) {
							return tagOf(p.childForFieldName('type'));
						}
					}
				}
				continue;
			}
			if (!['compound_statement', 'translation_unit', 'for_statement'].includes(scope.type)) continue;
			for (const child of scope.namedChildren) {
				if (!child || child.startIndex >= use.startIndex) break;
				if (child.type !== 'declaration') continue;
				for (const d of child.childrenForFieldName('declarator')) {
					if (declaredIdentifier(d)?.text === name) return tagOf(child.childForFieldName('type'));
				}
			}
		}
		return undefined;
	}

	/** The struct tag of a field's type: the driver's own struct first, then the kernel's. */
	fieldType(tag: string, field: string): string | undefined {
		const own = this.records.get(tag);
		if (own) return own.get(field);
		return this.decls.record(tag)?.fields.get(field)?.type?.tag;
	}
}
