// @ts-check
import { createRequire } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every Node built-in, bare and with `node:` (fs, fs/promises, node:test, worker_threads…), from Node itself.
const require = createRequire(import.meta.url);
const bare = require('node:module').builtinModules.filter((m) => !m.startsWith('_'));
const NODE_BUILTINS = [...new Set([...bare, ...bare.map((m) => (m.startsWith('node:') ? m : `node:${m}`))])];

export default tseslint.config(
  { ignores: ['node_modules/**', '.sandbox/**', 'coverage/**', 'dist/**'] },
  eslint.configs.recommended,
  // Type-aware: floating promises, promises passed where a callback's result is ignored, awaiting non-promises…
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.mts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // Plain JavaScript (this file, the vitest config): no type information to check against.
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests read JSON answers and histories, and simulators are fastify apps whose handlers are async by
    // convention: the promise rules stay on, the rules about untyped values and awaitless handlers do not.
    files: ['test/**/*.ts', 'simulators/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests hand activities (methods of one object that uses no `this`) to the SDK's mock environment.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // The frozen v1 workflow is kept byte for byte (its executions replay on it): type-aware style rules are
    // not applied to it; the determinism rules below still are.
    files: ['workflows/v1/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Workflow code is replayed: no Node APIs, no heavy libraries (zod and the cloud SDKs stay out of the bundle).
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'workflow code must stay deterministic: no Node APIs' })),
          patterns: [
            { group: ['node:*'], message: 'workflow code must stay deterministic: no Node APIs' },
            {
              group: ['zod', '@alicloud/*', '@huaweicloud/*', '@baiducloud/*', '@temporalio/activity', '@temporalio/worker', '@temporalio/client'],
              message: 'keep heavy libraries out of the workflow bundle',
            },
            {
              group: [
                '../activities',
                '../activities/*',
                '../../activities',
                '../providers/*/**',
                '../../providers/*/**',
                '../simulators/**',
                '../../simulators/**',
              ],
              allowTypeImports: true,
              message: 'workflows import activity and provider types only',
            },
          ],
        },
      ],
    },
  },
);
