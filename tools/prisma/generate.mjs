// Runs `prisma generate` (postinstall). Prisma 7's CLI insists on locating its native schema
// engine even though generating the client does not use it, and that binary is downloaded from the
// internet, which is not always reachable. Any existing file satisfies the check.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
execFileSync(process.execPath, [require.resolve('prisma/build/index.js'), 'generate'], { stdio: 'inherit', env });
