import { HoptraceError } from '../model/errors.js';
import { buildProgram } from './program.js';

/**
 * The only place that sets the exit code. Every failure a user can act on is a HoptraceError
 * printed as `hoptrace: FILE:LINE: what is wrong — what to do`; anything else is a bug and is
 * printed with its stack.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof HoptraceError) {
      process.stderr.write(`hoptrace: ${error.describe()}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = (error as { exitCode?: number }).exitCode ?? 2;
      return;
    }
    process.stderr.write(`hoptrace: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
