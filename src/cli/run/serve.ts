import { spawn } from 'node:child_process';
import { startServer, type RunningServer } from '../../serve/server.js';
import { busyTimeoutFromEnv, caseFilePath, onPostgres } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { existsSync } from 'node:fs';
import { HoptraceError } from '../../model/errors.js';
import type { ServeCliOptions } from '../commands/serve.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `hoptrace serve`: the workbench, until Ctrl-C. With --write, notes change the case. */
export async function runServe(globals: GlobalOptions, options: ServeCliOptions): Promise<void> {
  if (!/^\d+$/.test(options.port) || Number(options.port) > 65535) throw new HoptraceError(`--port ${JSON.stringify(options.port)}: expected 0 to 65535`);
  const workbench = await startWorkbench(globals, { host: options.host, port: Number(options.port), write: options.write });
  try {
    process.stdout.write(`hoptrace workbench on ${workbench.location} (${workbench.mode}):\n  ${workbench.running.url}\n`);
    if (!LOOPBACK.has(options.host))
      process.stderr.write(`hoptrace serve: listening on ${options.host}, not only this machine: anyone with the URL (and its token) can read the case\n`);
    if (options.open) openBrowser(workbench.running.url);
    await new Promise<void>((resolve) => {
      const stop = () => void workbench.running.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    workbench.close();
  }
}

export interface Workbench {
  running: RunningServer;
  /** The case as the banner names it: the file, or the database without password. */
  location: string;
  /** The banner's words for what the workbench may change. */
  mode: string;
  /** Removes a PostgreSQL case's working copy; call it once the server is closed. */
  close(): void;
}

/**
 * The workbench on the case --db names, as `serve` starts it. A PostgreSQL case is served from a
 * working copy taken at start; with --write its notes and assertions go to PostgreSQL too
 * (docs/postgresql.md, "The workbench").
 */
export async function startWorkbench(globals: GlobalOptions, options: { host: string; port: number; write: boolean; token?: string }): Promise<Workbench> {
  const snapshot = onPostgres(globals) ? await (await import('./postgresRead.js')).snapshotForServe(globals, options.write) : undefined;
  const busyTimeoutMs = busyTimeoutFromEnv();
  try {
    const casePath = snapshot?.path ?? caseFilePath(globals);
    if (!snapshot && !existsSync(casePath)) throw new HoptraceError('no case file here', { file: casePath, hint: 'name it with --db FILE' });
    const running = await startServer({
      casePath,
      ...(snapshot ? { caseName: snapshot.location } : {}),
      ...(snapshot?.writer ? { writer: snapshot.writer } : {}),
      ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
      ...options,
    });
    const mode = snapshot
      ? options.write
        ? 'write: notes and assertions are stored in the PostgreSQL case; the rest is the case as it was when serve started; restart serve to see later changes'
        : 'read-only: the PostgreSQL case as it was when serve started; restart serve to see later changes'
      : options.write
        ? 'write: notes are stored in the case file'
        : 'read-only';
    return { running, location: snapshot?.location ?? casePath, mode, close: () => snapshot?.close() };
  } catch (error) {
    snapshot?.close();
    throw error;
  }
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`hoptrace serve: could not open a browser (${command}); open the URL yourself\n`));
  child.unref();
}
