/** `kmm check [PATH...]`: the checks modpost would make, without a build, against one kernel or several. */
import { resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { ALL_CODES } from '../engine/checks/index';
import { toSarif } from './sarif';
import type { Finding } from '../engine/checks/types';
import { formatVersion } from '../engine/version';
import { applyOverrides, mergeOverrides, parseOverridePairs, ProjectSettings, SETTINGS_FILE } from '../engine/settings';
import { readBounded, takeRefusals } from '../engine/read';
import { labeledKernels, type KernelOptions } from './kernel';
import { mergeAcrossKernels, type KernelFinding, type LabeledKernel } from '../engine/kernel-set';
import { collectSources, isWithin, type SkippedFile } from './sources';
import { displayPath, EXIT_CLEAN, EXIT_FINDINGS, UsageError } from './usage';

export const CHECK_HELP = `usage: kmm check [PATH...] [--kernel [LABEL=]DIR]... [--build DIR] [--config FILE] [--cache-dir DIR] [--format text|json|sarif]
                 [--severity CODE=LEVEL]...

Reports what modpost would refuse, without building: GPL-only symbols used by modules
whose license is not GPL-compatible, and more. PATH is C files or directories
(default: the current directory).

  --kernel DIR     kernel to check against: a source tree or a headers tree such as
                   /usr/src/linux-headers-<ver> (default: the current directory if it is
                   one, else KDIR from the environment or the module's Makefile, else
                   /lib/modules/$(uname -r)/build). Repeat it to check against several
                   kernels in one run: a finding that holds in some of them says in which
                   (LABEL, default the version) and what the others have
  --build DIR      the build of a source tree (O= directory or headers tree): its
                   Module.symvers and .config win over what the sources say
  --config FILE    a .config that decides which options are modules (wins over the build's)
  --cache-dir DIR  where the index cache lives (default $XDG_CACHE_HOME/kmm or ~/.cache/kmm)
  --format FMT     text (default, gcc-style FILE:LINE:COL: SEVERITY: MESSAGE [CODE]),
                   json, or sarif (SARIF 2.1.0, for code-scanning services)
  --severity CODE=LEVEL
                   report check CODE at LEVEL (error, warning, information, hint) or
                   not at all (off); repeatable. Wins over the ${SETTINGS_FILE} files of the
                   module's directory (or above) and of the kernel tree:
                   {"severity": {"export-license-leak": "off", "gpl-only-symbol": "warning"}}

Exit status: 0 no error-severity finding, 1 some, 2 bad usage or unreadable input.`;

export type CheckFormat = 'text' | 'json' | 'sarif';

export interface CheckOptions extends Omit<KernelOptions, 'kernel'> {
	/** `--kernel` values, DIR or LABEL=DIR each; none: the kernel found as for one. */
	kernels: readonly string[];
	format: CheckFormat;
	/** `--severity` values, CODE=LEVEL each. */
	severity?: readonly string[];
}

export async function runCheck(
	paths: string[],
	options: CheckOptions,
	write: (s: string) => void,
	writeErr: (s: string) => void = (s) => void process.stderr.write(s),
): Promise<number> {
	const flags = parseOverridePairs(options.severity ?? [], '--severity');
	if (flags.problems.length > 0) throw new UsageError(flags.problems.join('; '));
	const targets = (paths.length > 0 ? paths : ['.']).map((p) => resolve(p));
	const files: string[] = [];
	const skipped: SkippedFile[] = [];
	for (const target of targets) collectSources(target, /\.[ch]$/, files, skipped);
	const kernels = await labeledKernels(options.kernels, options, targets);
	const engines = await Promise.all(kernels.map((k) => Engine.create(k.index)));
	const settings = new ProjectSettings();
	const results: { file: string; finding: KernelFinding }[] = [];
	for (const file of files) {
		const read = readBounded(file, 'source');
		if (!('data' in read)) {
			skipped.push({ file, reason: read.skipped });
			continue;
		}
		const text = read.data.toString('utf8');
		// Each kernel's findings with the settings of its tree and of the module's directory.
		const perKernel: Finding[][] = [];
		let failed: string | undefined;
		for (const [i, engine] of engines.entries()) {
			const fromFiles = settings.overridesFor(file, kernels[i].index.root);
			if (fromFiles.problems.length > 0) throw new UsageError(fromFiles.problems.join('; '));
			const overrides = mergeOverrides(fromFiles.overrides, flags.overrides);
			// After the parser failed on a file (it says so in a finding), the next file waits for a fresh one.
			await engine.parserReady();
			// One file's failure is that file's: the others are still checked and reported.
			try {
				perKernel.push(applyOverrides(engine.analyze(file, text), overrides));
			} catch (err) {
				failed = `internal error: ${err instanceof Error ? err.message : String(err)}`;
				break;
			}
		}
		if (failed !== undefined) {
			skipped.push({ file, reason: failed });
			continue;
		}
		for (const finding of mergeAcrossKernels(kernels, perKernel)) results.push({ file, finding });
	}
	// What the analysis could not read in the directories checked (a module's Kbuild, a header).
	const listed = new Set(skipped.map((s) => s.file));
	for (const [file, reason] of takeRefusals()) {
		if (!listed.has(file) && targets.some((t) => isWithin(file, t))) skipped.push({ file, reason });
	}
	if (options.format === 'sarif') {
		write(JSON.stringify(toSarif(results, skipped, ALL_CODES, process.cwd()), null, 2) + '\n');
	} else if (options.format === 'json') {
		const diagnostics = results.map(({ file, finding: f }) => ({
			file: displayPath(file),
			line: f.range.start.line + 1,
			column: f.range.start.character + 1,
			endLine: f.range.end.line + 1,
			endColumn: f.range.end.character + 1,
			severity: f.severity,
			code: f.code,
			message: f.message,
			kernels: f.kernels,
		}));
		const describe = ({ index }: LabeledKernel) => ({ root: index.root, kind: index.kind, version: index.version ? formatVersion(index.version) : null });
		const unread = skipped.map((s) => ({ file: displayPath(s.file), reason: s.reason }));
		// `kernel`: the first (the only one, without several --kernel), as before there were several.
		const all = kernels.map((k) => ({ label: k.label, ...describe(k) }));
		write(JSON.stringify({ kernel: describe(kernels[0]), kernels: all, diagnostics, skipped: unread }, null, 2) + '\n');
	} else {
		for (const s of skipped) writeErr(`kmm: skipped ${displayPath(s.file)}: ${s.reason}\n`);
		for (const { file, finding: f } of results) {
			write(
				`${displayPath(file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.code}]\n`,
			);
		}
	}
	return results.some((r) => r.finding.severity === 'error') ? EXIT_FINDINGS : EXIT_CLEAN;
}
