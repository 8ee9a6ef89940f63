import { fstatSync, openSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Read descriptors opened once for the life of the process and never closed: closing any
 * descriptor of a file drops every POSIX lock the process holds on it (sqlite.org/howtocorrupt.html,
 * 2.2): SQLite's on an open case file, and its WAL read locks on the case's `-shm` file, among them.
 * A case stays open as long as `serve` runs.
 */
const descriptors = new Map<string, number>();

/** The held read descriptor of the file at `path`; a path that now names another file gets one of its own. */
export function heldDescriptor(path: string): number {
  const key = resolve(path);
  const known = descriptors.get(key);
  if (known !== undefined) {
    const now = statSync(path, { bigint: true });
    const held = fstatSync(known, { bigint: true });
    if (now.dev === held.dev && now.ino === held.ino) return known;
  }
  const fd = openSync(path, 'r');
  descriptors.set(key, fd);
  return fd;
}
