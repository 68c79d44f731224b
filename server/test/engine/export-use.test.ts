/**
 * The one verdict on "may this module link against this export" (engine/export-use.ts,
 * knowledge/namespaces.ts), and the hover saying what the checks decide.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModuleContext } from '../../src/engine/checks/types';
import { incompatibleLicense, namespaceStanding } from '../../src/engine/export-use';
import { exportVerdict } from '../../src/engine/hover/export-status';
import type { ExportRecord, KernelIndex } from '../../src/engine/kernel/index';
import { importSpelling, moduleListed } from '../../src/engine/knowledge/namespaces';

const ROOT = '/src/linux';

/** Just what the verdict reads of an index: its version and where its tree is. */
function kernelAt(major: number, minor: number): KernelIndex {
	return {
		version: { major, minor, patch: 0, extra: '' },
		relativePath: (abs: string) => (abs.startsWith(`${ROOT}/`) ? abs.slice(ROOT.length + 1) : undefined),
	} as unknown as KernelIndex;
}

function moduleOf(name: string, dir: string, over: Partial<ModuleContext> = {}): ModuleContext {
	const location = { file: `${dir}/Kbuild`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
	return {
		name,
		kind: 'module',
		files: [`${dir}/main.c`],
		licenses: [{ license: 'GPL', location }],
		imports: [],
		definitions: new Set(),
		macros: new Map(),
		records: new Map(),
		packageExports: new Map(),
		kbuild: location,
		anchorFile: `${dir}/main.c`,
		...over,
	};
}

const exp = (namespace?: string, gplOnly = true): ExportRecord => ({
	symbol: 'kvm_thing',
	macro: namespace?.startsWith('module:') ? 'EXPORT_SYMBOL_FOR_MODULES' : 'EXPORT_SYMBOL_NS_GPL',
	gplOnly,
	...(namespace ? { namespace } : {}),
	file: 'virt/kvm/kvm_main.c',
	line: 10,
	character: 0,
});

test('a module list matches the basename, tail globs, and - and _ alike, as verify_module_namespace does', () => {
	assert.equal(moduleListed('kvm,kvm-*', 'arch/x86/kvm/kvm'), true);
	assert.equal(moduleListed('kvm,kvm-*', 'arch/x86/kvm/kvm-amd'), true);
	assert.equal(moduleListed('kvm,kvm-*', 'arch/x86/kvm/kvm_intel'), true);
	assert.equal(moduleListed('kvm', 'arch/x86/kvm/kvmx'), false);
	// The directory is not part of the name modpost compares.
	assert.equal(moduleListed('arch/x86/kvm/kvm', 'arch/x86/kvm/kvm'), false);
	assert.equal(moduleListed(' vfio , kvm ', 'drivers/vfio/vfio'), true);
});

test('MODULE_IMPORT_NS is spelled as the indexed kernel spells it', () => {
	assert.equal(importSpelling('DMA_BUF', { major: 6, minor: 12, patch: 0, extra: '' }), 'DMA_BUF');
	assert.equal(importSpelling('DMA_BUF', { major: 6, minor: 13, patch: 0, extra: '' }), '"DMA_BUF"');
	assert.equal(importSpelling('DMA_BUF', undefined), 'DMA_BUF');
});

test('namespace standing: imported, own, missing, listed, unlisted, out of tree', () => {
	const k61 = kernelAt(6, 1);
	const inTree = moduleOf('arch/x86/kvm/kvm-amd', `${ROOT}/arch/x86/kvm`);
	assert.deepEqual(namespaceStanding(exp(), inTree, k61), { kind: 'none' });
	assert.deepEqual(namespaceStanding(exp('KVM'), inTree, k61), { kind: 'missing', namespace: 'KVM' });
	const importing = moduleOf('drv', '/home/u/drv', { imports: [{ namespace: 'KVM', quoted: false, location: inTree.kbuild }] });
	assert.deepEqual(namespaceStanding(exp('KVM'), importing, k61), { kind: 'imported', namespace: 'KVM' });
	const owner = moduleOf('virt/kvm/kvm', `${ROOT}/virt/kvm`, { files: [`${ROOT}/virt/kvm/kvm_main.c`] });
	assert.deepEqual(namespaceStanding(exp('KVM'), owner, k61), { kind: 'own', namespace: 'KVM' });
	assert.deepEqual(namespaceStanding(exp('module:kvm,kvm-*'), inTree, k61), { kind: 'listed', list: 'kvm,kvm-*' });
	const other = moduleOf('drivers/gpu/foo', `${ROOT}/drivers/gpu`);
	assert.deepEqual(namespaceStanding(exp('module:kvm,kvm-*'), other, k61), { kind: 'unlisted', list: 'kvm,kvm-*', outOfTree: false });
	// From 6.17 an out-of-tree module is never on the list, whatever it is called.
	const outside = moduleOf('kvm-amd', '/home/u/kvm-amd');
	assert.equal(namespaceStanding(exp('module:kvm-*'), outside, kernelAt(6, 16)).kind, 'listed');
	assert.deepEqual(namespaceStanding(exp('module:kvm-*'), outside, kernelAt(6, 17)), { kind: 'unlisted', list: 'kvm-*', outOfTree: true });
});

test('a license behind an unresolved macro is unknown, not incompatible; any one incompatible license is enough', () => {
	const at = { file: '/m/Kbuild', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
	assert.equal(incompatibleLicense(moduleOf('m', '/m', { licenses: [{ license: '', location: at, macro: 'DRV_LICENSE' }] })), undefined);
	const two = moduleOf('m', '/m', { licenses: [{ license: 'GPL', location: at }, { license: 'Proprietary', location: at }] });
	assert.equal(incompatibleLicense(two)?.license, 'Proprietary');
});

test('the hover says what the checks decide', () => {
	const k61 = kernelAt(6, 1);
	const inTree = moduleOf('arch/x86/kvm/kvm-amd', `${ROOT}/arch/x86/kvm`);
	assert.equal(exportVerdict(exp('module:kvm,kvm-*'), inTree, k61).allowed, true, 'listed by basename');
	assert.equal(exportVerdict(exp('module:kvm'), inTree, k61).allowed, false);
	const owner = moduleOf('virt/kvm/kvm', `${ROOT}/virt/kvm`, { files: [`${ROOT}/virt/kvm/kvm_main.c`], licenses: [] });
	const own = exportVerdict(exp('KVM'), { ...owner, licenses: [{ license: 'Proprietary', location: owner.kbuild }] }, k61);
	assert.equal(own.allowed, true, 'its own export, in its own namespace, GPL-only or not');
	const macroLicensed = moduleOf('drv', '/home/u/drv', { licenses: [{ license: '', location: inTree.kbuild, macro: 'DRV_LICENSE' }] });
	assert.equal(exportVerdict(exp(), macroLicensed, k61).allowed, true, 'an unknown license is not a refusal');
	const v = exportVerdict(exp('KVM'), moduleOf('drv', '/home/u/drv'), kernelAt(6, 13));
	assert.equal(v.allowed, false);
	assert.match(v.details.join('\n'), /MODULE_IMPORT_NS\("KVM"\)/);
});
