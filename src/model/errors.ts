/**
 * Every failure a user can act on is a HoptraceError: it names the file and line when there is
 * one, says what is wrong, and optionally what to do. The CLI prints
 * `hoptrace: FILE:LINE: what is wrong — what to do` and exits with `exitCode`.
 */
export interface HoptraceErrorDetails {
  file?: string;
  line?: number;
  hint?: string;
  exitCode?: number;
}

export class HoptraceError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, details: HoptraceErrorDetails = {}) {
    super(message);
    this.name = 'HoptraceError';
    this.file = details.file;
    this.line = details.line;
    this.hint = details.hint;
    this.exitCode = details.exitCode ?? 1;
  }

  /** The one-line form the CLI prints after `hoptrace: `. */
  describe(): string {
    const where = this.file === undefined ? '' : this.line === undefined ? `${this.file}: ` : `${this.file}:${this.line}: `;
    return `${where}${this.message}${this.hint ? ` — ${this.hint}` : ''}`;
  }
}

/**
 * Another process holds the case's writer lock past the busy timeout (docs/case-file.md): nothing
 * was stored, and the same request later can succeed. The workbench answers it 503, not 400.
 */
export class CaseBusyError extends HoptraceError {
  constructor(message: string, file: string) {
    super(message, { file, hint: 'wait for it to finish and run the command again' });
    this.name = 'CaseBusyError';
  }
}

/** A problem with one input row: the adapter knows the line, the caller adds the file. */
export class RowError extends HoptraceError {
  constructor(message: string, line: number, hint?: string) {
    super(message, { line, ...(hint === undefined ? {} : { hint }) });
    this.name = 'RowError';
  }
}

/**
 * Adds the file to an error on its way out of an import. Only errors the user can act on become
 * `FILE:LINE: …` lines: HoptraceErrors, and the parse errors of the libraries and built-ins that
 * read input (JSON's SyntaxError, csv-parse's CsvError, a TextDecoder's invalid-data error, a
 * file the system cannot read). Anything else is a bug in hoptrace and is returned unchanged, so
 * it keeps its type and stack and the CLI reports an internal error (docs/cli.md, "Exit codes").
 */
export function withFile(error: unknown, file: string): unknown {
  if (error instanceof HoptraceError) {
    if (error.file !== undefined) return error;
    return new HoptraceError(error.message, {
      file,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      exitCode: error.exitCode,
    });
  }
  if (isInputParseError(error)) {
    const line = (error as { lines?: unknown }).lines;
    return new HoptraceError(error.message.split('\n')[0]!, { file, ...(typeof line === 'number' && line > 0 ? { line } : {}) });
  }
  return error;
}

/** Errors that describe bad input, not a bug (see withFile). */
export function isInputParseError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (error instanceof SyntaxError) return true; // JSON.parse
  if (typeof code !== 'string') return false;
  if (error.name === 'CsvError' && code.startsWith('CSV_')) return true; // csv-parse
  if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA' || code === 'ERR_ENCODING_NOT_SUPPORTED') return true; // TextDecoder
  return isSystemError(error);
}

/** A file the system cannot read or write (ENOENT, EACCES, EISDIR, ENOSPC …): the user can act on it. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof (error as { syscall?: unknown }).syscall === 'string';
}

/**
 * SQLite could not write the case file: the disk is full, a file-size limit (`ulimit -f`) was
 * reached, or the disk failed (SQLITE_FULL, SQLITE_IOERR_*). The user's to act on, not a bug: the
 * transaction under way was not stored.
 */
export function isCaseWriteFailure(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR'));
}

/** A system error's reason without the path it names (`EACCES: permission denied`): the message names the file once, itself. */
export function systemReason(error: NodeJS.ErrnoException): string {
  return /^(E[A-Z]+: [^,]+)/.exec(error.message)?.[1] ?? error.message;
}

/** In a catch that rewords an input error: a bug is rethrown as it is, never reworded. */
export function userError(error: unknown): HoptraceError {
  if (error instanceof HoptraceError) return error;
  throw error;
}
