import { execFileSync, spawnSync } from 'node:child_process';
import { EmbeddedPostgresError } from './embedded-postgres-error';

/** The account PostgreSQL runs as when Lepton runs as root (PostgreSQL refuses to run as root). */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

const NAME = 'postgres';

/** undefined for a normal user (PostgreSQL runs as that user); the `postgres` account for root, created if missing. */
export function postgresUserIfRoot(): PostgresUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookUp();
  if (existing) return existing;
  const attempts = [
    // Debian, Ubuntu, Fedora, RHEL (shadow-utils)...
    [
      ['groupadd', '--system', NAME],
      [
        'useradd',
        '--system',
        '--gid',
        NAME,
        '--no-create-home',
        '--home-dir',
        '/nonexistent',
        '--shell',
        '/usr/sbin/nologin',
        NAME,
      ],
    ],
    // ...and Alpine (BusyBox).
    [
      ['addgroup', '-S', NAME],
      ['adduser', '-S', '-D', '-H', '-G', NAME, NAME],
    ],
  ];
  const failures: string[] = [];
  for (const commands of attempts) {
    for (const [command, ...args] of commands) {
      const result = spawnSync(command!, args, { encoding: 'utf8' });
      if (result.status !== 0) failures.push(`${command}: ${result.error?.message ?? result.stderr.trim()}`);
    }
    const created = lookUp();
    if (created) return created;
  }
  throw new EmbeddedPostgresError(
    `As root, PostgreSQL must run as a "${NAME}" user, which does not exist and could not be created (${failures.join('; ')}): ` +
      `create it (useradd --system ${NAME}), run as a normal user, or set DATABASE_URL`,
  );
}

function lookUp(): PostgresUser | undefined {
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { name: NAME, uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

type Account = Pick<PostgresUser, 'uid' | 'gid'>;

/** Options that run a child process as `user` (from `/`, a folder it can always enter). */
export function runAs(user: Account | undefined): { uid?: number; gid?: number; cwd: string } {
  return user ? { uid: user.uid, gid: user.gid, cwd: '/' } : { cwd: '/' };
}

/** True when `user` can enter `dir` and everything above it. */
export function canEnter(user: Account, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd "$1"', 'probe', dir], { ...runAs(user), stdio: 'ignore' }).status === 0;
}
