import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const SERVING_MAIN = path.join(ROOT, 'apps/serving/src/main.ts');
const LISTENING = /instance (\S+) on (http:\/\/\S+)/;

export interface ServingProcess {
  url: string;
  instanceId: string;
  child: ChildProcess;
  exit: Promise<number | null>;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM and wait (answers in flight, flushes statistics, removes its instance row). */
  stop(): Promise<void>;
}

/** A real serving process (`npm run start:serving`) on a free port, against this database and artifact folder. */
export async function startServingProcess(options: {
  databaseUrl: string;
  artifactsDir: string;
  env?: Record<string, string>;
  /** Extra Node options, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeOptions?: string[];
  timeoutMs?: number;
}): Promise<ServingProcess> {
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', SERVING_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      LEPTON_ARTIFACT_STORE: `file://${options.artifactsDir}`,
      LEPTON_SERVING_PORT: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let match: RegExpExecArray | null = null;
  while (!(match = LISTENING.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the serving process did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: match[2]!,
    instanceId: match[1]!,
    child,
    exit,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}
