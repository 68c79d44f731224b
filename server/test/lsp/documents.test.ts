import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../src/engine/engine';
import { DocumentStore } from '../../src/lsp/documents';

/** Applies edits one by one and checks the incremental tree equals a fresh parse each time. */
test('incremental re-parse equals a fresh parse, including around blanked annotations', async () => {
	const engine = await Engine.create();
	const store = new DocumentStore(engine);
	let text = 'static int drv_setup(void)\n{\n\treturn 0;\n}\n';
	const uri = 'file:///tmp/kmm-doc-test.c';
	store.open(uri, 'c', 1, text);
	// Type "__init " before drv_setup one character at a time, then more code, then delete.
	const edits: { offset: number; remove: number; insert: string }[] = [];
	const at = text.indexOf('drv_setup');
	[...'__init '].forEach((ch, i) => edits.push({ offset: at + i, remove: 0, insert: ch }));
	edits.push({ offset: text.length + 7, remove: 0, insert: 'module_init(drv_setup);\n' });
	edits.push({ offset: at + 2, remove: 3, insert: '' }); // "__init " → "__ "
	edits.push({ offset: 0, remove: 0, insert: '/* ünïcödé → */\n' });
	let version = 1;
	for (const e of edits) {
		const doc = store.get(uri)!.doc;
		const start = doc.positionAt(e.offset);
		const end = doc.positionAt(e.offset + e.remove);
		store.change(uri, ++version, [{ range: { start, end }, text: e.insert }]);
		text = text.slice(0, e.offset) + e.insert + text.slice(e.offset + e.remove);
		const entry = store.get(uri)!;
		assert.equal(entry.doc.getText(), text);
		const fresh = engine.parse(text);
		try {
			assert.equal(entry.tree!.rootNode.toString(), fresh.rootNode.toString(), `after edit ${JSON.stringify(e)}`);
		} finally {
			fresh.delete();
		}
	}
	// With "__init" typed in full, the definition is still drv_setup, not __init.
	const facts = engine.facts(store.get(uri)!.tree!, text);
	assert.ok(facts.functions.has('drv_setup') || text.includes('__ drv_setup'));
	assert.equal(store.close(uri), true);
	assert.equal(store.close(uri), false, 'closing twice is reported, not thrown');
});

test('edits that change how annotations are blanked outside the edited range', async () => {
	const engine = await Engine.create();
	const store = new DocumentStore(engine);
	const uri = 'file:///tmp/kmm-releases.c';
	let text = 'void f(void) __releases (lock);\nint g(void) { return h(); }\n';
	store.open(uri, 'c', 1, text);
	let version = 1;
	// Deleting one letter turns `__releases (lock)` (blanked) into `__release (lock)` (kept).
	const seeded = [
		() => ({ offset: text.indexOf('s ('), remove: 1, insert: '' }),
		() => ({ offset: text.indexOf('e ('), remove: 0, insert: 's' }),
	];
	// Then a deterministic pseudo-random walk of small edits drawn from annotation fragments.
	let seed = 7;
	const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
	const pieces = ['__init', '_', 's', ' ', '(', ')', 'x', '\n', '__releases(l)', '{', '}', ';'];
	for (let i = 0; i < 300; i++) {
		const e = i < seeded.length ? seeded[i]() : undefined;
		const offset = e ? e.offset : rand(text.length + 1);
		const remove = e ? e.remove : Math.min(rand(3), text.length - offset);
		const insert = e ? e.insert : rand(2) ? pieces[rand(pieces.length)] : '';
		const doc = store.get(uri)!.doc;
		store.change(uri, ++version, [{ range: { start: doc.positionAt(offset), end: doc.positionAt(offset + remove) }, text: insert }]);
		text = text.slice(0, offset) + insert + text.slice(offset + remove);
		const fresh = engine.parse(text);
		try {
			assert.equal(store.get(uri)!.tree!.rootNode.toString(), fresh.rootNode.toString(), `edit ${i}: ${JSON.stringify(text)}`);
		} finally {
			fresh.delete();
		}
	}
	store.dispose();
});

test('a full-text change replaces the document', async () => {
	const engine = await Engine.create();
	const store = new DocumentStore(engine);
	const uri = 'file:///tmp/kmm-full.c';
	store.open(uri, 'c', 1, 'int a;\n');
	store.change(uri, 2, [{ text: 'static int __init f(void)\n{\n\treturn g();\n}\n' }]);
	const entry = store.get(uri)!;
	assert.ok(engine.facts(entry.tree!, entry.doc.getText()).functions.has('f'));
	store.dispose();
});

test('incremental facts (unchanged top-level nodes reused) equal a fresh extraction after every edit', async () => {
	const engine = await Engine.create();
	const store = new DocumentStore(engine);
	const file = '/tmp/kmm-facts-incremental.c';
	const uri = `file://${file}`;
	let text = [
		'#define MAP(d, p) devm_memremap_pages(d, p)',
		'static const struct dev_pagemap_ops ops = {',
		'\t.page_free = drv_free,',
		'};',
		'static int a(struct device *dev)',
		'{',
		'\treturn MAP(dev, 0) + kfree(dev);',
		'}',
		'#ifdef CONFIG_X',
		'static const struct pci_driver d = { .probe = a };',
		'#endif',
		'int b(int kmalloc)',
		'{',
		'\treturn kmalloc + vmalloc(1);',
		'}',
		'',
	].join('\n');
	store.open(uri, 'c', 1, text);
	let seed = 11;
	const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
	const pieces = ['\n', 'x', ' ', 'kfree(p);', '}', '{', 'static int c(void)\n{\n\treturn memremap_pages(0, 0);\n}\n', '/* c */', ';'];
	const strip = (f: ReturnType<typeof engine.facts>) =>
		JSON.stringify({ uses: f.uses, functions: [...f.functions.values()], macros: [...f.macros.values()], ops: f.opsTables });
	let version = 1;
	for (let i = 0; i < 150; i++) {
		const offset = rand(text.length + 1);
		const remove = Math.min(rand(4), text.length - offset);
		const insert = rand(3) ? pieces[rand(pieces.length)] : '';
		const doc = store.get(uri)!.doc;
		store.change(uri, ++version, [{ range: { start: doc.positionAt(offset), end: doc.positionAt(offset + remove) }, text: insert }]);
		text = text.slice(0, offset) + insert + text.slice(offset + remove);
		const entry = store.get(uri)!;
		const incremental = engine.facts(entry.tree!, text, file);
		const fresh = engine.facts(entry.tree!, text);
		assert.equal(strip(incremental), strip(fresh), `edit ${i}: ${JSON.stringify(text)}`);
	}
	store.dispose();
});
