import { statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
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

function kindOf(path: string): 'missing' | 'file' | 'folder' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
