// The kernel-macro injection grammar is only exercised by VS Code itself, so these tests check
// that the manifest contributes it and run its rules through a minimal TextMate-style scanner.
// VS Code uses Oniguruma; the grammar sticks to syntax that means the same in JS regexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

interface Capture {
	name?: string;
}

interface Rule {
	name?: string;
	match?: string;
	begin?: string;
	end?: string;
	include?: string;
	captures?: Record<string, Capture>;
	beginCaptures?: Record<string, Capture>;
	endCaptures?: Record<string, Capture>;
	patterns?: Rule[];
}

interface Grammar {
	scopeName: string;
	injectionSelector: string;
	patterns: Rule[];
	repository: Record<string, Rule>;
}

interface Token {
	text: string;
	scopes: string[];
}

const root = join(import.meta.dirname, '..', '..');
const grammarPath = 'syntaxes/kernel-macros.injection.tmLanguage.json';
const grammar = JSON.parse(readFileSync(join(root, grammarPath), 'utf8')) as Grammar;

// Stands in for the host C grammar where the injection includes it: its string literals must
// win over the injection's own rules that would otherwise match inside them.
const hostC: Rule = { match: '"(?:[^"\\\\]|\\\\.)*"', name: 'string.quoted.double.c' };

function resolve(patterns: Rule[]): Rule[] {
	return patterns.flatMap((rule) => {
		if (rule.include === undefined) return [rule];
		if (rule.include === 'source.c') return [hostC];
		const target = grammar.repository[rule.include.slice(1)];
		assert.ok(target, `unresolved include ${rule.include}`);
		return target.patterns !== undefined && target.match === undefined && target.begin === undefined
			? resolve(target.patterns)
			: [target];
	});
}

function regex(source: string): RegExp {
	return new RegExp(source, 'g');
}

function execAt(source: string, line: string, from: number): RegExpExecArray | null {
	const re = regex(source);
	re.lastIndex = from;
	return re.exec(line);
}

function emit(tokens: Token[], m: RegExpExecArray, scopes: string[], captures: Record<string, Capture> = {}, name?: string): void {
	if (name !== undefined && m[0] !== '') tokens.push({ text: m[0], scopes: [...scopes, name] });
	for (const [group, capture] of Object.entries(captures)) {
		const text = m[Number(group)];
		if (capture.name !== undefined && text !== undefined && text !== '') {
			tokens.push({ text, scopes: [...scopes, ...(name === undefined ? [] : [name]), capture.name] });
		}
	}
}

// Single-line tokenizer: at each step the earliest match wins, a region's end before its
// patterns on ties, as in TextMate. Text no rule claims is left to the C grammar.
function tokenize(line: string): Token[] {
	const tokens: Token[] = [];
	const stack: Rule[] = [];
	let pos = 0;
	while (pos <= line.length) {
		const region = stack.at(-1);
		const scopes = stack.flatMap((r) => (r.name === undefined ? [] : [r.name]));
		let best: { rule?: Rule; m: RegExpExecArray } | undefined;
		if (region?.end !== undefined) {
			const m = execAt(region.end, line, pos);
			if (m) best = { m };
		}
		for (const rule of resolve(region?.patterns ?? grammar.patterns)) {
			const source = rule.match ?? rule.begin;
			assert.ok(source !== undefined, 'rule without match or begin');
			const m = execAt(source, line, pos);
			if (m && (best === undefined || m.index < best.m.index)) best = { rule, m };
		}
		if (!best) break;
		const { rule, m } = best;
		if (rule === undefined) {
			emit(tokens, m, scopes, region?.endCaptures);
			stack.pop();
		} else if (rule.begin !== undefined) {
			emit(tokens, m, [...scopes, ...(rule.name === undefined ? [] : [rule.name])], rule.beginCaptures);
			stack.push(rule);
		} else {
			emit(tokens, m, scopes, rule.captures, rule.name);
		}
		pos = m.index + m[0].length;
		// A zero-width push or pop changes state; a zero-width match must still move on.
		if (m[0] === '' && rule?.match !== undefined) pos++;
	}
	return tokens;
}

function scopesOf(line: string, text: string): string[] | undefined {
	return tokenize(line).find((token) => token.text === text)?.scopes;
}

function walk(rule: Rule): Rule[] {
	return [rule, ...(rule.patterns ?? []).flatMap(walk)];
}

test('package.json contributes the grammar as an injection into source.c', () => {
	const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] };
	};
	const entry = manifest.contributes.grammars.find((g) => g.scopeName === grammar.scopeName);
	assert.ok(entry, 'grammar not contributed');
	assert.deepEqual(entry.injectTo, ['source.c']);
	assert.ok(existsSync(join(root, entry.path)), `${entry.path} missing`);
	assert.equal(join(entry.path), grammarPath);
	assert.equal(grammar.scopeName, 'kmm.kernel-macros.injection');
	assert.equal(grammar.injectionSelector, 'L:source.c -comment -string');
});

test('every rule compiles as a JS regex and every include resolves', () => {
	const rules = [...grammar.patterns, ...Object.values(grammar.repository)].flatMap(walk);
	const sources = rules.flatMap((rule) => [rule.match, rule.begin, rule.end].filter((s) => s !== undefined));
	assert.ok(sources.length > 0);
	for (const source of sources) assert.doesNotThrow(() => regex(source), source);
	for (const { include } of rules) {
		if (include?.startsWith('#')) assert.ok(grammar.repository[include.slice(1)], `unresolved include ${include}`);
	}
});

