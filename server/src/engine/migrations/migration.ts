/**
 * The contract of one migration, clangd-tweak style: `meta` and `run` over the module's shared
 * analysis. Apart from types.ts so that the analysis (model.ts) and the contract do not
 * import each other.
 */
import type { KernelIndex } from '../kernel/index';
import type { DevmemModel } from './model';
import type { KernelShape } from './shape';
import type { Doc, MigrationMeta, MigrationOutput } from './types';

export interface MigrationContext {
	kernel: KernelIndex;
	/** Every document of the module that the analysis reads, by absolute path. */
	docs: ReadonlyMap<string, Doc>;
	/** The files whose sites are wanted (all of docs for a whole module). */
	targets: ReadonlySet<string>;
	shape: KernelShape;
	model: DevmemModel;
}

export interface Migration {
	meta: MigrationMeta;
	run(ctx: MigrationContext): MigrationOutput;
}
