import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HoptraceError } from '../model/errors.js';

/**
 * The demo's output folder. The demo never deletes what it did not write (docs/cli.md, "demo"): it
 * uses a new or empty folder, or one holding its own marker file, and then removes only the files
 * that marker lists. Anything else in the folder — or a non-empty folder without the marker, such
 * as `--out .` in a project — is refused before anything is written.
 */
export const DEMO_MARKER = '.hoptrace-demo.json';

interface Marker {
  writtenBy: 'hoptrace demo';
  files: string[];
}

export function prepareDemoOut(out: string, files: readonly string[]): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    writeMarker(out, files);
    return;
  }
  if (!statSync(out).isDirectory()) throw new HoptraceError('is not a folder', { file: out, hint: 'give demo --out a new or empty folder' });
  const entries = readdirSync(out);
  if (entries.length === 0) {
    writeMarker(out, files);
    return;
  }
  const marker = readMarker(out);
  if (!marker) {
    throw new HoptraceError(`the folder is not empty and was not made by hoptrace demo (no ${DEMO_MARKER})`, {
      file: out,
      hint: 'nothing was deleted or written; give demo --out a new or empty folder',
    });
  }
  for (const file of marker.files) {
    // Only plain names inside the folder: a hand-edited marker cannot point the deletion elsewhere.
    if (basename(file) !== file || file === DEMO_MARKER) continue;
    for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(join(out, path), { force: true });
  }
  writeMarker(out, files);
}

// Written before the demo writes anything, so a run that fails half-way can still be replaced.
function writeMarker(out: string, files: readonly string[]): void {
  const marker: Marker = { writtenBy: 'hoptrace demo', files: [...files] };
  writeFileSync(join(out, DEMO_MARKER), JSON.stringify(marker, null, 2) + '\n');
}

function readMarker(out: string): Marker | undefined {
  const path = join(out, DEMO_MARKER);
  if (!existsSync(path)) return undefined;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
    if (value.writtenBy !== 'hoptrace demo' || !Array.isArray(value.files) || !value.files.every((f) => typeof f === 'string')) return undefined;
    return { writtenBy: 'hoptrace demo', files: value.files };
  } catch {
    return undefined;
  }
}
