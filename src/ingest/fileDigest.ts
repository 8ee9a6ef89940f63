import { createHash } from 'node:crypto';
import { readFileChunks } from '../../adapters/common/fileChunks.js';
import { checkInputFile } from '../../adapters/common/inputFile.js';
import { HoptraceError } from '../model/errors.js';

export interface FileDigest {
  sha256: string;
  size: number;
}

/** SHA-256 and size of a file, streamed: the figure a court exhibit list cites. */
export async function digestFile(path: string): Promise<FileDigest> {
  checkInputFile(path);
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of readFileChunks(path, 1 << 20)) {
      hash.update(chunk);
      size += chunk.length;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HoptraceError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read: ${(error as Error).message}`, {
      file: path,
    });
  }
  return { sha256: hash.digest('hex'), size };
}
