/**
 * The contract every check follows, in the manner of ESLint rules: a stable code, metadata,
 * and a pure `run` over one document in the context of its module and the kernel index.
 */
import type { ExportRecord, KernelIndex } from '../kernel/index';
import type { UnitKind } from '../kernel/modules';
import type { DocumentFacts, MacroDef } from '../syntax/facts';
import type { Tree } from '../syntax/parser';
import type { RecordShape } from '../syntax/records';
import type { Location, Range, Severity } from '../types';

export interface CheckMeta {
	/** Stable code, shown to users and used in settings (`kmm.diagnostics.<code>`). */
	code: string;
	severity: Severity;
	/** One line: what the check finds. */
	description: string;
}

/** A module as the checks see it: its license and imports come from all its files. */
export interface ModuleContext {
	/** Path without `.ko` relative to its root (the kernel tree, or the out-of-tree module dir). */
	name: string;
	kind: UnitKind;
	/** Absolute paths of its source files. */
	files: string[];
	/**
	 * Every MODULE_LICENSE of its files. `macro`: spelled through a macro that none of its
	 * files or headers defines as a string, so the license is unknown (`license` is empty).
	 */
	licenses: { license: string; location: Location; macro?: string }[];
	imports: { namespace: string; quoted: boolean; location: Location }[];
	/**
	 * Functions, macros and file-scope variables defined in any of its files, and in the
	 * headers and `.c` files they include from the module's directories: these shadow
	 * kernel symbols.
	 */
	definitions: Set<string>;
	/** The macros among them, with what their bodies name. */
	macros: Map<string, MacroDef>;
	/** The structs and unions its files and those headers define, by tag: they shadow the kernel's (a compat header). */
	records: Map<string, RecordShape>;
	/**
	 * Out of tree: what the other modules of its package export (the same M= build, or
	 * KBUILD_EXTRA_SYMBOLS), by symbol; `file` is absolute. modpost links against these as
	 * against the kernel's exports (see activeExport).
	 */
	packageExports: ReadonlyMap<string, ExportRecord>;
	/** The kbuild line that makes it a module. */
	kbuild: Location;
	/**
	 * The file that speaks for the module in module-wide findings (a missing license): the
	 * first with module_init/module_*_driver or MODULE_* macros, else the first member.
	 */
	anchorFile: string;
}

export interface CheckContext {
	/** Absolute path of the document. */
	file: string;
	/** The document's text, for placing fixes. */
	text: string;
	/** Its syntax tree (parsed from the prepared text), for checks that need expressions' types. */
	tree: Tree;
	facts: DocumentFacts;
	/** Undefined when no kbuild file builds this document. */
	module?: ModuleContext;
	kernel: KernelIndex;
}

export interface Related {
	location: Location;
	message: string;
}

export interface TextEdit {
	/** Absolute path; a fix may edit another file of the module. */
	file: string;
	range: Range;
	newText: string;
}

/** A quick fix: one self-contained set of edits a user can accept. */
export interface Fix {
	title: string;
	edits: TextEdit[];
	/** The fix to apply by default (VS Code's "auto fix"). */
	preferred?: boolean;
}

export interface Finding {
	code: string;
	severity: Severity;
	message: string;
	/**
	 * What the finding says in words that are the same whatever kernel it is checked against
	 * (modpost's, where modpost reports it; `message` adds kernel-specific detail): a finding of
	 * several kernels is one finding when its code, range and subject are the same. Absent: the
	 * message is the subject.
	 */
	subject?: string;
	/** The export the finding is about, when it is about one: other kernels' standing is told by it. */
	symbol?: string;
	range: Range;
	related?: Related[];
	fixes?: Fix[];
}

export interface Check {
	meta: CheckMeta;
	run(ctx: CheckContext): Finding[];
}

/** The file name modpost uses for a module in its messages. */
export function koName(module: ModuleContext): string {
	return `${module.name}.ko`;
}
