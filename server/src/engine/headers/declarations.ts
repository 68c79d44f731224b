/**
 * The function prototypes of a headers tree's headers: `extern int foo(struct bar *);` says
 * the kernel has a foo() a module may call, and whether a module can link it is then only
 * Module.symvers' to say. Built on the first question from the prototypes the index workers
 * read off each public header (kernel/headerscan.ts), memoized per index and dropped when a
 * header changes. A prototype on a line this build compiles out (the index's .config, MODULE
 * defined) declares nothing.
 */
import { namesOf, PROTO_STRIDE } from '../kernel/headerscan';
import { conditionals, moduleBuildEnv } from '../syntax/conditionals';
import type { KernelIndex } from '../kernel/index';
import { readText } from '../read';

export interface Declaration {
	name: string;
	/** Relative to the index's roots. */
	file: string;
	/** 0-based. */
	line: number;
	character: number;
}


class DeclarationTable {
	private table?: Map<string, Declaration[]>;
	private readonly live = new Map<string, Declaration | undefined>();

	constructor(private readonly kernel: KernelIndex) {
		kernel.graph.onFileChange((rel) => {
			if (!rel.endsWith('.h')) return;
			this.table = undefined;
			this.live.clear();
		});
	}

	private read(rel: string): string | undefined {
		return readText(this.kernel.absolutePath(rel), 'source', 'latin1');
	}

	private all(): Map<string, Declaration[]> {
		if (this.table) return this.table;
		const table = new Map<string, Declaration[]>();
		for (const [file, { names, at }] of this.kernel.headerPrototypes()) {
			namesOf(names).forEach((name, k) => {
				const d = { name, file, line: at[k * PROTO_STRIDE], character: at[k * PROTO_STRIDE + 1] };
				const list = table.get(name);
				if (list) list.push(d);
				else table.set(name, [d]);
			});
		}
		// Complete only once the function pass is done (callers wait for it; a partial table is not kept).
		if (this.kernel.ready.functions) this.table = table;
		return table;
	}

	/** A prototype of `name` on a line this build compiles, if any. */
	declaration(name: string): Declaration | undefined {
		if (this.live.has(name)) return this.live.get(name);
		const env = moduleBuildEnv(this.kernel.dotConfig);
		const found = (this.all().get(name) ?? []).find((d) => {
			const text = this.read(d.file);
			if (text === undefined) return false;
			const { dead, uncertain } = conditionals(text, this.kernel.version, env);
			return ![...dead, ...uncertain].some((s) => d.line >= s.start && d.line <= s.end);
		});
		this.live.set(name, found);
		return found;
	}
}

const tables = new WeakMap<KernelIndex, DeclarationTable>();

/** The compiled prototype of `name` in the index's headers (see DeclarationTable). */
export function headerDeclaration(kernel: KernelIndex, name: string): Declaration | undefined {
	let table = tables.get(kernel);
	if (!table) {
		table = new DeclarationTable(kernel);
		tables.set(kernel, table);
	}
	return table.declaration(name);
}
