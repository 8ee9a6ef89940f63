import { accessSync, constants, statSync } from 'node:fs';
import { checkInputFile } from '../../adapters/common/inputFile.js';
import { HoptraceError, systemReason } from '../model/errors.js';

/**
 * The input files of an import, checked before the case is opened: a mistyped name, a folder or a
 * pipe stops the command before `--db` names a case file that does not exist yet is created (an
 * import starts a case: docs/cli.md, "The case file"), which left an empty case behind before.
 */
export function checkInputFiles(files: readonly string[]): void {
  for (const file of files) {
    let folder: boolean;
    try {
      folder = statSync(file).isDirectory();
      accessSync(file, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new HoptraceError(code === 'ENOENT' ? 'no such file' : `cannot read: ${systemReason(error as NodeJS.ErrnoException)}`, { file });
    }
    if (folder) throw new HoptraceError('is a directory, not a file', { file });
    checkInputFile(file);
  }
}
