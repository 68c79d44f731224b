/** The kernel version from the top-level Makefile's VERSION/PATCHLEVEL/SUBLEVEL lines. */
export interface KernelVersion {
	major: number;
	minor: number;
	patch: number;
	/** EXTRAVERSION, e.g. "-rc3"; empty for releases. */
	extra: string;
}

export function parseKernelVersion(makefile: string): KernelVersion | undefined {
	const field = (name: string): string | undefined =>
		new RegExp(`^${name}[ \\t]*=[ \\t]*(\\S*)[ \\t]*$`, 'm').exec(makefile)?.[1];
	const major = field('VERSION');
	const minor = field('PATCHLEVEL');
	if (!major || !minor || !/^\d+$/.test(major) || !/^\d+$/.test(minor)) return undefined;
	const patch = field('SUBLEVEL') ?? '0';
	return { major: +major, minor: +minor, patch: /^\d+$/.test(patch) ? +patch : 0, extra: field('EXTRAVERSION') ?? '' };
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
