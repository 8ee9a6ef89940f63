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

/** A problem with one input row: the adapter knows the line, the caller adds the file. */
export class RowError extends HoptraceError {
  constructor(message: string, line: number, hint?: string) {
    super(message, { line, ...(hint === undefined ? {} : { hint }) });
    this.name = 'RowError';
  }
}

export function withFile(error: unknown, file: string): HoptraceError {
  if (error instanceof HoptraceError) {
    if (error.file !== undefined) return error;
    return new HoptraceError(error.message, {
      file,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      exitCode: error.exitCode,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HoptraceError(message, { file });
}
