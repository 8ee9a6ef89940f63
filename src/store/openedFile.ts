import { fstatSync, statSync } from 'node:fs';

/**
 * The file each case connection opened, by device and inode. SQLite reads the file it opened for
 * as long as the connection lasts (a `serve` session), even once its path names another file (a
 * case restored from a copy by renaming it into place); what a result cites of the file at that
 * path must then not be taken for what was read (src/store/caseCitation.ts).
 */
const opened = new WeakMap<object, { dev: bigint; ino: bigint }>();

/** Records the file `connection` has just opened at `path`. */
export function recordOpenedFile(connection: object, path: string): void {
  const { dev, ino } = statSync(path, { bigint: true });
  opened.set(connection, { dev, ino });
}

/** Whether descriptor `fd` reads the file `connection` opened (undefined: not recorded, as for a wrapped connection). */
export function readsOpenedFile(connection: object, fd: number): boolean | undefined {
  const file = opened.get(connection);
  if (!file) return undefined;
  const { dev, ino } = fstatSync(fd, { bigint: true });
  return dev === file.dev && ino === file.ino;
}