test('export macros are scoped by license class', () => {
	const expected: Record<string, string> = {
		EXPORT_SYMBOL: 'keyword.other.export.kmm',
		EXPORT_SYMBOL_NS: 'keyword.other.export.kmm',
		EXPORT_SYMBOL_FOR_MODULES: 'keyword.other.export.kmm',
		EXPORT_SYMBOL_IF_KUNIT: 'keyword.other.export.kmm',
		EXPORT_SYMBOL_FOR_TESTS_ONLY: 'keyword.other.export.kmm',
		EXPORT_UNUSED_SYMBOL: 'keyword.other.export.kmm',
		EXPORT_PER_CPU_SYMBOL: 'keyword.other.export.kmm',
		EXPORT_TRACEPOINT_SYMBOL: 'keyword.other.export.kmm',
		EXPORT_STATIC_CALL: 'keyword.other.export.kmm',
		EXPORT_STATIC_CALL_TRAMP: 'keyword.other.export.kmm',
		EXPORT_SYMBOL_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_SYMBOL_NS_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_SYMBOL_GPL_FOR_MODULES: 'keyword.other.export.gpl.kmm',
		EXPORT_UNUSED_SYMBOL_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_PER_CPU_SYMBOL_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_TRACEPOINT_SYMBOL_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_STATIC_CALL_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_STATIC_CALL_TRAMP_GPL: 'keyword.other.export.gpl.kmm',
		EXPORT_SYMBOL_GPL_FUTURE: 'keyword.other.export.gpl-future.kmm',
	};
	for (const [macro, scope] of Object.entries(expected)) {
		const line = `${macro}(my_symbol);`;
		assert.equal(scopesOf(line, macro)?.at(-1), scope, line);
		assert.equal(scopesOf(line, 'my_symbol')?.at(-1), 'entity.name.function.exported.kmm', line);
		assert.equal(scopesOf(line, ')')?.at(-1), 'punctuation.section.arguments.end.bracket.round.kmm', line);
	}
});

test('EXPORT_SYMBOL_NS_GPL with a bare namespace', () => {
	const line = 'EXPORT_SYMBOL_NS_GPL(foo, BAR);';
	assert.deepEqual(scopesOf(line, 'EXPORT_SYMBOL_NS_GPL'), ['meta.export.gpl.kmm', 'keyword.other.export.gpl.kmm']);
	assert.deepEqual(scopesOf(line, 'foo'), ['meta.export.gpl.kmm', 'entity.name.function.exported.kmm']);
	assert.deepEqual(scopesOf(line, 'BAR'), ['meta.export.gpl.kmm', 'entity.name.namespace.kmm']);
});

test('string namespaces and module lists are left to the C grammar', () => {
	for (const line of ['EXPORT_SYMBOL_NS_GPL(foo, "BAR");', 'EXPORT_SYMBOL_FOR_MODULES(foo, "kvm,kvm-intel");']) {
		assert.equal(scopesOf(line, 'foo')?.at(-1), 'entity.name.function.exported.kmm', line);
		assert.ok(!tokenize(line).some((t) => t.scopes.includes('entity.name.namespace.kmm')), line);
	}
});

test('an unterminated export ends at the semicolon', () => {
	const tokens = tokenize('EXPORT_SYMBOL(foo; KERNEL_VERSION');
	assert.deepEqual(tokens.find((t) => t.text === 'KERNEL_VERSION')?.scopes, ['support.function.kernel-version.kmm']);
});

test('macros are matched on word boundaries only', () => {
	for (const line of [
		'MY_EXPORT_SYMBOL(x);',
		'__EXPORT_SYMBOL(x, "", "");',
		'EXPORT_SYMBOLS(x);',
		'EXPORT_SYMBOL_GPLX(x);',
		'EXPORT_SYMBOL_NS_GPL_FOO(x, NS);',
		'struct my_MODULE_LICENSE x;',
		'MODULE_LICENSE_STRING;',
		'MY_KERNEL_VERSION(1, 2, 3)',
		'LINUX_VERSION_CODES',
		'exported = EXPORT_SYMBOL_GPL;',
	]) {
		assert.deepEqual(tokenize(line), [], line);
	}
});

test('module metadata macros', () => {
	assert.deepEqual(scopesOf('MODULE_LICENSE("GPL");', 'MODULE_LICENSE'), ['keyword.other.module.license.kmm']);
	for (const macro of ['AUTHOR', 'DESCRIPTION', 'VERSION', 'ALIAS', 'DEVICE_TABLE', 'FIRMWARE', 'SOFTDEP']) {
		const line = `MODULE_${macro}(x);`;
		assert.deepEqual(scopesOf(line, `MODULE_${macro}`), ['keyword.other.module.metadata.kmm'], line);
	}
	assert.deepEqual(scopesOf('MODULE_IMPORT_NS(DMA_BUF);', 'DMA_BUF'), ['entity.name.namespace.kmm']);
	assert.deepEqual(scopesOf('MODULE_IMPORT_NS("DMA_BUF");', 'MODULE_IMPORT_NS'), ['keyword.other.module.import-ns.kmm']);
});

test('kernel version macros', () => {
	const line = '#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)';
	assert.deepEqual(scopesOf(line, 'LINUX_VERSION_CODE'), ['support.constant.kernel-version.kmm']);
	assert.deepEqual(scopesOf(line, 'KERNEL_VERSION'), ['support.function.kernel-version.kmm']);
});
