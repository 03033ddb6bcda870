// Lint: typescript-eslint's recommended type-aware rules over src/, test/ and benchmarks/.
// Layer rules live in .dependency-cruiser.cjs; formatting is Prettier's (npm run format).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'node_modules/', 'coverage/', '**/*.generated.ts', 'test/browser/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Series coefficients are quoted with all the digits of their source, on purpose.
      'no-loss-of-precision': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly', URL: 'readonly', WebAssembly: 'readonly' },
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/node/**', 'src/serve/**', 'src/cli/**', 'src/index.ts', 'src/adapters/node-llama-cpp.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'the core runs in browsers: no node: imports outside src/node and src/cli' }] },
      ],
    },
  },
);
