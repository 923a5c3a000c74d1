import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // graphql 16 ships CommonJS and ESM side by side; Vite would pick the ESM copy for our code while
    // graphql-ws requires the CommonJS one, and two graphql instances cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    globalSetup: ['tools/test/global-setup.ts'],
    include: ['apps/**/*.test.ts', 'apps/web/**/*.test.tsx', 'libs/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
