import { HoptraceError } from '../model/errors.js';
import type { CaseFileMode } from '../store/caseFile.js';
import { openCaseDb, type Db } from '../store/caseStore.js';
import { newCaseTarget } from '../store/newCaseFile.js';
import { jsonArrayBatches, jsonChunks } from './jsonChunks.js';
import { withNewCase } from './newCase.js';
import type { GlobalOptions } from './options.js';
import { writeStdout } from './stdoutSync.js';

export function caseFilePath(options: GlobalOptions): string {
  return options.db ?? (process.env['HOPTRACE_DB'] || 'hoptrace.db');
}

/**
 * How a command uses its case file: 'existing' (most commands), 'create' (it may make a new one),
 * or 'import': it may make a new one, which appears at its path only once something is stored in
 * it, so an import refused after reading leaves no case behind (src/store/newCaseFile.ts).
 */
export type CaseUse = CaseFileMode | 'import';

/**
 * Opens the case file for one command and always closes it (WAL checkpoint on close). Only
 * commands that bring data in may create one; every other command needs an existing case, so
 * a typo in --db is an error rather than a new empty case (docs/cli.md, "The case file").
 * `show`, when given, runs with the case still open once what `run` stored is committed — on
 * PostgreSQL, once it is written back — so output read from the case a piece at a time is
 * printed only after it is stored (`hoptrace detect`).
 */
export async function withCase<T>(
  options: GlobalOptions,
  run: (db: Db, path: string) => Promise<T> | T,
  mode: CaseUse = 'existing',
  show?: (db: Db, result: T) => void,
): Promise<T> {
  const path = caseFilePath(options);
  if (onPostgres(options)) {
    const args = process.argv.slice(2);
    return (await import('./run/postgresRead.js')).withPgWorkingCopy(options, commandOf(args), args, run, show);
  }
  const busyTimeoutMs = busyTimeoutFromEnv();
  const busy = busyTimeoutMs === undefined ? {} : { busyTimeoutMs };
  const target = mode === 'import' && path !== ':memory:' ? newCaseTarget(path) : undefined;
  if (target !== undefined) {
    const made = await withNewCase(path, target, busy, run, show);
    if (made.placed) return made.result;
    // Another process made a case at this path while this import ran: import into that one.
    process.stderr.write(`note: another process created ${path} while this import ran; importing again, into that case\n`);
  }
  const db = openCaseDb(path, { mode: mode === 'import' ? 'create' : mode, ...busy });
  try {
    const result = await run(db, path);
    show?.(db, result);
    return result;
  } finally {
    db.close();
  }
}

/** Prints `JSON.stringify(value, null, 2)` and a line break, written in pieces of about 1 MB (see jsonChunks). */
export function printJson(value: unknown): void {
  printChunks(jsonChunks(value));
}

/** Prints what `printJson` prints for an array of `items`, taking them one by one (see jsonArrayBatches). */
export function printJsonArray(items: Iterable<unknown>): void {
  printChunks(jsonArrayBatches(items));
}

/** Writes `chunks` and a line break to stdout in pieces of about 1 MB, each written before the next is made (writeStdout). */
export function printChunks(chunks: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      writeStdout(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  pending.push('\n');
  writeStdout(pending.join(''));
}

/** A `--db postgres://…` case (docs/postgresql.md); the commands that support it dispatch to ./commands/postgres.ts. */
export function onPostgres(options: GlobalOptions): boolean {
  return /^postgres(ql)?:\/\//i.test(caseFilePath(options));
}

export const POSTGRES_COMMANDS = [
  'ingest usdt',
  'ingest bank',
  'ingest exchange',
  'ingest links',
  'ingest tags',
  'ingest blacklist',
  'ingest native',
  'ingest amlsim',
  'fetch evm',
  'fetch tron',
  'remove-source',
  'info',
  'trace',
  'cluster',
  'detect',
  'findings',
  'report',
  'compare',
  'export',
  'verify',
  'log',
  'sources',
  'serve',
  'account',
  'search',
  'transfers',
  'endpoints',
  'tags',
  'exchange-movements',
  'status',
];

export function notOnPostgres(command: string): HoptraceError {
  return new HoptraceError(`${command} does not run on a PostgreSQL case yet`, {
    hint: `on PostgreSQL hoptrace runs: ${POSTGRES_COMMANDS.join(', ')} (docs/postgresql.md); run ${command} on a SQLite case file`,
  });
}

/** The command a command line runs (`ingest usdt`, `trace`), for messages. */
function commandOf(args: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < args.length && words.length < 2; i++) {
    const arg = args[i]!;
    if (arg === '--db') i++;
    else if (arg.startsWith('-')) {
      if (words.length > 0) break;
    } else {
      words.push(arg);
      if (words[0] !== 'ingest' && words[0] !== 'fetch') break;
    }
  }
  return words.join(' ') || 'this command';
}

/** HOPTRACE_BUSY_TIMEOUT_MS: how long to wait for another process writing the same case; unset, each store's default. */
export function busyTimeoutFromEnv(): number | undefined {
  const busy = process.env['HOPTRACE_BUSY_TIMEOUT_MS'];
  return busy && /^\d+$/.test(busy) ? Number(busy) : undefined;
}
