import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint-rules/layers.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'policies/dist/**', 'tools/**', 'coverage/**', 'src/evidence/templates.generated.ts', 'src/review/templates.generated.ts', 'bench/.scratch/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly', setImmediate: 'readonly', performance: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // The layers of ARCHITECTURE.md: imports between folders of src/ only go downwards, and only
  // src/cli touches process (eslint-rules/layers.js holds the table).
  {
    files: ['src/**/*.ts'],
    plugins: { vaultproof: layers },
    rules: { 'vaultproof/layers': 'error', 'vaultproof/no-process': 'error' },
  },
);
