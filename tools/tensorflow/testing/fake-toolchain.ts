import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A folder of stand-in build tools for the install's child process: `c++`, `make` and `python3` that answer
 * their version checks, and a node-gyp that "builds" an addon which is not a shared object. The install then
 * runs for real up to the verification, which must refuse that addon.
 */
export function fakeToolchain(dir: string): { path: string; nodeGyp: string } {
  mkdirSync(dir, { recursive: true });
  for (const tool of ['c++', 'make', 'python3']) {
    writeFileSync(path.join(dir, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(dir, tool), 0o755);
  }
  const nodeGyp = path.join(dir, 'node-gyp.js');
  writeFileSync(
    nodeGyp,
    [
      "const fs = require('node:fs');",
      "if (!fs.existsSync('binding.gyp') || !fs.existsSync('deps/include')) { console.error('gyp: binding.gyp or deps/include missing'); process.exit(1); }",
      "fs.mkdirSync('build/Release', { recursive: true });",
      "fs.writeFileSync('build/Release/tfjs_binding.node', 'not a shared object\\n'.repeat(200));",
    ].join('\n'),
  );
  return { path: dir, nodeGyp };
}
