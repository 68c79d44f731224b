/**
 * A tree's build units and what they are derived from: its kbuild files, Kconfig files and
 * .config, read once, then kept current as files are saved, created and deleted (the index
 * calls in). The kbuild digest names the configuration whose units and export table the
 * cache keeps (cache-payload.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
import { identityOf, readBounded, readText, sameIdentity, type FileIdentity } from '../read';
import { parseKbuild, type KbuildBuild, type KbuildDir } from './kbuild';
import { parseKconfig, parseDotConfig, type KconfigType } from './kconfig';
import { evaluateDir, unitKind, unitsOfBuild, type BuildUnit, type ConfigView } from './modules';
import type { TreeFiles } from './walk';

/** Parsed kbuild and Kconfig files by identity, for the cache. */
export interface KbuildSnapshot {
	/** Path, size, mtimeMs, ctimeMs, ino. */
	files: [string, number, number, number, number][];
	/** Directory, its kbuild file, the parse. */
	dirs: [string, string, KbuildDir][];
	kconfig: [string, Map<string, KconfigType>][];
}

/** What the units need of the index they belong to (passed in: the index owns the sources). */
export interface UnitsHost {
	/** Whether the tree has this .c/.h/.S file: a unit's objects are the sources that exist. */
	hasSource(rel: string): boolean;
	absolutePath(rel: string): string;
	/** Records a file that could not be read. */
	skip(path: string, reason: string): void;
}

export class KbuildUnits {
	readonly units = new Map<string, BuildUnit>();
	/** Each file's first unit; `unitsOfFile` has every unit a file is linked into. */
	readonly unitOfFile = new Map<string, BuildUnit>();
	readonly unitsOfFile = new Map<string, BuildUnit[]>();
	private readonly kbuildDirs = new Map<string, KbuildDir>();
	/** Directory → its Kbuild or Makefile. */
	private readonly kbuildFiles = new Map<string, string>();
	private readonly kconfigFiles = new Map<string, Map<string, KconfigType>>();
	/** Identity of each kbuild and Kconfig file read. */
	private readonly kbuildIds = new Map<string, FileIdentity>();
	private config: ConfigView = { kconfig: new Map() };
	private readonly kbuildHash = createHash('sha1');
	/** With a .config: the directories make descends into (undefined: every directory counts). */
	private reached?: Set<string>;
	/** Each reached directory's subdirectories, as `reached` was derived from them. */
	private readonly descent = new Map<string, string[]>();
	private descentKnown = false;

	constructor(
		private readonly root: string,
		private readonly host: UnitsHost,
	) {}

	/** Each directory's parsed kbuild file. */
	get dirs(): ReadonlyMap<string, KbuildDir> {
		return this.kbuildDirs;
	}

	/** Values of the .config (CONFIG_ prefix stripped), if any. */
	get dotConfig(): ReadonlyMap<string, string> | undefined {
		return this.config.dotConfig;
	}

	/**
	 * Reads the tree's kbuild files, Kconfig files and .config; files whose identity matches
	 * `cached` are not read again. Returns whether every file is as cached.
	 */
	read(tree: TreeFiles, configFile: string | undefined, cached?: KbuildSnapshot, buildDir?: string): boolean {
		let reused = cached !== undefined && cached.files.length === tree.kconfig.length + tree.kbuild.size;
		const prior = new Map(cached?.files.map(([rel, size, mtimeMs, ctimeMs, ino]) => [rel, { size, mtimeMs, ctimeMs, ino }]));
		const priorKconfig = new Map(cached?.kconfig);
		const priorKbuild = new Map(cached?.dirs.map(([, file, kb]) => [file, kb]));
		/** Identity of `rel`, hashed into the digest; whether it is what the cache saw. */
		const identify = (rel: string): boolean | undefined => {
			let st;
			try {
				st = lstatSync(join(this.root, rel));
			} catch (err) {
				this.host.skip(rel, (err as NodeJS.ErrnoException).code ?? String(err));
				return undefined;
			}
			const id = identityOf(st);
			this.kbuildIds.set(rel, id);
			this.kbuildHash.update(`${rel}\0${id.size}\0${id.mtimeMs}\0${id.ctimeMs}\0${id.ino}\n`);
			const before = prior.get(rel);
			const same = before !== undefined && sameIdentity(before, id);
			if (!same) reused = false;
			return same;
		};
		for (const rel of tree.kconfig) {
			const same = identify(rel);
			if (same === undefined) continue;
			const types = same ? priorKconfig.get(rel) : undefined;
			const text = types ? undefined : this.readSmall(rel);
			if (types) this.kconfigFiles.set(rel, types);
			else if (text !== undefined) this.kconfigFiles.set(rel, parseKconfig(text));
		}
		this.mergeKconfig();
		// The build's .config is the one it was built with; an explicit one still wins.
		const buildConfig = buildDir === undefined ? undefined : join(buildDir, '.config');
		const dotConfigPath = configFile ?? (buildConfig !== undefined && existsSync(buildConfig) ? buildConfig : join(this.root, '.config'));
		if (configFile || existsSync(dotConfigPath)) {
			const read = readBounded(dotConfigPath, 'build');
			if ('data' in read) {
				const text = read.data.toString('utf8');
				this.kbuildHash.update(`${dotConfigPath}\0${text}`);
				this.config.dotConfig = parseDotConfig(text);
			} else this.host.skip(dotConfigPath, read.skipped);
		}
		for (const [dir, file] of tree.kbuild) {
			const same = identify(file);
			if (same === undefined) continue;
			let kb = same ? priorKbuild.get(file) : undefined;
			if (!kb) {
				const text = this.readSmall(file);
				if (text === undefined) continue;
				kb = parseKbuild(text);
			}
			this.kbuildFiles.set(dir, file);
			this.kbuildDirs.set(dir, kb);
		}
		return reused;
	}

