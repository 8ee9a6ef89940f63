import { existsSync } from 'node:fs';
import { selectBalanceGaps, type BalanceGapRow } from '../store/balanceGaps.js';
import type { Db } from '../store/caseStore.js';
import { checkLog, type LogCheck } from '../store/auditLog.js';
import { checkCaseIntegrity, selectSources, type IntegrityReport } from '../store/verify.js';
import type { SourceInfo } from '../model/types.js';
import { inReadSnapshot } from '../store/readSnapshot.js';
import { digestFile } from './fileDigest.js';

export type SourceCheck = { path: string; sha256: string; status: 'ok' | 'missing' | 'changed' | 'not-a-file'; actual?: string };

export interface VerifyResult {
  ok: boolean;
  sources: SourceCheck[];
  integrity: string[];
  foreignKeyViolations: number;
  orphanTransfers: number;
  /** Recorded running-balance gaps: not damage to the case, but statements known to be incomplete. */
  balanceGaps: BalanceGapRow[];
  /** The audit log's hash chain (src/store/auditLog.ts). */
  log: LogCheck;
}

/**
 * `hoptrace verify`: re-hashes every recorded source file that is still where it was read from,
 * runs the database's integrity checks, and walks the audit log's hash chain. Fetched sources (URLs) are not files and are listed
 * as such.
 */
export async function verifyCase(db: Db): Promise<VerifyResult> {
  // The case's own checks read one state of it (docs/case-file.md, "Reading while another process
  // writes"); the source files are hashed after, outside the case.
  const { recorded, report, log, gaps } = inReadSnapshot(db, () => ({
    recorded: selectSources(db),
    report: checkCaseIntegrity(db),
    log: checkLog(db),
    gaps: selectBalanceGaps(db),
  }));
  return verifyResult(await checkSourceFiles(recorded), report, log, gaps);
}

/** The verdict over the checks, as every backend gives it. */
export function verifyResult(sources: SourceCheck[], report: IntegrityReport, log: LogCheck, balanceGaps: BalanceGapRow[]): VerifyResult {
  const ok =
    log.ok &&
    sources.every((s) => s.status === 'ok' || s.status === 'not-a-file') &&
    report.integrity.length === 1 &&
    report.integrity[0] === 'ok' &&
    report.foreignKeys === 0 &&
    report.orphanTransfers === 0;
  return {
    ok,
    sources,
    integrity: report.integrity,
    foreignKeyViolations: report.foreignKeys,
    orphanTransfers: report.orphanTransfers,
    balanceGaps,
    log,
  };
}

/** Each recorded source file still where it was read from, hashed again. */
export async function checkSourceFiles(recorded: readonly SourceInfo[]): Promise<SourceCheck[]> {
  const sources: SourceCheck[] = [];
  for (const source of recorded) {
    if (/^[a-z]+:\/\//i.test(source.path)) {
      sources.push({ path: source.path, sha256: source.sha256, status: 'not-a-file' });
      continue;
    }
    if (!existsSync(source.path)) {
      sources.push({ path: source.path, sha256: source.sha256, status: 'missing' });
      continue;
    }
    const { sha256 } = await digestFile(source.path);
    sources.push(
      sha256 === source.sha256 ? { path: source.path, sha256, status: 'ok' } : { path: source.path, sha256: source.sha256, status: 'changed', actual: sha256 },
    );
  }
  return sources;
}
