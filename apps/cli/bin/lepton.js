#!/usr/bin/env node
// `npx lepton` in the repository: runs the TypeScript entry point through tsx.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const result = spawnSync(
  process.execPath,
  ['--import', require.resolve('tsx'), path.join(__dirname, '../src/main.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, TSX_TSCONFIG_PATH: path.join(__dirname, '../../../tsconfig.json') } },
);
process.exit(result.status ?? 1);
