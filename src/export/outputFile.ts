import { HoptraceError, isSystemError, systemReason } from '../model/errors.js';
import { FileSink } from './graph/sink.js';

/**
 * Writes an output file (a trace, a report, a PDF, a TagPack, a request letter) whole or not at all: the
 * text goes to a hidden file beside it, renamed over the path once written (FileSink). A write
 * that fails half-way (a full disk, a file-size limit) leaves the earlier file at the path as it
 * was, where writing in place had left the first part of the new one over it (docs/cli.md,
 * "Errors and exit codes": nothing half-written).
 */
export function writeOutputFile(path: string, content: string | Uint8Array, what: string): void {
  let sink: FileSink | undefined;
  try {
    sink = new FileSink(path);
    if (typeof content === 'string') sink.write(content);
    else sink.writeBytes(content);
    sink.commit();
  } catch (error) {
    sink?.discard();
    if (!isSystemError(error)) throw error;
    // The system's reason without the path it names (the hidden file's, not the one asked for).
    throw new HoptraceError(`cannot write the ${what}: ${systemReason(error)}`, { file: path });
  }
}
