import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/generated/**',
      '**/.nx/**',
      '**/dist/**',
      '.data/**',
      'tools/bench/results/**',
      'apps/web/.next/**',
      'apps/web/next-env.d.ts',
      'apps/web/test-results/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: {
      // Two axes that really constrain: scope (who may use it) × type (what layer it is).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:data-access', 'type:util'],
            },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util'] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['scope:worker', 'scope:shared'] },
            // The CLI is an API client: it imports no Lepton library.
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli'] },
            // Inference loads TF.js models; it never pulls in the training code (not even transitively).
            {
              sourceTag: 'scope:inference',
              onlyDependOnLibsWithTags: ['scope:inference', 'scope:shared'],
              notDependOnLibsWithTags: ['capability:training'],
            },
            // The control plane never loads the training code (nor TensorFlow.js with it): the registry validates
            // and records models through the tfjs-free @lepton/model-contract, and the API stays off the trainer
            // even through another lib.
            { sourceTag: 'capability:registry', notDependOnLibsWithTags: ['capability:training'] },
            { sourceTag: 'scope:api', notDependOnLibsWithTags: ['capability:training'] },
            // The serving process: its own feature code, inference, and the shared libs.
            { sourceTag: 'scope:serving', onlyDependOnLibsWithTags: ['scope:serving', 'scope:inference', 'scope:shared'] },
            // The dashboard talks to the API only: never the database or domain libs directly.
            {
              sourceTag: 'scope:web',
              onlyDependOnLibsWithTags: ['scope:web'],
              notDependOnLibsWithTags: ['type:data-access', 'type:domain'],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may start any part of the platform they exercise (e.g. the worker's tests run a real API).
    // (apps/web/e2e holds the browser test's harness: it starts an API and workers too.)
    files: ['**/*.test.ts', '**/*.test.tsx', 'apps/web/e2e/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // With noUncheckedIndexedAccess, `!` after an explicit check is the readable idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Only libs/db opens Prisma; elsewhere the database is reached through repositories.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@prisma/*', '**/generated/prisma/**'],
              message: 'Use @lepton/db; only repositories touch the database.',
            },
          ],
        },
      ],
    },
  },
  {
    // The model contract is what the API, the dashboard's server side and inference agree on: it never loads
    // TensorFlow.js. (A later block replaces the rule's options, so it repeats the Prisma pattern.)
    files: ['libs/model-contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tensorflow/*'],
              message: 'The model contract is tfjs-free; model IO lives in @lepton/model-io, training in @lepton/trainer.',
            },
            {
              group: ['@prisma/*', '**/generated/prisma/**'],
              message: 'Use @lepton/db; only repositories touch the database.',
            },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's React code: hooks called by the rules, effect dependencies complete.
    files: ['apps/web/**/*.tsx', 'apps/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  prettier,
);
