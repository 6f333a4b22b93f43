// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.sandbox/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Workflow code is replayed: no Node APIs, no heavy libraries (zod and the cloud SDKs stay out of the bundle).
    files: ['workflows/**/*.ts', 'domain/**/*.ts', 'common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'child_process', 'os'], message: 'workflow code must stay deterministic: no Node APIs' },
            { group: ['zod', '@alicloud/*', '@huaweicloud/*', '@baiducloud/*', '@temporalio/activity', '@temporalio/worker', '@temporalio/client'], message: 'keep heavy libraries out of the workflow bundle' },
            { group: ['../activities', '../activities/*', '../providers/*/**', '../simulators/**'], allowTypeImports: true, message: 'workflows import activity and provider types only' },
          ],
        },
      ],
    },
  },
);
