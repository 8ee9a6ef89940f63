import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * A throwaway PostgreSQL cluster for one test file: initdb in a temporary folder, a free loopback
 * port, stopped and removed by `stop()` (call it in afterAll). PostgreSQL refuses to run as root,
 * so under root (CI containers) the cluster belongs to the `postgres` user and every server
 * program runs through `runuser`. No binaries is a failure with the fix in its message, never a
 * skipped test: CI installs Debian's `postgresql` (.ci/run).
 */
export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/DB for a fresh database made by `createDatabase`. */
  url(database?: string): string;
  port: number;
  createDatabase(name: string): void;
  /** Runs SQL as the superuser (roles, grants). */
  psql(sql: string, database?: string): string;
  stop(): void;
}

function binDir(): string {
  const fromEnv = process.env['HOPTRACE_PG_BIN'];
  if (fromEnv) {
    if (existsSync(join(fromEnv, 'initdb')) && existsSync(join(fromEnv, 'pg_ctl'))) return fromEnv;
    throw new Error(
      `HOPTRACE_PG_BIN=${fromEnv} holds no initdb and pg_ctl: point it at a PostgreSQL ≥ 15 bin folder, or unset it to use Debian's postgresql package`,
    );
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && Number(v) >= 15)
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  for (const dir of (process.env['PATH'] ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  throw new Error(
    "PostgreSQL ≥ 15 server binaries (initdb, pg_ctl) not found: install Debian's `postgresql` package (apt-get install postgresql) or set HOPTRACE_PG_BIN to their folder",
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'hoptrace-pg-'));
  const data = join(dir, 'data');
  const run = (program: string, args: string[]): string => {
    const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
    return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (asRoot) {
    const ids = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    const gid = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`,
    'start',
  ]);
  const psql = (sql: string, database = 'postgres'): string =>
    execFileSync(
      join(bin, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-c', sql],
      { encoding: 'utf8' },
    );
  let stopped = false;
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    createDatabase: (name) => {
      psql(`CREATE DATABASE ${name}`);
    },
    psql,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * One cluster for a test file: started before its tests, stopped after them. Without PostgreSQL
 * every test of the file fails with the reason (a beforeAll error alone would only mark them
 * skipped). `current` is set once the cluster runs.
 */
export function usePgCluster(): { current: PgCluster | undefined } {
  const holder: { current: PgCluster | undefined } = { current: undefined };
  let failure: unknown;
  beforeAll(async () => {
    try {
      holder.current = await startPgCluster();
    } catch (error) {
      failure = error;
    }
  });
  beforeEach(() => {
    if (failure) throw failure;
  });
  afterAll(() => holder.current?.stop());
  return holder;
}
