/**
 * Reads the kbuild lines of one directory's Kbuild or Makefile: which objects are built
 * (obj-y, obj-m, obj-$(CONFIG_X), lib-y), which subdirectories are descended into, which
 * objects are composites of other objects, and DEFAULT_SYMBOL_NAMESPACE from the flags.
 * Conditionals (ifdef/ifeq) are ignored: every branch counts, as if enabled.
 */

/** `y` and `m` are fixed; anything else is a CONFIG_ symbol whose value decides. */
export type KbuildCondition = 'y' | 'm' | { config: string };

export interface KbuildEntry {
	/** Object name without `.o`, or directory name without `/`; may contain `sub/`. */
	name: string;
	cond: KbuildCondition;
	/** 1-based line in the Kbuild/Makefile, for error messages and go-to. */
	line: number;
}

export interface KbuildDir {
	objects: KbuildEntry[];
	subdirs: KbuildEntry[];
	/** Composite object → member objects (`foo-y`, `foo-objs`, `foo-$(CONFIG_Y)`). */
	composites: Map<string, KbuildEntry[]>;
	/** DEFAULT_SYMBOL_NAMESPACE from `ccflags-y` (this directory) … */
	defaultNamespace?: string;
	/** … from `subdir-ccflags-y` (this directory and all below) … */
	subdirDefaultNamespace?: string;
	/** … and from `CFLAGS_foo.o` (one object). */
	objectNamespaces: Map<string, string>;
	/** `KDIR ?= …` of an out-of-tree module's Makefile. */
	kdir?: string;
}

const ASSIGN_RE = /^([A-Za-z0-9_./-]+?)-(y|m|objs|\$\(CONFIG_[A-Za-z0-9_]+\))\s*(?:\+=|:=|\?=|=)(.*)$/;
const FLAGS_RE = /^(subdir-ccflags-y|ccflags-y|EXTRA_CFLAGS|CFLAGS_([A-Za-z0-9_./-]+)\.o)\s*(?:\+=|:=|=)(.*)$/;
const NAMESPACE_FLAG_RE = /-DDEFAULT_SYMBOL_NAMESPACE=[\\'"]*([A-Za-z_]\w*)/;
const KDIR_RE = /^(?:KDIR|KERNELDIR|KERNEL_DIR|KSRC|KERNEL_SRC)\s*(?:\?=|:=|=)\s*(\S.*?)\s*$/;

/** Joins backslash-continued lines and drops comments, keeping each statement's first line number. */
function statements(text: string): { text: string; line: number }[] {
	const out: { text: string; line: number }[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const first = i;
		let s = lines[i];
		while (s.endsWith('\\') && i + 1 < lines.length) s = s.slice(0, -1) + ' ' + lines[++i];
		const hash = s.indexOf('#');
		if (hash >= 0) s = s.slice(0, hash);
		s = s.trim();
		if (s) out.push({ text: s, line: first + 1 });
	}
	return out;
}

function condition(suffix: string): KbuildCondition | undefined {
	if (suffix === 'y' || suffix === 'm') return suffix;
	if (suffix === 'objs') return 'y';
	const m = /^\$\((CONFIG_[A-Za-z0-9_]+)\)$/.exec(suffix);
	return m ? { config: m[1].slice('CONFIG_'.length) } : undefined;
}

export function parseKbuild(text: string): KbuildDir {
	const dir: KbuildDir = { objects: [], subdirs: [], composites: new Map(), objectNamespaces: new Map() };
	for (const st of statements(text)) {
		const flags = FLAGS_RE.exec(st.text);
		if (flags) {
			const ns = NAMESPACE_FLAG_RE.exec(flags[3])?.[1];
			if (ns) {
				if (flags[2]) dir.objectNamespaces.set(flags[2], ns);
				else if (flags[1] === 'subdir-ccflags-y') dir.subdirDefaultNamespace = ns;
				else dir.defaultNamespace = ns;
			}
			continue;
		}
		const kdir = KDIR_RE.exec(st.text);
		if (kdir) {
			dir.kdir ??= kdir[1];
			continue;
		}
		const m = ASSIGN_RE.exec(st.text);
		if (!m) continue;
		const cond = condition(m[2]);
		if (!cond) continue;
		const items = m[3].split(/\s+/).filter((t) => t && !t.includes('$('));
		const lhs = m[1];
		if (lhs === 'obj' || lhs === 'lib' || lhs === 'subdir') {
			for (const item of items) {
				if (item.endsWith('/')) dir.subdirs.push({ name: item.replace(/\/+$/, ''), cond, line: st.line });
				else if (item.endsWith('.o') && lhs !== 'subdir') {
					dir.objects.push({ name: item.slice(0, -2), cond: lhs === 'lib' ? 'y' : cond, line: st.line });
				}
			}
		} else {
			const members = items.filter((t) => t.endsWith('.o')).map((t) => ({ name: t.slice(0, -2), cond, line: st.line }));
			if (members.length === 0) continue;
			const list = dir.composites.get(lhs) ?? [];
			list.push(...members);
			dir.composites.set(lhs, list);
		}
	}
	return dir;
}
