import { HoptraceError, isCaseWriteFailure, isSystemError } from '../model/errors.js';
import { setAuditCommand } from '../store/auditLog.js';
import { caseFilePath } from './context.js';
import { buildProgram } from './program.js';

/**
 * The only place that sets the exit code. Every failure a user can act on is a HoptraceError
 * printed as `hoptrace: FILE:LINE: what is wrong — what to do`; anything else is a bug and is
 * printed with its stack.
 */
export async function main(argv: readonly string[]): Promise<void> {
  dieWithParent();
  // `hoptrace … | head`: a closed pipe ends the output, not the process with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // The audit log records the command line of every change (secrets removed).
  setAuditCommand(['hoptrace', ...argv.slice(2)]);
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof HoptraceError) {
      process.stderr.write(`hoptrace: ${error.describe()}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    if (isSystemError(error)) {
      // Writing an output file failed (permissions, a full disk): the message names the path.
      process.stderr.write(`hoptrace: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (isCaseWriteFailure(error)) {
      // Only a SQLite case gives these errors: the case file is the one --db (or HOPTRACE_DB) names.
      process.stderr.write(
        `hoptrace: cannot write the case file ${caseFilePath(program.opts())} or SQLite's temporary files: ${error.message} — the change under way was not stored; check the free disk space, the file-size limit (ulimit -f) and the disk, then run the command again\n`,
      );
      process.exitCode = 1;
      return;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      // --help and --version end with 0; a command line hoptrace cannot parse is a usage error, 2
      // (docs/cli.md, "Exit codes"), apart from 1 for bad input and 3 for a failed verify.
      process.exitCode = (error as { exitCode?: number }).exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`hoptrace: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}

/**
 * bin/hoptrace runs streaming commands in a child process (see there). If the parent is killed —
 * even with SIGKILL, which it cannot pass on — the child kills itself at once, so the import stops
 * as the user meant and its open transaction is rolled back.
 */
function dieWithParent(): void {
  const parent = Number(process.env['HOPTRACE_STREAM_CHILD']);
  if (!parent) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  }, 100).unref();
}
