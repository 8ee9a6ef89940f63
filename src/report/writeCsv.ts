import type { TraceResult } from '../model/trace.js';
import { csvCell } from '../export/graph/sink.js';

/** For spreadsheets: the edges table (one row per hop), a blank line, then the endpoint summary. */
export function writeCsv(result: TraceResult): string {
  const row = (cells: (string | number | null)[]): string => cells.map(csvCell).join(',');
  const out = [row(['transfer', 'hop', 'rail', 'from', 'to', 'time_utc', 'reference', 'asset', 'amount', 'traced', 'balance_before', 'traced_before', 'traced_carried', 'traced_left', 'unknown_drawn', 'outcome', 'source_file', 'source_line', 'source_sha256'])];
  for (const e of result.edges) {
    const a = e.allocation;
    out.push(row([e.transfer, e.hop, e.rail, e.from, e.to, e.time, e.ref, e.asset, e.amount, e.traced, a?.balanceBefore ?? null, a?.tracedBefore ?? null, a?.tracedCarried ?? null, a?.tracedLeft ?? null, a?.unknownDrawn ?? null, e.outcome, e.source.path, e.source.line, e.source.sha256]));
  }
  out.push('', row(['endpoint_category', 'rail', 'account', 'labels', 'asset', 'amount', 'first', 'last']));
  for (const e of result.endpoints) out.push(row([e.category, e.rail, e.ident, e.labels.join('; '), e.asset, e.amount, e.first, e.last]));
  return out.join('\n') + '\n';
}