	/** Adds to the digest something else the export table depends on (a build's Module.symvers). */
	addToDigest(part: string): void {
		this.kbuildHash.update(part);
	}

	/** What units and the export table depend on besides the sources. */
	digest(): string {
		return this.kbuildHash.copy().digest('hex');
	}

	/** The parsed kbuild and Kconfig files, for the cache. */
	snapshot(): KbuildSnapshot {
		return {
			files: [...this.kbuildIds].map(([rel, id]) => [rel, id.size, id.mtimeMs, id.ctimeMs, id.ino]),
			dirs: [...this.kbuildDirs].map(([dir, kb]) => [dir, this.kbuildFiles.get(dir) as string, kb]),
			kconfig: [...this.kconfigFiles],
		};
	}

	/** Units restored from the cache, in the order they were derived. */
	setUnits(units: readonly BuildUnit[]): void {
		for (const unit of units) this.addUnit(unit);
	}

	private addUnit(unit: BuildUnit): void {
		this.units.set(unit.name, unit);
		for (const f of unit.files) {
			if (!this.unitOfFile.has(f)) this.unitOfFile.set(f, unit);
			const list = this.unitsOfFile.get(f);
			if (list) list.push(unit);
			else this.unitsOfFile.set(f, [unit]);
		}
	}

	private readSmall(rel: string): string | undefined {
		const read = readBounded(join(this.root, rel), 'build', false);
		if ('data' in read) return read.data.toString('utf8');
		this.host.skip(rel, read.skipped);
		return undefined;
	}

	private mergeKconfig(): void {
		const merged = new Map<string, KconfigType>();
		for (const types of this.kconfigFiles.values()) {
			for (const [name, type] of types) if (merged.get(name) !== 'tristate') merged.set(name, type);
		}
		this.config = { ...this.config, kconfig: merged };
	}

