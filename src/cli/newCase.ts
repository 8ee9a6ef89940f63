import { HoptraceError } from '../model/errors.js';
import { openCaseDb, type Db } from '../store/caseStore.js';
import {
  checkNewCasePath,
  discardNewCaseFile,
  leftoverNewCaseFiles,
  newCaseFileName,
  placeNewCaseFile,
  sealNewCaseFile,
  storedSinceCreated,
} from '../store/newCaseFile.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs an import on a new case made under a hidden name beside `path` (src/store/newCaseFile.ts)
 * and gives it that name once something is stored, even when the import then fails (what it
 * stored is kept, as it would be in an existing case). Nothing stored, a case that cannot be
 * written whole (a full disk), or the command stopped by a signal before it stored anything: the
 * file is removed, and nothing is at `path`. `placed: false`: another process made a case at
 * `path` meanwhile, and this import's file was removed.
 */
export async function withNewCase<T>(
  path: string,
  target: string,
  busy: { busyTimeoutMs?: number },
  run: (db: Db, path: string) => Promise<T> | T,
  show: ((db: Db, result: T) => void) | undefined,
): Promise<{ placed: true; result: T } | { placed: false }> {
  checkNewCasePath(path, target);
  // A killed import could not remove its hidden file, and nothing is deleted unasked: say so.
  for (const { file, pid } of leftoverNewCaseFiles(target)) {
    process.stderr.write(
      `note: ${file} is what an import into ${path} left when it was stopped by force (process ${pid} is no longer running); it holds what that import committed, and hoptrace does not use it: check it with \`hoptrace --db ${file} verify\` and rename it to keep it, or delete it with its -wal and -shm files\n`,
    );
  }
  // `target` is `path`, or the missing file a symbolic link at `path` names (newCaseTarget).
  const hidden = newCaseFileName(target);
  let db: Db;
  try {
    db = openCaseDb(hidden, { mode: 'create', ...busy });
  } catch (error) {
    discardNewCaseFile(hidden);
    throw error instanceof HoptraceError && error.file === hidden
      ? new HoptraceError(error.message, { file: path, ...(error.hint ? { hint: error.hint } : {}) })
      : error;
  }
  // Stopped before the import ends (a signal, an uncaught error, process.exit): what is committed
  // (files an import finished) keeps its name, the rest is rolled back. Once the case is sealed
  // (closed), nothing is left to do.
  const stop = stopOnSignalOrExit(() => {
    if (!db.open) return;
    let kept = false;
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
      kept = storedSinceCreated(db) && sealNewCaseFile(db, hidden) === undefined && placeNewCaseFile(hidden, target) === 'placed';
    } finally {
      closeQuietly(db);
      if (!kept) discardNewCaseFile(hidden);
    }
  });
  try {
    return await runOnNewCase(db, hidden, path, target, run, show);
  } finally {
    stop.release();
  }
}

async function runOnNewCase<T>(
  db: Db,
  hidden: string,
  path: string,
  target: string,
  run: (db: Db, path: string) => Promise<T> | T,
  show: ((db: Db, result: T) => void) | undefined,
): Promise<{ placed: true; result: T } | { placed: false }> {
  let outcome: { ok: true; result: T } | { ok: false; error: unknown };
  try {
    const result = await run(db, path);
    show?.(db, result);
    outcome = { ok: true, result };
  } catch (error) {
    outcome = { ok: false, error };
  }
  let unsealed: string | undefined;
  try {
    // What a failed import left uncommitted is not stored (closing the connection rolls it back).
    if (db.inTransaction) db.exec('ROLLBACK');
    if (!outcome.ok && !storedSinceCreated(db)) {
      closeQuietly(db);
      discardNewCaseFile(hidden);
      throw outcome.error;
    }
    unsealed = sealNewCaseFile(db, hidden);
  } catch (error) {
    // Whatever went wrong here, no hidden file is left behind.
    closeQuietly(db);
    discardNewCaseFile(hidden);
    throw error;
  }
  if (unsealed !== undefined) {
    discardNewCaseFile(hidden);
    throw new HoptraceError(`cannot write the new case file whole (${unsealed}): nothing was stored`, {
      file: path,
      hint: 'free disk space, then run the import again',
    });
  }
  let placed: 'placed' | 'taken';
  try {
    placed = placeNewCaseFile(hidden, target);
  } catch (error) {
    discardNewCaseFile(hidden);
    throw error;
  }
  if (placed === 'taken') {
    discardNewCaseFile(hidden);
    return { placed: false };
  }
  if (!outcome.ok) throw outcome.error;
  return { placed: true, result: outcome.result };
}

/** Closes the case if it is open; a close that fails (a statement still reading) does not stop the clean-up. */
function closeQuietly(db: Db): void {
  try {
    if (db.open) db.close();
  } catch {
    // The file is removed or given its name all the same; the process ends soon after.
  }
}

/**
 * Until released, runs `cleanUp` before the process ends without finishing the import: on a
 * signal that would end it (then ends it as the signal would have), and on its exit (an uncaught
 * error, a closed stderr, process.exit). A second signal while it cleans up (a terminal's Ctrl-C
 * reaches both bin/hoptrace and this child, which bin/hoptrace passes it to as well) finds the
 * listener still there and is ignored, so the clean-up is not cut short.
 */
function stopOnSignalOrExit(cleanUp: () => void): { release: () => void } {
  let stopping = false;
  const release = (): void => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('exit', onExit);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) return;
    stopping = true;
    try {
      cleanUp();
    } finally {
      release();
      // No listener left: the signal now ends the process, as it would have without this one.
      process.kill(process.pid, signal);
    }
  }
  function onExit(): void {
    if (stopping) return;
    stopping = true;
    cleanUp();
  }
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
  return { release };
}
