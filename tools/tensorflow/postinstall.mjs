// npm ci's last step (after prisma generate): set up native TensorFlow, best effort. Whatever happens here,
// the install succeeds; without native TensorFlow, training runs on wasm. LEPTON_TF_NATIVE=0 skips it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const skip = (why) => {
  console.log(`Lepton: native TensorFlow ${why}; training uses wasm (npm run tensorflow:install sets it up later).`);
  process.exit(0);
};

if (process.env.LEPTON_TF_NATIVE === '0') skip('skipped (LEPTON_TF_NATIVE=0)');
let tsx;
try {
  tsx = require.resolve('tsx');
} catch {
  skip('is not set up (tsx is missing: the install omitted dev dependencies)');
}
spawnSync(
  process.execPath,
  [
    '--import',
    pathToFileURL(tsx).href,
    fileURLToPath(new URL('install.ts', import.meta.url)),
    '--postinstall',
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
  },
);
process.exit(0);