	/**
	 * Derives every build unit from the kbuild files. With a .config and a top-level Kbuild
	 * that lists the directories (6.1+; older trees list them in the top Makefile), only the
	 * directories make descends into count: arch/arm64/kvm's `obj-$(CONFIG_KVM)` builds
	 * nothing on x86.
	 */
	rebuild(): void {
		this.units.clear();
		this.unitOfFile.clear();
		this.unitsOfFile.clear();
		this.descent.clear();
		const builds = new Map<string, KbuildBuild>();
		for (const dir of this.kbuildDirs.keys()) {
			const build = this.evaluateDir(dir);
			if (build) builds.set(dir, build);
		}
		this.reached = undefined;
		if (this.config.dotConfig && (builds.get('')?.subdirs.length ?? 0) > 0) {
			this.reached = new Set(['']);
			const queue = [''];
			for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
				const build = builds.get(dir);
				if (!build) continue;
				const subdirs = this.subdirsOf(dir, build);
				this.descent.set(dir, subdirs);
				for (const sub of subdirs) {
					if (!this.reached.has(sub)) {
						this.reached.add(sub);
						queue.push(sub);
					}
				}
			}
		}
		this.descentKnown = true;
		for (const [dir, build] of builds) this.addUnitsFrom(dir, build);
	}

	private evaluateDir(dir: string): KbuildBuild | undefined {
		const kb = this.kbuildDirs.get(dir);
		return kb && evaluateDir(dir, kb, this.config, this.readMakefile);
	}

	private subdirsOf(dir: string, build: KbuildBuild): string[] {
		return build.subdirs
			.filter((s) => unitKind(s.cond, this.config) !== undefined)
			.map((s) => posix.normalize(dir ? `${dir}/${s.name}` : s.name));
	}

	/** An included makefile: a regular file of the tree (no symlink), not huge. */
	private readMakefile = (rel: string): string | undefined => readText(join(this.root, rel), 'build', 'utf8', false);

	private addUnitsOf(dir: string): void {
		const build = this.evaluateDir(dir);
		if (!build) return;
		// What make descends into changed, or was never derived (units from the cache): derive it all.
		if (this.config.dotConfig) {
			const reached = dir === '' || this.reached?.has(dir);
			const changed = reached && (this.descent.get(dir) ?? []).join('\0') !== this.subdirsOf(dir, build).join('\0');
			if (!this.descentKnown || changed) return this.rebuild();
		}
		this.addUnitsFrom(dir, build);
	}

	private addUnitsFrom(dir: string, build: KbuildBuild): void {
		const file = this.kbuildFiles.get(dir);
		if (!file || (this.reached && !this.reached.has(dir))) return;
		const sourceOf = (obj: string) => {
			for (const ext of ['.c', '.S']) {
				if (this.host.hasSource(obj + ext)) return obj + ext;
			}
			return undefined;
		};
		for (const unit of unitsOfBuild(dir, build, file, this.config, sourceOf)) this.addUnit(unit);
	}

	private removeUnitsOf(dir: string): void {
		const file = this.kbuildFiles.get(dir);
		for (const [name, unit] of this.units) {
			if (unit.kbuildFile !== file) continue;
			this.units.delete(name);
			for (const f of unit.files) {
				const rest = this.unitsOfFile.get(f)?.filter((u) => u !== unit) ?? [];
				if (rest.length > 0) this.unitsOfFile.set(f, rest);
				else this.unitsOfFile.delete(f);
				if (this.unitOfFile.get(f) !== unit) continue;
				if (rest.length > 0) this.unitOfFile.set(f, rest[0]);
				else this.unitOfFile.delete(f);
			}
		}
	}

	/** A source appeared or vanished: the units of its directory and those above may change. */
	sourceChanged(rel: string): void {
		for (let dir = posix.dirname(rel); ; dir = posix.dirname(dir)) {
			const key = dir === '.' ? '' : dir;
			if (this.kbuildDirs.has(key)) {
				this.removeUnitsOf(key);
				this.addUnitsOf(key);
			}
			if (key === '') break;
		}
	}

	/**
	 * Re-reads a saved or created Kbuild or Makefile. `unreadable`: the caller forgets the file;
	 * `namespaces`: its default namespaces changed, so the export table must be collected again.
	 */
	updateKbuild(rel: string): 'unreadable' | 'namespaces' | undefined {
		const dir = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
		const current = this.kbuildFiles.get(dir);
		// A Makefile beside a Kbuild is not read.
		if (current && current !== rel && posix.basename(current) === 'Kbuild' && existsSync(this.host.absolutePath(current))) return undefined;
		const text = this.readSmall(rel);
		if (text === undefined) return 'unreadable';
		const before = this.kbuildDirs.get(dir);
		const kb = parseKbuild(text);
		this.removeUnitsOf(dir);
		this.kbuildFiles.set(dir, rel);
		this.kbuildDirs.set(dir, kb);
		this.addUnitsOf(dir);
		const ns = (k: KbuildDir | undefined) => JSON.stringify([k?.defaultNamespace, k?.subdirDefaultNamespace, [...(k?.objectNamespaces ?? [])]]);
		return ns(before) !== ns(kb) ? 'namespaces' : undefined;
	}

	/** Re-reads a saved or created Kconfig file; false when it cannot be read (the caller forgets it). */
	updateKconfig(rel: string): boolean {
		const text = this.readSmall(rel);
		if (text === undefined) return false;
		this.kconfigFiles.set(rel, parseKconfig(text));
		this.mergeKconfig();
		this.rebuild();
		return true;
	}

	/** Forgets the kbuild and Kconfig files that were `rel` or lay under it. */
	remove(rel: string): void {
		const prefix = `${rel}/`;
		for (const [dir, file] of this.kbuildFiles) {
			if (file !== rel && !file.startsWith(prefix)) continue;
			this.kbuildFiles.delete(dir);
			this.kbuildDirs.delete(dir);
			this.rebuild();
		}
		for (const file of [...this.kconfigFiles.keys()]) {
			if (file === rel || file.startsWith(prefix)) {
				this.kconfigFiles.delete(file);
				this.mergeKconfig();
				this.rebuild();
			}
		}
	}
}
