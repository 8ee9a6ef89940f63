import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { selectBalanceGaps, type BalanceGapRow } from '../store/balanceGaps.js';
import type { Db } from '../store/caseStore.js';
import { checkLog, type LogCheck } from '../store/auditLog.js';
import { checkCaseIntegrity, selectSources, type IntegrityReport } from '../store/verify.js';
import type { SourceInfo } from '../model/types.js';
import { inReadSnapshot } from '../store/readSnapshot.js';
import { digestFile } from './fileDigest.js';

export type SourceCheck = {
  path: string;
  sha256: string;
  status: 'ok' | 'missing' | 'changed' | 'not-a-file';
  actual?: string;
  /** Where the file was found, when not at its recorded path as this process reads it (a relative path, read from the case file's folder). */
  foundAt?: string;
};

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
export async function verifyCase(db: Db, caseFolder?: string): Promise<VerifyResult> {
  // The case's own checks read one state of it (docs/case-file.md, "Reading while another process
  // writes"); the source files are hashed after, outside the case.
  const { recorded, report, log, gaps } = inReadSnapshot(db, () => ({
    recorded: selectSources(db),
    report: checkCaseIntegrity(db),
    log: checkLog(db),
    gaps: selectBalanceGaps(db),
  }));
  return verifyResult(await checkSourceFiles(recorded, caseFolder), report, log, gaps);
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

/**
 * Each recorded source file still where it was read from, hashed again. A path is recorded as it
 * was given to `ingest`, relative to the folder the import ran in, which the case does not know:
 * a relative path is read from this process's folder, and then, if not found there with its
 * recorded hash, from `caseFolder` (the case file's). A second place can only clear a file by its
 * hash, never by its name: an investigator who runs `verify` from another folder is not told that
 * every relative source is missing.
 */
export async function checkSourceFiles(recorded: readonly SourceInfo[], caseFolder?: string): Promise<SourceCheck[]> {
  const sources: SourceCheck[] = [];
  for (const source of recorded) {
    if (/^[a-z]+:\/\//i.test(source.path)) {
      sources.push({ path: source.path, sha256: source.sha256, status: 'not-a-file' });
      continue;
    }
    const places = [source.path, ...(caseFolder !== undefined && !isAbsolute(source.path) ? [join(caseFolder, source.path)] : [])];
    let changed: SourceCheck | undefined;
    let found: SourceCheck | undefined;
    for (const place of places) {
      if (!existsSync(place)) continue;
      const { sha256 } = await digestFile(place);
      const at = place === source.path ? {} : { foundAt: place };
      if (sha256 === source.sha256) {
        found = { path: source.path, sha256, status: 'ok', ...at };
        break;
      }
      changed ??= { path: source.path, sha256: source.sha256, status: 'changed', actual: sha256, ...at };
    }
    sources.push(found ?? changed ?? { path: source.path, sha256: source.sha256, status: 'missing' });
  }
  return sources;
}
