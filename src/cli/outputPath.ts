import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { HoptraceError } from '../model/errors.js';

/**
 * Output paths are checked before any work (docs/cli.md, "Output files"): a trace of a large case
 * must not run for minutes and then fail on a missing folder or a name whose format is unknown.
 * `extensions` (lower case, with the dot) are the names the option accepts; omitted, any name.
 */
export function checkOutputFile(path: string, option: string, extensions?: readonly string[]): void {
  checkParentFolder(path, option);
  if (kindOf(path) === 'folder') throw new HoptraceError(`${option} ${path}: is a folder`, { hint: 'give a file name' });
  if (extensions && !extensions.includes(extname(path).toLowerCase())) {
    throw new HoptraceError(`${option} ${path}: expected a name ending in ${extensions.join(' or ')}`);
  }
}

/** An output folder (created if missing): its parent must exist, and it must not be a file. */
export function checkOutputFolder(path: string, option: string): void {
  checkParentFolder(path, option);
  if (kindOf(path) === 'file') throw new HoptraceError(`${option} ${path}: is a file, not a folder`);
}

function checkParentFolder(path: string, option: string): void {
  const parent = dirname(resolve(path));
  const kind = kindOf(parent);
  if (kind === 'missing') throw new HoptraceError(`${option} ${path}: the folder ${dirname(path)} does not exist`, { hint: 'create it first' });
  if (kind === 'file') throw new HoptraceError(`${option} ${path}: ${dirname(path)} is not a folder`);
}

/**
 * Refuses two output options naming one file (through a symbolic link too): the second written
 * replaced the first, which had been reported written (`trace --out t.json --report t.json`).
 */
export function checkDistinctOutputs(first: { path: string; option: string }, second: { path: string; option: string }): void {
  if (whereWritten(first.path) === whereWritten(second.path))
    throw new HoptraceError(`${first.option} and ${second.option} name one file, ${second.path}: the second would replace the first`, {
      hint: `give ${second.option} another name`,
    });
}

/** The file a path writes: its real path when it exists, else its folder's real path and its name. */
function whereWritten(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(resolve(path))), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

function kindOf(path: string): 'missing' | 'file' | 'folder' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
