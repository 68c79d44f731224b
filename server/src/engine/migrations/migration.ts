/**
 * The contract of one migration, clangd-tweak style: `meta`, `offers` (prepare: cheap, for
 * listing code actions) and `run` (apply: over the module's shared analysis). Apart from
 * types.ts so that the analysis (model.ts) and the contract do not import each other.
 */
import type { ModuleContext } from '../checks/types';
import type { KernelIndex } from '../kernel/index';
import type { RecordShape } from '../syntax/records';
import type { DevmemModel } from './model';
import type { KernelShape } from './shape';
import type { Doc, MigrationMeta, MigrationOutput, Offer } from './types';

export interface MigrationContext {
	kernel: KernelIndex;
	/** Every document of the module that the analysis reads, by absolute path. */
	docs: ReadonlyMap<string, Doc>;
	/** The files whose sites are wanted (all of docs for a whole module). */
	targets: ReadonlySet<string>;
	shape: KernelShape;
	model: DevmemModel;
	/** The structs the module's documents define, by tag (migrations/members.ts). */
	records: ReadonlyMap<string, RecordShape>;
	/** The module being migrated, when there is one (its definitions shadow kernel names). */
	module?: ModuleContext;
}

export interface Migration {
	meta: MigrationMeta;
	/**
	 * Where it may apply in one document, from that document's tree alone: no model, no other
	 * file of the module. Every site `run` finds there is among them (same span, title and
	 * preference); an offer `run` then cannot take (its holder is unknown) has no site.
	 */
	offers(doc: Doc, shape: KernelShape, records: ReadonlyMap<string, RecordShape>): Offer[];
	run(ctx: MigrationContext): MigrationOutput;
}
