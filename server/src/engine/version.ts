/** The kernel version from the top-level Makefile's VERSION/PATCHLEVEL/SUBLEVEL lines. */
export interface KernelVersion {
	major: number;
	minor: number;
	patch: number;
	/** EXTRAVERSION, e.g. "-rc3"; empty for releases. */
	extra: string;
}

export type VersionRead = { ok: true; version: KernelVersion } | { ok: false; reason: string };

/**
 * The version a top-level Makefile states: undefined when it has no VERSION and PATCHLEVEL
 * (not a kernel Makefile), a reason when they are not what kbuild can build from. VERSION and
 * PATCHLEVEL are 8-bit fields of LINUX_VERSION_CODE; SUBLEVEL may exceed 255 (4.9.337) and be
 * empty (0).
 */
export function readKernelVersion(makefile: string): VersionRead | undefined {
	const field = (name: string): string | undefined =>
		new RegExp(`^${name}[ \\t]*=[ \\t]*(.*?)[ \\t]*$`, 'm').exec(makefile)?.[1];
	const major = field('VERSION');
	const minor = field('PATCHLEVEL');
	if (major === undefined || minor === undefined) return undefined;
	const patch = field('SUBLEVEL') || '0';
	const bad = (
		[
			['VERSION', major, 255],
			['PATCHLEVEL', minor, 255],
			['SUBLEVEL', patch, 65535],
		] as const
	).find(([, value, max]) => !/^\d{1,5}$/.test(value) || +value > max);
	if (bad) return { ok: false, reason: `malformed kernel version: ${bad[0]} = ${bad[1].slice(0, 40)} (expected a number up to ${bad[2]})` };
	return { ok: true, version: { major: +major, minor: +minor, patch: +patch, extra: field('EXTRAVERSION') ?? '' } };
}

export function parseKernelVersion(makefile: string): KernelVersion | undefined {
	const read = readKernelVersion(makefile);
	return read?.ok ? read.version : undefined;
}

export function formatVersion(v: KernelVersion): string {
	return `${v.major}.${v.minor}.${v.patch}${v.extra}`;
}

/** The value LINUX_VERSION_CODE has for this version (sublevel capped at 255, as the kernel does). */
export function versionCode(v: KernelVersion): number {
	return kernelVersionCode(v.major, v.minor, v.patch);
}

export function kernelVersionCode(a: number, b: number, c: number): number {
	return (a << 16) + (b << 8) + Math.min(c, 255);
}

/** Compares against "major.minor" or "major.minor.patch". */
export function compareVersion(v: KernelVersion, other: string): number {
	const [a = 0, b = 0, c = 0] = other.split('.').map(Number);
	return versionCode(v) - kernelVersionCode(a, b, c);
}
