import { spawn } from 'node:child_process';
import { startServer } from '../../serve/server.js';
import { caseFilePath, onPostgres } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { existsSync } from 'node:fs';
import { HoptraceError } from '../../model/errors.js';
import type { ServeCliOptions } from '../commands/serve.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `hoptrace serve`: the workbench, until Ctrl-C. With --write, notes change the case file. */
export async function runServe(globals: GlobalOptions, options: ServeCliOptions): Promise<void> {
  if (!/^\d+$/.test(options.port) || Number(options.port) > 65535) throw new HoptraceError(`--port ${JSON.stringify(options.port)}: expected 0 to 65535`);
  // A PostgreSQL case is served read-only from a working copy taken at start (docs/postgresql.md).
  const snapshot = onPostgres(globals) ? await (await import('./postgresRead.js')).snapshotForServe(globals, options.write) : undefined;
  try {
    const casePath = snapshot?.path ?? caseFilePath(globals);
    if (!snapshot && !existsSync(casePath)) throw new HoptraceError('no case file here', { file: casePath, hint: 'name it with --db FILE' });
    const running = await startServer({
      casePath,
      ...(snapshot ? { caseName: snapshot.location } : {}),
      host: options.host,
      port: Number(options.port),
      write: options.write,
    });
    const mode = snapshot
      ? 'read-only: the PostgreSQL case as it was when serve started; restart serve to see later changes'
      : options.write
        ? 'write: notes are stored in the case file'
        : 'read-only';
    process.stdout.write(`hoptrace workbench on ${snapshot?.location ?? casePath} (${mode}):\n  ${running.url}\n`);
    if (!LOOPBACK.has(options.host))
      process.stderr.write(`hoptrace serve: listening on ${options.host}, not only this machine: anyone with the URL (and its token) can read the case\n`);
    if (options.open) openBrowser(running.url);
    await new Promise<void>((resolve) => {
      const stop = () => void running.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } finally {
    snapshot?.close();
  }
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`hoptrace serve: could not open a browser (${command}); open the URL yourself\n`));
  child.unref();
}
