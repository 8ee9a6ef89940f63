import { csvCell } from '../model/csv.js';
import type { AmountBySeed, TraceResult } from '../model/trace.js';
import { explorerLink, USDT_CONTRACTS } from './explorer.js';
import { auditTrace } from './hopAudit.js';
import { AccountRoles } from './reportModel.js';

/**
 * For spreadsheets: the hop table (one row per transfer that carried traced money, with the
 * allocation columns a second examiner recomputes and the provenance), a blank line, the endpoint
 * summary, a blank line, the freeze candidates. A cell starting with = + - @ (a formula to a
 * spreadsheet) is prefixed with ' by csvCell, so opening the file never runs an input's text.
 */
export const EDGE_COLUMNS = [
  'transfer',
  'hop',
  'rail',
  'from',
  'from_role',
  'to',
  'to_role',
  'time_utc',
  'reference',
  'explorer_url',
  'asset',
  'amount',
  'traced',
  'traced_by_seed',
  'balance_before',
  'traced_before',
  'traced_carried',
  'traced_left',
  'unknown_drawn',
  'rule',
  'allocation',
  'outcome',
  'check',
  'source_file',
  'source_line',
  'source_sha256',
] as const;
export const ENDPOINT_COLUMNS = ['endpoint_category', 'rail', 'account', 'labels', 'asset', 'amount', 'traced_by_seed', 'first_utc', 'last_utc'] as const;
export const CASE_COLUMNS = ['case_file', 'case_sha256', 'audit_log_head', 'tool'] as const;
export const HELD_COLUMNS = [
  'held_at',
  'rail',
  'asset',
  'amount',
  'token_contract',
  'traced_by_seed',
  'history',
  'as_of_or_last_seen',
  'history_basis',
] as const;

const bySeedCell = (bySeed: AmountBySeed): string =>
  Object.entries(bySeed)
    .map(([seed, amount]) => `seed ${seed}=${amount}`)
    .join('; ');

export function writeCsv(result: TraceResult): string {
  const roles = new AccountRoles(result);
  const audit = auditTrace(result);
  const role = (rail: string, ident: string): string => {
    const r = roles.of(rail, ident);
    return [...r.roles, ...r.labels].join('; ');
  };
  const row = (cells: readonly (string | number | null)[]): string => cells.map(csvCell).join(',');
  const out = [row(EDGE_COLUMNS)];
  result.edges.forEach((e, i) => {
    const a = e.allocation;
    const check = audit.hops[i]!.problems;
    out.push(
      row([
        e.transfer,
        e.hop,
        e.rail,
        e.from,
        role(e.rail, e.from),
        e.to,
        role(e.rail, e.to),
        e.time,
        e.ref,
        explorerLink(e.rail, e.ref) ?? null,
        e.asset,
        e.amount,
        e.traced,
        bySeedCell(e.bySeed),
        a?.balanceBefore ?? null,
        a?.tracedBefore ?? null,
        a?.tracedCarried ?? null,
        a?.tracedLeft ?? null,
        a?.unknownDrawn ?? null,
        result.rule,
        audit.hops[i]!.arithmetic,
        e.outcome,
        check.length === 0 ? 'ok' : check.join('; '),
        e.source.path,
        e.source.line,
        e.source.sha256,
      ]),
    );
  });
  out.push('', row(ENDPOINT_COLUMNS));
  for (const e of result.endpoints) out.push(row([e.category, e.rail, e.ident, e.labels.join('; '), e.asset, e.amount, bySeedCell(e.bySeed), e.first, e.last]));
  out.push('', row(HELD_COLUMNS));
  for (const h of result.held)
    out.push(
      row([
        h.ident,
        h.rail,
        h.asset,
        h.amount,
        h.asset === 'USDT' ? (USDT_CONTRACTS[h.rail] ?? null) : null,
        bySeedCell(h.bySeed),
        h.history.class,
        h.history.class === 'in-case' ? h.history.until : h.history.lastSeen,
        h.history.class === 'in-case' ? h.history.basis : null,
      ]),
    );
  // What the figures come from: the case file and the audit log's head when the trace ran.
  out.push('', row(CASE_COLUMNS), row([result.case.path, result.case.sha256, result.case.logHead ?? null, `${result.case.tool} ${result.case.version}`]));
  return out.join('\n') + '\n';
}
