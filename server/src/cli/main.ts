/** The `kmm` command line: thin printing over the engine. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { version } from '../../../package.json';
import { CHECK_HELP, runCheck, type CheckFormat } from './check';
import { EXPORTS_HELP, INDEX_HELP, MODULES_HELP, runExports, runIndex, runModules } from './index-commands';
import { GRAPH_HELPS } from './graph-commands';
import { API_DIFF_HELP, runApiDiff } from './api-diff';
import { EXIT_USAGE, UsageError } from './usage';

const HELP = `usage: kmm <command> [options]

Linux kernel memory-management tools: live modpost checks, ZONE_DEVICE knowledge.

commands:
  check [PATH...]   report what modpost would refuse (GPL-only symbols, namespaces, ...)
  index             index a kernel tree and print a summary
  exports           list the kernel's exported symbols
  modules           list the kernel's modules and their licenses
  callers SYMBOL    the call tree into a function (ops dispatch included)
  callees SYMBOL    the call tree out of a function
  zone-device       every device-memory creator: types, ops, module, license
  audit-exports     what non-GPL exports reach: GPL-only exports, unexported core code
  api-diff A B      what changed between two kernels: exports, ZONE_DEVICE structs
  migrate [PATH...] migrate hmm_devmem_* callers to dev_pagemap (a patch, or --write)
  lsp               run the language server (--stdio or --node-ipc)

  kmm <command> --help   help for one command
  kmm --version          print the version`;

const LSP_HELP = `usage: kmm lsp --stdio | --node-ipc | --socket=PORT

Runs the kmm language server on the given transport.`;

const HELPS: Record<string, string> = {
	check: CHECK_HELP,
	index: INDEX_HELP,
	exports: EXPORTS_HELP,
	modules: MODULES_HELP,
	'api-diff': API_DIFF_HELP,
	lsp: LSP_HELP,
};

const write = (s: string) => void process.stdout.write(s);

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
	try {
		return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true });
	} catch (err) {
		throw new UsageError((err as Error).message);
	}
}

const KERNEL_OPTIONS = { kernel: { type: 'string' }, build: { type: 'string' }, config: { type: 'string' } } as const;
const INDEX_OPTIONS = { ...KERNEL_OPTIONS, 'cache-dir': { type: 'string' } } as const;

/** parseArgs' values for INDEX_OPTIONS, with `--cache-dir` as `cacheDir`. */
function indexOptions(values: { kernel?: string; build?: string; config?: string; 'cache-dir'?: string }) {
	return { kernel: values.kernel, build: values.build, config: values.config, cacheDir: values['cache-dir'] };
}

async function run(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
		const topic = rest[0] && (HELPS[rest[0]] ?? GRAPH_HELPS[rest[0]]);
		write((topic || HELP) + '\n');
		return command === undefined ? EXIT_USAGE : 0;
	}
	if (command === '--version' || command === '-V') {
		write(`kmm ${version}\n`);
		return 0;
	}
	if (command === 'migrate') return (await import('./migrate')).migrateCommand(rest, write);
	if (command in GRAPH_HELPS) {
		if (!rest.includes('--help') && !rest.includes('-h')) return (await import('./graph-commands')).runGraphCommand(command, rest, write);
		write(GRAPH_HELPS[command] + '\n');
		return 0;
	}
	if (!(command in HELPS)) throw new UsageError(`unknown command '${command}' (see kmm --help)`);
	if (rest.includes('--help') || rest.includes('-h')) {
		write(HELPS[command] + '\n');
		return 0;
	}
	switch (command) {
		case 'check': {
			const { values, positionals } = parse(rest, {
				...INDEX_OPTIONS,
				kernel: { type: 'string', multiple: true },
				format: { type: 'string', default: 'text' },
				severity: { type: 'string', multiple: true },
			});
			const format = (values as { format?: string }).format ?? 'text';
			if (format !== 'text' && format !== 'json' && format !== 'sarif') {
				throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
			}
			const severity = (values as { severity?: string[] }).severity;
			const v = values as { kernel?: string[]; build?: string; config?: string; 'cache-dir'?: string };
			const options = { kernels: v.kernel ?? [], build: v.build, config: v.config, cacheDir: v['cache-dir'] };
			return runCheck(positionals, { ...options, format: format as CheckFormat, severity }, write);
		}
		case 'index': {
			const { values, positionals } = parse(rest, { ...INDEX_OPTIONS, json: { type: 'boolean', default: false } });
			noPositionals(command, positionals);
			return runIndex({ ...indexOptions(values as { kernel?: string }), json: (values as { json: boolean }).json }, write);
		}
		case 'exports': {
			const { values, positionals } = parse(rest, INDEX_OPTIONS);
			noPositionals(command, positionals);
			return runExports(indexOptions(values as { kernel?: string }), write);
		}
		case 'modules': {
			const { values, positionals } = parse(rest, INDEX_OPTIONS);
			noPositionals(command, positionals);
			return runModules(indexOptions(values as { kernel?: string }), write);
		}
		case 'api-diff': {
			const { values, positionals } = parse(rest, { 'cache-dir': { type: 'string' }, module: { type: 'string' }, json: { type: 'boolean', default: false } });
			if (positionals.length !== 2) throw new UsageError(`kmm api-diff takes two kernels, A and B (got ${positionals.length})`);
			const v = values as { 'cache-dir'?: string; module?: string; json: boolean };
			return runApiDiff([positionals[0], positionals[1]], { cacheDir: v['cache-dir'], module: v.module, json: v.json }, write);
		}
		case 'lsp': {
			if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket'))) {
				throw new UsageError('kmm lsp needs a transport: --stdio, --node-ipc or --socket=PORT');
			}
			const { startServer } = await import('../lsp/server');
			startServer();
			return -1;
		}
	}
	return 0;
}

function noPositionals(command: string, positionals: string[]): void {
	if (positionals.length > 0) throw new UsageError(`kmm ${command} takes no arguments (got '${positionals[0]}')`);
}

run(process.argv.slice(2)).then(
	(code) => {
		// The language server keeps running; every other command ends here.
		if (code >= 0) process.exitCode = code;
	},
	(err: unknown) => {
		if (err instanceof UsageError) process.stderr.write(`kmm: ${err.message}\n`);
		else process.stderr.write(`kmm: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
		process.exitCode = EXIT_USAGE;
	},
);
