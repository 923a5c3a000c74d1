import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDeployableModel, startTestApi, type TestApi } from '@lepton/graphql-api/testing';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'apps/cli/bin/lepton.js');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

let api: TestApi;
let home: string;

/** The CLI's environment: no URL or token from the developer's shell, its own config folder. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: home, ...extra };
  for (const name of ['LEPTON_API_URL', 'LEPTON_TOKEN']) if (!(name in extra)) delete env[name];
  return env;
}

/** Runs `lepton ...args` as a real process with piped stdio. */
function cli(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: cliEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const withAdmin = (...args: string[]) => ['--url', api.url, '--token', api.adminToken, ...args];

/** What a terminal shows, without the escape sequences that draw it. */
// eslint-disable-next-line no-control-regex -- ESC is exactly what is being removed
const visible = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');

/** `lepton ...args` on a real pseudo-terminal (util-linux `script`), as a person runs it. */
function onTerminal(args: string[]) {
  const quote = (part: string) => `'${part.replace(/'/g, `'\\''`)}'`;
  // Wide enough that cli-progress does not cut the bar's line short.
  const command = `stty cols 200; ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: cliEnv() });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    exit,
    output: () => visible(output),
    type: (text: string) => child.stdin.write(text),
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(visible(output))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${visible(output)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return visible(output);
    },
    stop: () => child.stdin.end(),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Three species in two features, the label in the last column (no column is named "label"). */
function speciesCsv(): string {
  const lines = ['petal,sepal,species'];
  for (let i = 0; i < 60; i += 1)
    lines.push(
      `${(i % 3) * 2 + (i % 7) / 10},${(i % 3) - (i % 5) / 10},${['setosa', 'versicolor', 'virginica'][i % 3]}`,
    );
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  api = await startTestApi();
  home = mkdtempSync(path.join(tmpdir(), 'lepton-cli-home-'));
});

