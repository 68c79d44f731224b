/**
 * Kbuild files read as make reads them: variables, functions, conditionals decided by a
 * .config (both branches when undecided), includes, `$(eval)`; composites with members in
 * other directories; files linked into several modules; what make descends into.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildKernelIndex } from '../../src/engine/kernel/build';
import { evaluateKbuild, parseKbuild, parseMakefile } from '../../src/engine/kernel/kbuild';
import { parseDotConfig } from '../../src/engine/kernel/kconfig';
import { unitsOfDir, type BuildUnit } from '../../src/engine/kernel/modules';

const config = (text: string) => parseDotConfig(text);
const objects = (text: string, dotConfig?: string, read?: (p: string) => string | undefined) =>
	evaluateKbuild(parseMakefile(text), { dir: 'd', dotConfig: dotConfig === undefined ? undefined : config(dotConfig), read })
		.objects.map((o) => `${o.name}:${typeof o.cond === 'string' ? o.cond : o.cond.config}`);

test('variables, references and functions', () => {
	const text = [
		'A := x',
		'B = $(A) y',
		'A := z',
		'C ?= c.o',
		'C ?= other.o',
		'D := ${A}',
		'override E := e',
		'E := not-e',
		'obj-m += $(B:%=%.o) $(C) $(E).o',
		'obj-m += $(patsubst %.c,%.o,p.c q.h) $(subst -,_,s-t.o) $(filter %.o,f.o g.h) $(filter-out h.o,h.o i.o)',
		'obj-m += $(if $(A),if.o,else.o) $(if ,no.o,or.o) $(or ,first.o) $(and a,and.o) $(strip  st.o  )',
		'obj-m += $(addprefix pre_,a.o) $(addsuffix .o,suf) $(sort s2.o s1.o s2.o) $(word 2,w1.o w2.o) $(firstword fw.o x)',
		'obj-m += $(notdir sub/nd.o) $(basename bn.c).o $(foreach m,fe1 fe2,$(m).o)',
		'define twice',
		'$(1)-a.o $(1)-b.o',
		'endef',
		'obj-m += $(call twice,cl)',
		'$(foreach m,ev,$(eval obj-m += $(m).o))',
		'obj-m += $(shell echo sh.o) $(wildcard *.o)',
	].join('\n');
	assert.deepEqual(objects(text), [
		'z:m', 'y:m', 'c:m', 'e:m',
		'p:m', 's_t:m', 'f:m', 'i:m',
		'if:m', 'or:m', 'first:m', 'and:m', 'st:m',
		'pre_a:m', 'suf:m', 's1:m', 's2:m', 'w2:m', 'fw:m',
		'nd:m', 'bn:m', 'fe1:m', 'fe2:m',
		'cl-a:m', 'cl-b:m',
		'ev:m',
	]);
});

test('$(shell) and recipes never run', () => {
	const marker = join(mkdtempSync(join(tmpdir(), 'kmm-shell-')), 'ran');
	const text = `X := $(shell touch ${marker})\nY != touch ${marker}\nall:\n\ttouch ${marker}\n\tobj-m += recipe.o\nobj-m += after.o\n`;
	assert.deepEqual(objects(text), ['after:m']);
	assert.equal(existsSync(marker), false);
	// `$(shell pwd)` is make's CURDIR when the caller gives one (the out-of-tree package's top), else nothing.
	const pwd = 'HERE := $(shell pwd)\nobj-m += $(HERE)/pwd.o\n';
	assert.deepEqual(objects(pwd), ['/pwd:m']);
	const withCurdir = evaluateKbuild(parseMakefile(pwd), { dir: '', vars: new Map([['CURDIR', 'top']]) });
	assert.deepEqual(withCurdir.objects.map((o) => o.name), ['top/pwd']);
});

test('conditionals: decided by the .config, both branches when undecided', () => {
	const text = [
		'ifeq ($(CONFIG_A),y)',
		'obj-y += a_y.o',
		'else ifeq ($(CONFIG_A),m)',
		'obj-m += a_m.o',
		'else',
		'obj-y += a_off.o',
		'endif',
		'ifdef CONFIG_B',
		'obj-m += b.o',
		'endif',
		'ifndef CONFIG_B',
		'obj-m += not_b.o',
		'endif',
		"ifneq '$(CONFIG_C)' ''",
		'obj-m += c.o',
		'endif',
		'ifeq ($(shell uname),Linux)',
		'obj-m += host.o',
		'endif',
	].join('\n');
	assert.deepEqual(objects(text, 'CONFIG_A=m\nCONFIG_B=y\n'), ['a_m:m', 'b:m', 'host:m']);
	assert.deepEqual(objects(text, 'CONFIG_A=y\n'), ['a_y:y', 'not_b:m', 'host:m']);
	// No .config: every branch counts, as before kbuild files were evaluated.
	assert.deepEqual(objects(text), ['a_y:y', 'a_m:m', 'a_off:y', 'b:m', 'not_b:m', 'c:m', 'host:m']);
});

test('object lists built from options: subst, $(VAR)$(CONFIG_X), $(modname)', () => {
	const text = [
		'obj-$(CONFIG_L2TP) += core.o',
		'obj-$(subst y,$(CONFIG_L2TP),$(CONFIG_L2TP_IP)) += ip.o',
		'PREFIX := ',
		'obj-$(PREFIX)$(CONFIG_X) += x.o',
	].join('\n');
	assert.deepEqual(objects(text, 'CONFIG_L2TP=m\nCONFIG_L2TP_IP=y\nCONFIG_X=y\n'), ['core:m', 'ip:m', 'x:y']);
	assert.deepEqual(objects(text, 'CONFIG_L2TP=y\nCONFIG_L2TP_IP=y\n'), ['core:y', 'ip:y']);
	// Undecided, the option names its object's condition.
	assert.deepEqual(objects(text), ['core:L2TP', 'ip:L2TP_IP', 'x:X']);
	assert.deepEqual(objects('obj-m := old.o\nmodname := drv\nobj-m := $(modname).o\n', ''), ['drv:m']);
});

test('include: relative to the tree (srctree, src), bounded, and unreadable files ignored', () => {
	const files: Record<string, string> = {
		'lib/Makefile.inc': 'inc-y := $(OBJS)\nOBJS := inc.o\ninclude lib/Makefile.loop\n',
		'lib/Makefile.loop': 'obj-m += loop.o\ninclude lib/Makefile.loop\n',
		'd/Makefile.local': 'obj-m += local.o\n',
	};
	const read = (p: string) => files[p];
	const text = 'include $(srctree)/lib/Makefile.inc\ninclude $(src)/Makefile.local\n-include missing.mk\nobj-m += $(OBJS)\n';
	const got = objects(text, '', read);
	assert.deepEqual(got.filter((o) => o !== 'loop:m'), ['local:m', 'inc:m']);
	assert.equal(got.filter((o) => o === 'loop:m').length > 0, true);
});

function units(dir: string, text: string, dotConfig: string | undefined, sources: string[]): Map<string, BuildUnit> {
	const have = new Set(sources);
	const sourceOf = (o: string) => [`${o}.c`, `${o}.S`].find((s) => have.has(s));
	const cfg = { kconfig: new Map(), dotConfig: dotConfig === undefined ? undefined : config(dotConfig) };
	return new Map(unitsOfDir(dir, parseKbuild(text), `${dir}/Makefile`, cfg, sourceOf).map((u) => [u.name, u]));
}

test('composites: objs-y lists, members in subdirectories and ../, unset options build nothing', () => {
	const text = [
		'obj-$(CONFIG_ISO) += iso.o',
		'iso-objs-y := namei.o',
		'iso-objs-$(CONFIG_JOLIET) += joliet.o',
		'iso-objs := $(iso-objs-y)',
		'obj-$(CONFIG_XFS) += xfs.o',
		'xfs-y += libxfs/alloc.o xfs_super.o',
		'KVM := ../../virt/kvm',
		'obj-$(CONFIG_KVM) += kvm.o',
		'kvm-y := $(KVM)/kvm_main.o x86.o',
		'obj-$(CONFIG_OFF) += off.o',
	].join('\n');
	const sources = ['fs/x/namei.c', 'fs/x/joliet.c', 'fs/x/libxfs/alloc.c', 'fs/x/xfs_super.c', 'virt/kvm/kvm_main.c', 'fs/x/x86.c', 'fs/x/off.c'];
	const got = units('fs/x', text, 'CONFIG_ISO=m\nCONFIG_JOLIET=y\nCONFIG_XFS=m\nCONFIG_KVM=m\n', sources);
	assert.deepEqual([...got.keys()], ['fs/x/iso', 'fs/x/xfs', 'fs/x/kvm']);
	assert.deepEqual(got.get('fs/x/iso')?.files, ['fs/x/namei.c', 'fs/x/joliet.c']);
	assert.deepEqual(got.get('fs/x/xfs')?.files, ['fs/x/libxfs/alloc.c', 'fs/x/xfs_super.c']);
	assert.deepEqual(got.get('fs/x/kvm')?.files, ['virt/kvm/kvm_main.c', 'fs/x/x86.c']);
	assert.equal(got.get('fs/x/iso')?.kbuildLine, 1);
	// Listed in obj-y and obj-m: make builds it in.
	const both = units('d', 'obj-y += b.o\nobj-$(CONFIG_B) += b.o\n', 'CONFIG_B=m\n', ['d/b.c']);
	assert.equal(both.get('d/b')?.kind, 'builtin');
});

function writeTree(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'kmm-kbuild-'));
	for (const [rel, text] of Object.entries({ Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n', ...files })) {
		mkdirSync(dirname(join(root, rel)), { recursive: true });
		writeFileSync(join(root, rel), text);
	}
	return root;
}

test('index: descent from the top Kbuild, shared files, includes and updates', () => {
	const root = writeTree({
		Kbuild: 'obj-y += drivers/ arch/$(SRCARCH)/\n',
		'.config': 'CONFIG_X86=y\nCONFIG_64BIT=y\nCONFIG_A=m\nCONFIG_KVM=m\n',
		'include/linux/module.h': '',
		'drivers/Makefile': 'obj-$(CONFIG_A) += a/\n',
		'drivers/a/Makefile': 'include $(srctree)/drivers/a/Makefile.list\nobj-m += one.o two.o\n',
		'drivers/a/Makefile.list': 'one-y := one_main.o common.o\ntwo-y := two_main.o common.o\n',
		'drivers/a/one_main.c': '',
		'drivers/a/two_main.c': '',
		'drivers/a/common.c': 'MODULE_LICENSE("GPL");\n',
		'drivers/unreached/Makefile': 'obj-m += lost.o\n',
		'drivers/unreached/lost.c': '',
		'arch/x86/Kbuild': 'obj-$(CONFIG_KVM) += kvm/\n',
		'arch/x86/kvm/Makefile': 'obj-m += kvm.o\n',
		'arch/x86/kvm/kvm.c': '',
		'arch/arm64/kvm/Makefile': 'obj-$(CONFIG_KVM) += kvm.o\n',
		'arch/arm64/kvm/kvm.c': '',
	});
	const index = buildKernelIndex(root);
	assert.deepEqual([...index.units.keys()].sort(), ['arch/x86/kvm/kvm', 'drivers/a/one', 'drivers/a/two']);
	assert.equal(index.unitOfFile.get('drivers/a/common.c')?.name, 'drivers/a/one');
	assert.deepEqual(index.unitsOfFile.get('drivers/a/common.c')?.map((u) => u.name), ['drivers/a/one', 'drivers/a/two']);
	assert.deepEqual(index.licensesOf(index.units.get('drivers/a/two') as BuildUnit).map((l) => l.license), ['GPL']);

	// A directory newly descended into brings its modules; one dropped takes them away.
	writeFileSync(join(root, 'drivers/Makefile'), 'obj-$(CONFIG_A) += a/\nobj-m += unreached/\n');
	index.updateFile('drivers/Makefile');
	assert.ok(index.units.has('drivers/unreached/lost'));
	writeFileSync(join(root, 'drivers/a/Makefile'), 'obj-m += one.o\none-y := one_main.o\n');
	index.updateFile('drivers/a/Makefile');
	assert.equal(index.units.has('drivers/a/two'), false);
	assert.deepEqual(index.unitsOfFile.get('drivers/a/common.c'), undefined);
	assert.equal(index.unitOfFile.get('drivers/a/common.c'), undefined);

	// Without a .config every directory counts and options stay undecided.
	unlinkSync(join(root, '.config'));
	const open = buildKernelIndex(root);
	assert.equal(open.units.get('arch/arm64/kvm/kvm')?.kind, 'maybe-module');
});
