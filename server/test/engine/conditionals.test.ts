import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionals, deadSpans, evaluate, type BuildEnv } from '../../src/engine/syntax/conditionals';
import type { KernelVersion } from '../../src/engine/version';

const V61: KernelVersion = { major: 6, minor: 1, patch: 0, extra: '' };

test('version comparisons evaluate; unknown macros stay unknown', () => {
	assert.equal(evaluate('LINUX_VERSION_CODE < KERNEL_VERSION(5, 0, 0)', V61), 0);
	assert.equal(evaluate('LINUX_VERSION_CODE >= KERNEL_VERSION(5,10,0)', V61), 1);
	assert.equal(evaluate('KERNEL_VERSION(6,1,0) == LINUX_VERSION_CODE && 1', V61), 1);
	assert.equal(evaluate('defined(CONFIG_FOO)', V61), undefined);
	assert.equal(evaluate('defined(CONFIG_FOO) && LINUX_VERSION_CODE < KERNEL_VERSION(4,0,0)', V61), 0);
	assert.equal(evaluate('IS_ENABLED(CONFIG_X) || LINUX_VERSION_CODE > KERNEL_VERSION(4,0,0)', V61), 1);
	assert.equal(evaluate('RHEL_RELEASE_CODE > 5', V61), undefined);
	assert.equal(evaluate('(', V61), undefined);
});

test('dead spans: #if/#elif/#else chains, nesting, and unknown conditions left live', () => {
	const src = [
		'#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 0, 0)', // 0
		'old();', // 1
		'#elif LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)', // 2
		'middle();', // 3
		'#else', // 4
		'new();', // 5
		'#endif', // 6
		'#ifdef CONFIG_FOO', // 7
		'foo();', // 8
		'#else', // 9
		'bar();', // 10
		'#endif', // 11
		'#if 0', // 12
		'#if LINUX_VERSION_CODE > KERNEL_VERSION(4, 0, 0)', // 13
		'nested();', // 14
		'#endif', // 15
		'#endif', // 16
	].join('\n');
	assert.deepEqual(deadSpans(src, V61), [
		{ start: 1, end: 1 },
		{ start: 3, end: 3 },
		{ start: 13, end: 15 },
	]);
	// Without a known version only constant conditions decide.
	assert.deepEqual(deadSpans(src, undefined), [{ start: 13, end: 15 }]);
});

const CONFIG = new Map([
	['Y', 'y'],
	['M', 'm'],
	['NUM', '42'],
	['HEX', '0x10'],
	['STR', '"abc"'],
]);
const MOD: BuildEnv = { config: CONFIG, module: true };

test('with a .config: CONFIG_ options as autoconf.h defines them, kconfig.h macros, MODULE', () => {
	const cases: [string, number | undefined][] = [
		['defined(CONFIG_Y)', 1],
		['defined CONFIG_Y', 1],
		['defined(CONFIG_M)', 0],
		['defined(CONFIG_M_MODULE)', 1],
		['defined(CONFIG_UNSET)', 0],
		['CONFIG_Y', 1],
		['CONFIG_M', 0],
		['CONFIG_UNSET', 0],
		['CONFIG_NUM > 40', 1],
		['CONFIG_HEX == 16', 1],
		['CONFIG_STR', undefined],
		['IS_ENABLED(CONFIG_Y) && IS_ENABLED(CONFIG_M)', 1],
		['IS_ENABLED(CONFIG_UNSET)', 0],
		['IS_BUILTIN(CONFIG_M)', 0],
		['IS_MODULE(CONFIG_M)', 1],
		['IS_REACHABLE(CONFIG_M)', 1],
		['defined(MODULE) && defined(__KERNEL__) && !defined(__ASSEMBLY__)', 1],
		['defined(ARCH_HAS_FOO)', undefined],
		['SOME_MACRO > 1', undefined],
	];
	for (const [expr, want] of cases) assert.equal(evaluate(expr, V61, MOD), want, expr);
	assert.equal(evaluate('IS_REACHABLE(CONFIG_M)', V61, { config: CONFIG, module: false }), 0);
	assert.equal(evaluate('defined(MODULE)', V61, { config: CONFIG, module: false }), 0);
	// Without a .config every option stays unknown; the always-known macros still decide.
	const noConfig: BuildEnv = { module: true };
	assert.equal(evaluate('IS_ENABLED(CONFIG_Y)', V61, noConfig), undefined);
	assert.equal(evaluate('defined(CONFIG_Y)', V61, noConfig), undefined);
	assert.equal(evaluate('defined(MODULE)', V61, noConfig), 1);
});

test('with a build env: #ifdef/#ifndef decide, include guards are taken, undecided lines are uncertain', () => {
	const src = [
		'#ifndef _LINUX_X_H', // 0
		'#define _LINUX_X_H', // 1
		'#ifdef CONFIG_Y', // 2
		'y();', // 3
		'#else', // 4
		'not_y();', // 5
		'#endif', // 6
		'#ifndef CONFIG_M', // 7
		'not_builtin_m();', // 8
		'#endif', // 9
		'#ifdef ARCH_FOO', // 10
		'arch();', // 11
		'#else', // 12
		'generic();', // 13
		'#endif', // 14
		'#if IS_ENABLED(CONFIG_UNSET)', // 15
		'unset();', // 16
		'#elif defined(CONFIG_NUM)', // 17
		'num();', // 18
		'#else', // 19
		'other();', // 20
		'#endif', // 21
		'#endif', // 22
	].join('\n');
	assert.deepEqual(conditionals(src, V61, MOD), {
		dead: [
			{ start: 5, end: 5 },
			{ start: 16, end: 16 },
			{ start: 20, end: 20 },
		],
		uncertain: [
			{ start: 11, end: 11 },
			{ start: 13, end: 13 },
		],
	});
	// No .config: options are unknown, the guard still counts as taken.
	assert.deepEqual(conditionals(src, V61, { module: true }).dead, []);
	assert.ok(!conditionals(src, V61, { module: true }).uncertain.some((s) => s.start === 2 && s.end === 21));
	// Without an env nothing changes from before: #ifdef is unknown, the guard too.
	assert.deepEqual(deadSpans(src, V61), []);
	assert.deepEqual(conditionals(src, V61).uncertain[0], { start: 3, end: 3 });
});

test('a directive written inside a comment is none (qla1280.c\'s changelog says "#ifdef QL_DEBUG_LEVEL_3/#endif")', () => {
	const env: BuildEnv = { config: new Map([['PCI', 'y']]), module: true, known: () => false };
	const src = [
		'/*', // 0
		' *\t  #ifdef QL_DEBUG_LEVEL_3/#endif around ENTER()', // 1
		' */', // 2
		'int live(void);', // 3
		'#if 0 /* a comment that runs on', // 4
		'   #else */', // 5
		'dead();', // 6
		'#endif', // 7
		'// #if 0', // 8
		'MODULE_LICENSE("GPL");', // 9
	].join('\n');
	assert.deepEqual(deadSpans(src, V61, env), [{ start: 5, end: 6 }]);
});
