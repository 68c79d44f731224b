// Flat config: typescript-eslint's recommended rules over every TypeScript source.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', 'grammars/**', 'test-fixtures/**', 'out/**'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'@typescript-eslint/consistent-type-imports': 'error',
			eqeqeq: ['error', 'smart'],
		},
	},
	{
		files: ['**/*.mjs'],
		// Node scripts (build, tests runner, bench): Node's globals.
		languageOptions: {
			globals: Object.fromEntries(
				['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setImmediate', 'setInterval', 'clearInterval', 'performance'].map(
					(name) => [name, 'readonly'],
				),
			),
		},
	},
);
