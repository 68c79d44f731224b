import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadSpans, evaluate } from '../../src/engine/syntax/conditionals';
import type { KernelVersion } from '../../src/engine/kernel/version';

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
