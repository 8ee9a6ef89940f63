import type { CaseNames } from '../model/caseNames.js';
import { HoptraceError } from '../model/errors.js';
import type { TraceResult } from '../model/trace.js';
import { logHead } from '../store/auditLog.js';
import type { Db } from '../store/caseStore.js';

/**
 * Names (and an export's tags and clusters) come only from a case whose audit log holds the log
 * head the trace cites (docs/case-file.md, "The audit log"): the trace's case as it stood then, or
 * a case that continues from it (the same case later, or a copy of it that has grown since; the
 * log cannot tell the two apart). Another case file's tags and holders would otherwise name the
 * trace's accounts under a header citing the trace's case. Read past the trace's head, the report
 * says so (CaseNames.readAt). A trace written before the log cites no head, and is not checked.
 *
 * `seqOf`: the sequence number of the entry with that hash in the case's log, if any; `head`: the
 * log's head now.
 */
export function checkTraceCase(
  trace: TraceResult,
  where: string,
  seqOf: (hash: string) => number | undefined,
  head: { seq: number; hash: string },
): CaseNames['readAt'] {
  const traced = trace.case.logHead;
  if (traced === undefined) return undefined;
  const seq = seqOf(traced);
  if (seq === undefined)
    throw new HoptraceError(`${where} is not the case this trace was made from: its audit log does not hold the trace's log head ${traced}`, {
      hint: `give the trace's case file with --db (the trace cites ${trace.case.path}, SHA-256 ${trace.case.sha256 ?? 'not hashed'})`,
    });
  return head.hash === traced ? undefined : { logHead: head.hash, laterEntries: head.seq - seq };
}

/** checkTraceCase against a case file (`report`'s names, `export --trace`): its audit log by hash, and its head. */
export function checkTraceCaseFile(db: Db, trace: TraceResult, where: string): CaseNames['readAt'] {
  const seq = db.prepare('SELECT seq FROM audit_log WHERE hash = ?').pluck().safeIntegers(false);
  return checkTraceCase(trace, where, (hash) => seq.get(hash) as number | undefined, logHead(db));
}
