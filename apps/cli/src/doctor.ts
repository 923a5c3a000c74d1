import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './api-client';

// The CLI imports no Lepton library (it is an API client), so the machine check runs the repository's probe
// script in a child process. It asks this machine, not the API: it must work with no server and no token,
// which is when it is needed most. Workers record the backend and device they trained on in every run.
const DOCTOR = path.resolve(__dirname, '../../../tools/tensorflow/doctor.ts');

/** Runs tools/tensorflow/doctor.ts with the same output mode; resolves with its exit code. */
export function runDoctor(json: boolean): Promise<number> {
  if (!existsSync(DOCTOR)) throw new CliError(`lepton doctor needs a Lepton checkout (${DOCTOR} is missing)`);
  const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, DOCTOR, ...(json ? ['--json'] : [])], { stdio: 'inherit' });
    child.once('error', (error) => reject(new CliError(`cannot run ${DOCTOR}: ${error.message}`)));
    child.once('close', (code) => resolve(code ?? 1));
  });
}
