/**
 * The migration code actions listed cheaply (availableMigrations) and resolved one by one
 * (resolveMigration): listing reads and parses no other file, so builds no model of the
 * module; every action the eager path (migrationsAt) gives is listed, and resolves to its Fix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { availableMigrations, migrationsAt, resolveMigration, type ModuleParser } from '../../src/engine/migrations/index';
import type { Range } from '../../src/engine/types';
import { DRIVERS, MODERN } from '../helpers/paths';
import { writeModule } from '../helpers/module';

const modern = buildKernelIndex(MODERN);
const HEAD = '#include <linux/err.h>\n#include <linux/hmm.h>\n#include <linux/mm.h>\n';

/** Overlays that note every file the migrations look up (each module file is looked up here first). */
class NotingOverlays extends Map<string, string> {
	readonly asked: string[] = [];
	override get(file: string): string | undefined {
		this.asked.push(file);
		return super.get(file);
	}
}

async function open(file: string) {
	const text = readFileSync(file, 'utf8');
	const engine = await Engine.create(modern);
	const tree = engine.parse(text);
	const whole: Range = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
	return { engine, text, tree, whole, module: engine.moduleOf(file) };
}

test('listing reads and parses no other file of the module; resolving an offer does', async () => {
	const file = join(DRIVERS, 'hmm-multi', 'mem.c');
	const { engine, text, tree, whole, module } = await open(file);
	try {
		assert.ok(module && module.files.length > 1, 'a module of several files, whose struct hmm_devmem * holder is in hmmmf.h');
		let parses = 0;
		const counting: ModuleParser = {
			kernel: modern,
			parse: (t) => {
				parses++;
				return engine.parse(t);
			},
		};
		const overlays = new NotingOverlays();
		const input = { engine: counting, module, tree, text, file, overlays };
		const offers = availableMigrations({ ...input, range: whole, whole: true });
		assert.deepEqual({ parses, asked: overlays.asked }, { parses: 0, asked: [] });
		assert.deepEqual(
			offers.map((o) => o.migration),
			['hmm-devmem-add', 'hmm-devmem-ops', 'hmm-devmem-remove', 'hmm-page-drvdata', 'hmm-page-drvdata', 'file', 'module'],
		);
		const add = offers.find((o) => o.migration === 'hmm-devmem-add')!;
		assert.equal(add.preferred, true);
		const fix = resolveMigration({ ...input, offer: add });
		// The hooks do see the full analysis: without them the zeros above would prove nothing.
		assert.ok(parses > 0, 'resolving parses the module files');
		assert.ok(overlays.asked.some((f) => f.endsWith('hmmmf.h')), overlays.asked.join(', '));
		assert.ok(fix?.edits.some((e) => e.file.endsWith('hmmmf.h') && e.newText === 'dev_pagemap'), 'the holder in the header is converted');
	} finally {
		tree.delete();
	}
});

test('every action the eager path gives is listed, and resolves to the same Fix', async () => {
	let compared = 0;
	for (const [driver, name] of [
		['hmm-member', 'hmmmem.c'],
		['hmm-multi', 'mem.c'],
		['hmm-multi', 'main.c'],
		['hmm-global', 'hmmglob.c'],
		['hmm-public', 'hmmpub.c'],
	]) {
		const file = join(DRIVERS, driver, name);
		const { engine, text, tree, whole, module } = await open(file);
		try {
			const ranges = [whole, ...engine.analyze(file, text, tree).filter((f) => f.code === 'removed-api').map((f) => f.range)];
			for (const range of ranges) {
				const input = { engine, module, tree, text, file, range, whole: true };
				const offers = availableMigrations(input);
				for (const { offer, fix } of migrationsAt(input)) {
					assert.ok(
						offers.some((o) => JSON.stringify(o) === JSON.stringify(offer)),
						`${driver}/${name}: ${offer.title} not listed among ${offers.map((o) => o.title).join(', ')}`,
					);
					assert.deepEqual(resolveMigration({ engine, module, tree, text, file, offer }), fix, `${driver}/${name}: ${offer.title}`);
					compared++;
				}
			}
		} finally {
			tree.delete();
		}
	}
	assert.ok(compared >= 20, `${compared} actions compared`);
});

test('an offer the model cannot take (no holder receives the memory) is listed, and resolves to nothing', async () => {
	const dir = writeModule({
		Kbuild: 'obj-m := d.o\n',
		'd.c': HEAD + '\nint f(struct device *dev)\n{\n\tstruct hmm_devmem *devmem;\n\n\tdevmem = hmm_devmem_add(&ops, dev, 4096);\n\treturn IS_ERR(devmem);\n}\n',
	});
	const file = join(dir, 'd.c');
	const { engine, text, tree, whole, module } = await open(file);
	try {
		const input = { engine, module, tree, text, file, range: whole, whole: true };
		const offers = availableMigrations(input);
		assert.deepEqual(offers.map((o) => o.migration), ['hmm-devmem-add', 'file']);
		assert.deepEqual(migrationsAt(input), []);
		for (const offer of offers) assert.equal(resolveMigration({ engine, module, tree, text, file, offer }), undefined, offer.title);
	} finally {
		tree.delete();
	}
});
