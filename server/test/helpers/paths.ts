/** Paths every test uses. */
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const FIXTURES = join(REPO, 'test-fixtures');
export const MODERN = join(FIXTURES, 'kernels', 'modern');
export const V419 = join(FIXTURES, 'kernels', 'v4.19');
export const DRIVERS = join(FIXTURES, 'drivers');
/** The bundled CLI; `npm test` builds it before running tests. */
export const KMM = join(REPO, 'dist', 'kmm.js');
export const SERVER = join(REPO, 'dist', 'server.js');
