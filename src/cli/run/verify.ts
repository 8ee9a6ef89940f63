import { dirname, resolve } from 'node:path';
import { HoptraceError } from '../../model/errors.js';
import { verifyCase, type VerifyResult } from '../../ingest/verifySources.js';
import { caseFilePath, onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { VerifyCliOptions } from '../commands/verify.js';

export async function runVerify(globals: GlobalOptions, options: VerifyCliOptions): Promise<VerifyResult> {
  const result = onPostgres(globals)
    ? await (await import('./postgresRead.js')).verifyOnPg(globals)
    : await withCase(globals, (db, path) => verifyCase(db, dirname(resolve(path))));
  if (options.json) printJson(result);
  else {
    for (const s of result.sources) {
      const detail = s.status === 'changed' ? ` (recorded ${s.sha256}, now ${s.actual})` : s.status === 'ok' ? ` ${s.sha256}` : '';
      const where = s.foundAt === undefined ? '' : ` (found at ${s.foundAt}, beside the case file)`;
      process.stdout.write(`${s.status.padEnd(10)} ${s.path}${detail}${where}\n`);
    }
    process.stdout.write(`audit log: ${result.log.ok ? 'ok' : 'BROKEN'}, ${result.log.entries} entries, head ${result.log.head}\n`);
    for (const problem of result.log.problems) process.stdout.write(`  ${problem}\n`);
    process.stdout.write(
      `database integrity: ${result.integrity.join('; ')}; foreign-key violations: ${result.foreignKeyViolations}; transfers without a source: ${result.orphanTransfers}\n`,
    );
    if (result.balanceGaps.length > 0)
      process.stdout.write(`balance gaps recorded: ${result.balanceGaps.length} (statements known to be incomplete; hoptrace info lists them)\n`);
  }
  if (!result.ok)
    throw new HoptraceError('verification failed: a source file is missing or changed, the audit log was altered, or the case file is damaged', {
      file: caseFilePath(globals),
      exitCode: 3,
    });
  return result;
}
