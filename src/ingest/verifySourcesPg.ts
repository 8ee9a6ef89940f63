import type pg from 'pg';
import { checkLogPg } from '../store/pg/auditLogReadPg.js';
import { selectBalanceGapsPg } from '../store/pg/infoPg.js';
import { selectSourcesPg } from '../store/pg/sourcesPg.js';
import { checkCaseIntegrityPg } from '../store/pg/verifyPg.js';
import { checkSourceFiles, verifyResult, type VerifyResult } from './verifySources.js';

/** `hoptrace verify` on a PostgreSQL case: the same checks and result as ./verifySources.ts, the database's checks in SQL. */
export async function verifyCasePg(client: pg.Client): Promise<VerifyResult> {
  const sources = await checkSourceFiles(await selectSourcesPg(client));
  const report = await checkCaseIntegrityPg(client);
  return verifyResult(sources, report, await checkLogPg(client), await selectBalanceGapsPg(client));
}