afterAll(async () => {
  await api?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('lepton login', () => {
  it('says in its help that it reads the token from stdin', async () => {
    const help = await cli(['login', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('read an API token from stdin');
    expect(help.stdout).toContain('lepton login < .data/admin-token');
  });

  it('reads a piped token from stdin, saves it with the URL (mode 0600), and later commands use both', async () => {
    const login = await cli(['--url', api.url, 'login'], { stdin: `${api.adminToken}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/^Logged in as admin; saved to /);
    const file = path.join(home, 'lepton', 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: api.url, token: api.adminToken });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const listed = await cli(['--json', 'datasets', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual(expect.any(Array));
    rmSync(file);
  });

  it('takes a token typed on a terminal without echoing it', async () => {
    const terminal = onTerminal(['--url', api.url, 'login']);
    await terminal.waitFor(/API token \(input hidden\): /);
    terminal.type(`${api.adminToken}\r`);
    const shown = await terminal.waitFor(/Logged in as admin/);
    terminal.stop();
    expect(await terminal.exit).toBe(0);
    expect(shown).not.toContain(api.adminToken);
    expect(JSON.parse(readFileSync(path.join(home, 'lepton', 'config.json'), 'utf8')).token).toBe(api.adminToken);
    rmSync(path.join(home, 'lepton'), { recursive: true });
  });

  it('refuses an empty stdin with one line saying how to give the token', async () => {
    const login = await cli(['--url', api.url, 'login'], { stdin: '\n' });
    expect(login.code).toBe(1);
    expect(login.stderr).toBe(
      'lepton: No token on stdin: paste it when asked, or pipe it in (lepton login < .data/admin-token)\n',
    );
  });
});

describe('a CLI that cannot reach the API', () => {
  it('names the URL it tried, where the URL came from and how to point it elsewhere', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const flagged = await cli(['--url', url, '--token', 'lep_x', 'datasets', 'list']);
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toBe(
      `lepton: Cannot reach the Lepton API at ${url} (ECONNREFUSED, URL from --url). Start it with \`npm start\`, or point the CLI elsewhere with --url <url> or LEPTON_API_URL=<url>.\n`,
    );

    const fromEnvironment = await cli(['models', 'list'], { env: { LEPTON_API_URL: url, LEPTON_TOKEN: 'lep_x' } });
    expect(fromEnvironment.code).toBe(1);
    expect(fromEnvironment.stderr).toContain(`at ${url} (ECONNREFUSED, URL from LEPTON_API_URL)`);
  });

  it('says the same when the upload of an import cannot connect', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const dir = mkdtempSync(path.join(tmpdir(), 'lepton-cli-'));
    try {
      writeFileSync(path.join(dir, 'species.csv'), speciesCsv());
      const imported = await cli([
        '--url',
        url,
        '--token',
        'lep_x',
        'datasets',
        'import',
        path.join(dir, 'species.csv'),
        '--name',
        'x',
        '--format',
        'csv',
      ]);
      expect(imported.code).toBe(1);
      expect(imported.stderr).toContain(
        `lepton: Cannot reach the Lepton API at ${url} (ECONNREFUSED, URL from --url).`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('datasets import, then runs watch', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lepton-cli-'));
    writeFileSync(path.join(dir, 'species.csv'), speciesCsv());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says which column it picked as the label when --label is not given, and nothing when it is', async () => {
    const guessed = await cli(
      withAdmin('--json', 'datasets', 'import', path.join(dir, 'species.csv'), '--name', 'species', '--format', 'csv'),
    );
    expect(guessed.code, guessed.stderr).toBe(0);
    expect(guessed.stderr).toBe(
      "No --label given: using column 'species' as the label (3 classes); pass --label <column> to pick another.\n",
    );
    expect(JSON.parse(guessed.stdout)).toMatchObject({ number: 1, exampleCount: 60 });

    const chosen = await cli(
      withAdmin(
        'datasets',
        'import',
        path.join(dir, 'species.csv'),
        '--name',
        'species',
        '--format',
        'csv',
        '--label',
        'species',
      ),
    );
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stderr).toBe('');
    expect(chosen.stdout).toMatch(/^Imported species v2: 60 examples/);
  });

  it('follows an import until it FAILED, prints why and exits 1', async () => {
    writeFileSync(path.join(dir, 'ragged.csv'), 'a,b,label\n1,2,x\n3,4\n');
    const failed = await cli(withAdmin('datasets', 'import', path.join(dir, 'ragged.csv'), '--name', 'ragged', '--format', 'csv'));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('Import of ragged v1 FAILED: ragged.csv: line 3 has 2 fields, expected 3 (delimiter ",")\n');
    const json = await cli(withAdmin('--json', 'datasets', 'import', path.join(dir, 'ragged.csv'), '--name', 'ragged', '--format', 'csv'));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ number: 2, status: 'FAILED', importError: { file: 'ragged.csv', line: 3 } });
  });

  it('shows "queued" for a queued run and an ETA with units for a running one', async () => {
    const queued = await cli(
      withAdmin('--json', 'train', '--model', 'species-mlp', '--dataset', 'species', '--arch', 'mlp'),
    );
    expect(queued.code, queued.stderr).toBe(0);
    const { id } = JSON.parse(queued.stdout) as { id: string };

    const terminal = onTerminal(withAdmin('runs', 'watch', id));
    const waiting = await terminal.waitFor(/QUEUED \| loss - \| acc - \| queued/);
    expect(waiting).not.toContain('INF');

    // No worker runs in this test: the run is moved on in the database as a worker holding its
    // lease would move it (a RUNNING run without a live lease shows no ETA).
    await api.db.pool.query(
      `UPDATE run SET status = 'RUNNING', progress = 0.4, eta_at = now() + interval '65 minutes 30 seconds',
         worker_id = 'simulated:1', attempt = 1, lease_expires_at = now() + interval '10 minutes' WHERE id = $1`,
      [id],
    );
    await terminal.waitFor(/40% \| RUNNING \| loss - \| acc - \| ETA 1h 05m/);
    await api.db.pool.query(`UPDATE run SET status = 'CANCELLED', ended_at = now() WHERE id = $1`, [id]);
    await terminal.waitFor(new RegExp(`run ${id} CANCELLED`));
    terminal.stop();
    expect(await terminal.exit).toBe(1);
  });
});

describe('deployments from the CLI', () => {
  const json = async (args: string[]) => {
    const result = await cli(withAdmin('--json', ...args));
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };

  it('deploys, lists, sets a canary, promotes and rolls back, with --json and as text', async () => {
    const model = await aDeployableModel(api, { versions: 3 });
    const name = `cli-${Date.now().toString(36)}`;
    const deployed = await json(['deploy', name, '--model', model.name, '--version', '1', '--max-batch-size', '16']);
    expect(deployed).toMatchObject({ name, status: 'LOADING', traffic: [{ revision: { number: 1 }, modelVersion: { number: 1 }, weight: 100 }] });

    const listed = await json(['deployments']);
    expect(listed.map((row: { name: string }) => row.name)).toContain(name);
    const text = await cli(withAdmin('deployments'));
    expect(text.stdout).toContain(`${name}\tLOADING\t${model.name}\tr1 (v1, LOADING) 100%`);

    const canary = await json(['canary', name, '--version', '2', '--weight', '10', '--analysis', '--min-requests', '500']);
    expect(canary.traffic.map((part: { weight: number }) => part.weight)).toEqual([90, 10]);
    expect(canary.canary).toMatchObject({ weight: 10, analysis: { minRequests: 500 } });

    const promoted = await cli(withAdmin('promote', name));
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain('r2 (v2, LOADING) 100%');
    expect((await json(['rollback', name])).currentRevision.number).toBe(1);
    expect((await json(['rollback', name, '--to', '2'])).currentRevision.number).toBe(2);

    const shown = await cli(withAdmin('deployment', name));
    expect(shown.stdout).toMatch(/ROLLED_BACK {2}Rolled back to revision 2/);
    expect((await json(['undeploy', name])).deleted).toBe(name);
  });

  it('follows an alias as a canary with analysis', async () => {
    const model = await aDeployableModel(api, { versions: 2 });
    await api.gql(`mutation($m: String!) { setModelAlias(model: $m, alias: "champion", version: 1) { alias } }`, { m: model.name });
    const name = `cli-alias-${Date.now().toString(36)}`;
    const deployed = await json(['deploy', name, '--model', model.name, '--alias', 'champion', '--canary-weight', '25', '--analysis']);
    expect(deployed.followAlias).toEqual({ alias: 'champion', rollout: 'CANARY' });
    await api.gql(`mutation($m: String!) { setModelAlias(model: $m, alias: "champion", version: 2) { alias } }`, { m: model.name });
    const shown = await json(['deployment', name]);
    expect(shown.traffic.map((part: { modelVersion: { number: number }; weight: number }) => [part.modelVersion.number, part.weight])).toEqual([
      [1, 75],
      [2, 25],
    ]);
  });

  it('creates an invoke key shown once, and revokes it', async () => {
    const model = await aDeployableModel(api, { versions: 1 });
    const name = `cli-key-${Date.now().toString(36)}`;
    await json(['deploy', name, '--model', model.name, '--version', '1']);
    const created = await cli(withAdmin('deployment-keys', 'create', name, '--name', 'batch'));
    expect(created.code, created.stderr).toBe(0);
    const [key, note] = created.stdout.trim().split('\n');
    expect(key).toMatch(/^lepd_/);
    expect(note).toMatch(/shown once/);
    const id = /key ([0-9a-f-]{36})/.exec(note!)![1]!;
    expect((await json(['deployment-keys', 'revoke', id])).revokedAt).toEqual(expect.any(String));
    const again = await cli(withAdmin('deployment-keys', 'revoke', id));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`lepton: CONFLICT: Deployment key ${id} is already revoked\n`);
  });

  it('explains wrong usage in one line', async () => {
    const both = await cli(withAdmin('deploy', 'x', '--model', 'm', '--version', '1', '--alias', 'champion'));
    expect(both.stderr).toBe('lepton: Give exactly one of --version N and --alias NAME\n');
    const canaryWithoutAlias = await cli(withAdmin('deploy', 'x', '--model', 'm', '--version', '1', '--canary-weight', '5'));
    expect(canaryWithoutAlias.stderr).toMatch(/^lepton: --canary-weight and --analysis apply to deployments that follow an alias/);
    const noInstances = await cli(withAdmin('predict', 'x'));
    expect(noInstances.stderr).toBe("lepton: Give the instances with exactly one of --file rows.csv and --instances '[...]'\n");
    const badJson = await cli(withAdmin('predict', 'x', '--instances', '[{'));
    expect(badJson.stderr).toMatch(/^lepton: --instances is not valid JSON/);
    const missing = await cli(withAdmin('predict', 'no-such-deployment', '--instances', '[{"a": 1}]'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('lepton: NOT_FOUND: Deployment "no-such-deployment" does not exist\n');
  });
});
