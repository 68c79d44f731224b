import { isAbsolute, relative } from 'node:path';

/** Errors that end the CLI with exit status 2 and a one-line reason. */
export class UsageError extends Error {}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A path as the user should read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
	const rel = relative(process.cwd(), file);
	return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
