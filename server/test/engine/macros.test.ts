/**
 * The header/macro model (engine/uses.ts, inline-reach.ts): macros of the kernel's headers,
 * of the module's own headers and of the document are never calls of functions; the calls a
 * certain macro expands to are followed (GPL-only exports reached through `class_create`
 * style wrappers); a macro compiled out by the .config is no macro; references in a macro's
 * arguments are no uses; keywords and attributes are nothing. The kernel is a small tree the
 * test writes, so each rule is seen in isolation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { writeModule } from '../helpers/module';

const KERNEL = writeModule({
	Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n',
	Kbuild: 'obj-y += drivers/ kernel/ lib/\n',
	'.config': 'CONFIG_X86=y\nCONFIG_MODULES=y\n# CONFIG_DEBUG_LOCK_ALLOC is not set\n# CONFIG_DRV_EXTRA is not set\n',
	'include/linux/minmax.h': [
		'#ifndef _LINUX_MINMAX_H',
		'#define _LINUX_MINMAX_H',
		'#define __cmp(x, y, op)\t((x) op (y) ? (x) : (y))',
		'#define max(x, y)\t__cmp(x, y, >)',
		'#define ilog2(n)\t__ilog2_u32(n)',
		'#endif',
		'',
	].join('\n'),
	'include/linux/device/class.h': [
		'#ifndef _DEVICE_CLASS_H_',
		'#define _DEVICE_CLASS_H_',
		'struct class *__class_create(struct module *owner, const char *name, void *key);',
		'#define class_create(owner, name)\t\t\t\\',
		'({\t\t\t\t\t\t\t\\',
		'\tstatic int __key;\t\t\t\t\\',
		'\t__class_create(owner, name, &__key);\t\t\\',
		'})',
		'#endif',
		'',
	].join('\n'),
	'include/linux/mutex.h': [
		'#ifndef __LINUX_MUTEX_H',
		'#define __LINUX_MUTEX_H',
		'#ifdef CONFIG_DEBUG_LOCK_ALLOC',
		'void mutex_lock_nested(struct mutex *lock, unsigned int subclass);',
		'#define mutex_lock(lock) mutex_lock_nested(lock, 0)',
		'#else',
		'void mutex_lock(struct mutex *lock);',
		'#endif',
		'#endif',
		'',
	].join('\n'),
	'drivers/Makefile': 'obj-y += base/\n',
	'drivers/base/Makefile': 'obj-y += class.o\n',
	'drivers/base/class.c': [
		'#include <linux/export.h>',
		'',
		'struct class *__class_create(struct module *owner, const char *name, void *key)',
		'{',
		'\treturn 0;',
		'}',
		'EXPORT_SYMBOL_GPL(__class_create);',
		'',
	].join('\n'),
	'kernel/Makefile': 'obj-y += mutex.o\n',
	'kernel/mutex.c': [
		'void mutex_lock(struct mutex *lock)',
		'{',
		'}',
		'EXPORT_SYMBOL(mutex_lock);',
		'',
		'void mutex_lock_nested(struct mutex *lock, unsigned int subclass)',
		'{',
		'}',
		'EXPORT_SYMBOL_GPL(mutex_lock_nested);',
		'',
		'void mutex_internal(void)',
		'{',
		'}',
		'',
	].join('\n'),
	'include/linux/drvtable.h': [
		'#ifndef _LINUX_DRVTABLE_H',
		'#define _LINUX_DRVTABLE_H',
		'extern const unsigned char drv_table[4];',
		'static inline int drv_lookup(int i)',
		'{',
		'\treturn drv_table[i & 3];',
		'}',
		'#endif',
		'',
	].join('\n'),
	'lib/table.c': 'const unsigned char drv_table[4] = { 1, 2, 4, 8 };\nEXPORT_SYMBOL_GPL(drv_table);\n',
	'lib/Makefile': 'obj-y += fake.o table.o\n',
	// Only a definition elsewhere would make `max`, `ilog2` or `c` look like unexported functions.
	'lib/fake.c': ['int max(int a, int b)', '{', '\treturn a;', '}', '', 'int c(void)', '{', '\treturn 0;', '}', '', 'int for_each(void)', '{', '\treturn 0;', '}', ''].join('\n'),
});

const kernel = buildKernelIndex(KERNEL);

async function check(files: Record<string, string>, file = 'drv.c', index = kernel) {
	const dir = writeModule({ Kbuild: 'obj-m := drv.o\n', ...files });
	const engine = await Engine.create(index);
	const path = join(dir, file);
	return engine.analyze(path, readFileSync(path, 'utf8')).map((f) => `${f.code} ${f.range.start.line + 1} ${/'([^']+)'|"([^"]+)"/.exec(f.message)?.slice(1).find(Boolean)}`);
}

const DRIVER_HEAD = '#include <linux/minmax.h>\n#include <linux/device/class.h>\n#include <linux/mutex.h>\n';

test('kernel header macros are not functions: max, ilog2 draw nothing although lib/ defines max()', async () => {
	const got = await check({
		'drv.c': `${DRIVER_HEAD}MODULE_LICENSE("GPL");\n\nint drv_pick(int a, int b)\n{\n\treturn max(a, b) + ilog2(b);\n}\n`,
	});
	assert.deepEqual(got, []);
});

test('a function the kernel builds but does not export is still reported', async () => {
	const got = await check({ 'drv.c': `MODULE_LICENSE("GPL");\n\nvoid drv_go(void)\n{\n\tmutex_internal();\n}\n` });
	assert.deepEqual(got, ['unexported-symbol 5 mutex_internal']);
});

test('a GPL-only export reached through a header macro is found (class_create → __class_create)', async () => {
	const got = await check({
		'drv.c': `${DRIVER_HEAD}MODULE_LICENSE("Proprietary");\n\nvoid drv_go(void)\n{\n\tclass_create(0, "drv");\n}\n`,
	});
	assert.deepEqual(got, ['gpl-only-symbol 8 __class_create']);
});

test('a macro the .config compiles out is no macro: mutex_lock links the plain export', async () => {
	const got = await check({
		'drv.c': `${DRIVER_HEAD}MODULE_LICENSE("Proprietary");\n\nvoid drv_go(struct mutex *m)\n{\n\tmutex_lock(m);\n}\n`,
	});
	assert.deepEqual(got, []);
});

test('…and with CONFIG_DEBUG_LOCK_ALLOC=y it is the macro, reaching the GPL-only mutex_lock_nested', async () => {
	const config = writeModule({ '.config': 'CONFIG_X86=y\nCONFIG_DEBUG_LOCK_ALLOC=y\n' });
	const debug = buildKernelIndex(KERNEL, { configFile: join(config, '.config') });
	const got = await check(
		{ 'drv.c': `${DRIVER_HEAD}MODULE_LICENSE("Proprietary");\n\nvoid drv_go(struct mutex *m)\n{\n\tmutex_lock(m);\n}\n` },
		'drv.c',
		debug,
	);
	assert.deepEqual(got, ['gpl-only-symbol 8 mutex_lock_nested']);
});

test("the module's own header macros are its own, and what they call is followed", async () => {
	const got = await check({
		'drv.h': '#define rd32(hw, reg)\t__drv_read(hw, reg)\n#define drv_class(n)\tclass_create(0, n)\n',
		'drv.c': `${DRIVER_HEAD}#include "drv.h"\nMODULE_LICENSE("Proprietary");\n\nint __drv_read(void *hw, int reg)\n{\n\treturn reg;\n}\n\nint drv_go(void *hw)\n{\n\tdrv_class("x");\n\treturn rd32(hw, 4);\n}\n`,
	});
	assert.deepEqual(got, ['gpl-only-symbol 14 __class_create']);
});

test('pieces of macro arguments, keywords and attributes are no uses', async () => {
	const got = await check({
		'drv.c': [
			DRIVER_HEAD,
			'#define DRV_ATTR(_name) static int drv_attr_##_name = 1',
			'#define DRV_STR(x) #x',
			'MODULE_LICENSE("GPL");',
			'',
			'DRV_ATTR(c);',
			'static const char *drv_s = DRV_STR(c);',
			'static int __attribute__((unused)) drv_unused;',
			'',
			'int drv_go(int n)',
			'{',
			'\tint i, t = 0;',
			'',
			'\tdrv_each(i, n) for (i = 0; i < n; i++)',
			'\t\tt += max(t, i);',
			'\treturn t;',
			'}',
			'',
		].join('\n'),
	});
	// `c` is pasted and stringified, never a use of lib/'s c(); `for` is a keyword.
	assert.deepEqual(got, []);
});

test('a license spelled through a macro of the module header is the module license', async () => {
	const got = await check({
		'drv.h': '#define DRV_LICENSE\t"Proprietary"\n',
		'drv.c': `${DRIVER_HEAD}#include "drv.h"\nMODULE_LICENSE(DRV_LICENSE);\n\nvoid drv_go(void)\n{\n\tclass_create(0, "drv");\n}\n`,
	});
	assert.deepEqual(got, ['gpl-only-symbol 9 __class_create']);
});

test('a license in a #include "x.c" file counts for the module', async () => {
	const got = await check({
		'drv_core.c': 'MODULE_LICENSE("GPL");\n',
		'drv.c': '#include "drv_core.c"\n\nvoid drv_go(void)\n{\n}\n',
	});
	assert.deepEqual(got, []);
});

test('a reference passed on by a macro is a use; one it pastes is not', async () => {
	const got = await check({
		'drv.c': [
			DRIVER_HEAD,
			'#define DRV_ATTR(_name) static int drv_attr_##_name = 1',
			'#define drv_log(fmt, ...) drv_printk(fmt, ##__VA_ARGS__)',
			'#define DRV_PARAM(name, type) drv_check_##type(name)',
			'MODULE_LICENSE("GPL");',
			'',
			'DRV_ATTR(mutex_internal);',
			'DRV_PARAM(mutex_internal, uint);',
			'',
			'void drv_go(void)',
			'{',
			'\tdrv_log("%ps", mutex_internal);',
			'}',
			'',
		].join('\n'),
	});
	assert.deepEqual(got, ['unexported-symbol 15 mutex_internal']);
});

test("a module's use of its own namespaced export needs no import", async () => {
	const got = await check({
		Kbuild: 'obj-m := drv.o\nccflags-y += -DDEFAULT_SYMBOL_NAMESPACE=DRV\n',
		'drv.c': 'MODULE_LICENSE("GPL");\n\nint drv_bus;\nEXPORT_SYMBOL_GPL(drv_bus);\n\nint drv_go(void)\n{\n\treturn drv_bus;\n}\n',
	});
	assert.deepEqual(got, []);
});

test('code the compiler drops draws nothing: IS_ENABLED branches of an unset option, the statics only they name, #if PAGE_SIZE', async () => {
	const got = await check({
		'drv.c': [
			'MODULE_LICENSE("GPL");',
			'',
			'static void drv_extra(void)',
			'{',
			'\tmutex_internal();',
			'}',
			'',
			'#if PAGE_SIZE != 4096',
			'static void drv_big_pages(void)',
			'{',
			'\tmutex_internal();',
			'}',
			'#endif',
			'',
			'#ifdef DRV_NOT_YET',
			'static void drv_later(void)',
			'{',
			'\tmutex_internal();',
			'}',
			'#endif',
			'',
			'void drv_go(void (**fn)(void))',
			'{',
			'\tif (IS_ENABLED(CONFIG_DRV_EXTRA))',
			'\t\t*fn = drv_extra;',
			'\telse',
			'\t\tmutex_internal();',
			'}',
			'',
		].join('\n'),
	});
	// Only the else branch is compiled: one call of mutex_internal, on line 27.
	assert.deepEqual(got, ['unexported-symbol 27 mutex_internal']);
});

test('scopes and names that are no uses: iterator macros keep locals, struct tags, members named by a macro, dead #defines', async () => {
	const got = await check({
		'drv.h': ['#ifndef CONFIG_DRV_EXTRA', '#define drv_dbg(x) do { } while (0)', '#else', '#define drv_dbg(x) mutex_internal()', '#endif', ''].join('\n'),
		'drv.c': [
			'#include "drv.h"',
			'#define drv_each(i) for (i = 0; i < 2; i++)',
			'#define DRV_OP(ops, op) ((ops)->op)',
			'MODULE_LICENSE("GPL");',
			'',
			'struct drv_ops {',
			'\tint (*c)(void);',
			'};',
			'',
			'int drv_go(struct drv_ops *ops, int mutex_internal)',
			'{',
			'\tint i;',
			'',
			'\tdrv_each(i) {',
			'\t\tdrv_dbg(i);',
			'\t\tmutex_internal++;',
			'\t}',
			'\tvoid *p = container_of(ops, struct c, d);',
			'',
			'\treturn DRV_OP(ops, c) ? p != 0 : mutex_internal;',
			'}',
			'',
		].join('\n'),
	});
	// mutex_internal is a parameter (also inside the iterator's block), `c` a member and a
	// tag, and drv_dbg is the do-nothing macro of this .config.
	assert.deepEqual(got, []);
});

test('exported data an inline references without calling it counts (drv_lookup → drv_table)', async () => {
	const got = await check({
		'drv.c': '#include <linux/drvtable.h>\nMODULE_LICENSE("Proprietary");\n\nint drv_go(int i)\n{\n\treturn drv_lookup(i);\n}\n',
	});
	assert.deepEqual(got, ['gpl-only-symbol 6 drv_table']);
});
