import type { TraceEdge, TraceResult } from '../model/trace.js';
import { explorerLink, formatAmounts, pathsTo, USDT_CONTRACTS, victimSummaries } from './reportModel.js';
import { LIMITATIONS, RULE_EXPLANATIONS } from './ruleExplanations.js';

export interface ReportOptions {
  /** An ISO time for the "generated" line, or null to leave it out (byte-identical reports). */
  timestamp: string | null;
}

/** Markdown cells: pipes and line breaks escaped, markup inert (shown as text). */
function cell(value: string | number): string {
  return String(value).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([`*_[\]])/g, '\\$1');
}

function table(headers: string[], rows: (string | number)[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function hopRow(e: TraceEdge, rule: string): (string | number)[] {
  const link = explorerLink(e.rail, e.ref);
  const a = e.allocation;
  return [
    e.hop,
    `${e.from} → ${e.to}`,
    e.time,
    link ? `${e.ref} (${link})` : e.ref,
    `${e.amount} ${e.asset}`,
    e.traced,
    a ? `balance ${a.balanceBefore}, traced ${a.tracedBefore}; ${rule} carries ${a.tracedCarried}, leaves ${a.tracedLeft}${a.unknownDrawn !== '0' && !/^0\.?0*$/.test(a.unknownDrawn) ? `; ${a.unknownDrawn} from an unknown source` : ''}` : e.viaLink !== undefined ? `via link from transfer ${e.viaLink}` : 'seed payment',
    `${e.source.path}:${e.source.line}`,
  ];
}

export const HOP_HEADERS = ['hop', 'from → to', 'time (UTC)', 'transaction / reference', 'amount', 'traced', 'allocation at this hop', 'source file:line'];

export function writeMarkdown(result: TraceResult, options: ReportOptions): string {
  const rule = RULE_EXPLANATIONS[result.rule];
  const out: string[] = [];
  out.push('# hoptrace evidence-chain report', '');
  out.push(`- Case file: \`${result.case.path}\`, SHA-256 \`${result.case.sha256 ?? 'not hashed (in-memory case)'}\``);
  out.push(`- Tool: ${result.case.tool} ${result.case.version}`);
  if (options.timestamp) out.push(`- Generated: ${options.timestamp}`);
  out.push(`- Rule: ${result.rule}; max hops: ${result.params.maxHops ?? 'none'}; min amount: ${result.params.minAmount ?? 'none'}; until: ${result.params.until ?? 'none'}; stop at degree: ${result.params.stopAtDegree ?? 'none'}`);
  out.push(`- Seeds as given: ${result.params.seeds.map((s) => `\`${s}\``).join(', ')}`, '');
  out.push('## Method', '', `**${rule.title}.** ${rule.words}`, '', `Legal source: ${rule.source}`, '');
  out.push('Limitations:', '', ...LIMITATIONS.map((l) => `- ${l}`), '');
  out.push('## Sources', '', table(['file', 'SHA-256', 'size (bytes)', 'adapter', 'rows', 'rejected'], result.sources.map((s) => [s.path, s.sha256, s.size, s.adapter, s.rows, s.rejected])), '');
  out.push('## Summary per victim', '');
  out.push(table(['victim', 'paid', 'reached (by endpoint category)', 'still held', 'stopped by limits'], victimSummaries(result).map((v) => [`${v.rail}:${v.victim}`, formatAmounts(v.paid), Object.entries(v.byCategory).map(([c, a]) => `${c}: ${formatAmounts(a)}`).join('; ') || '—', formatAmounts(v.held), formatAmounts(v.stopped)])), '');
  out.push('## Seeds', '', table(['id', 'reference', 'from → to', 'time (UTC)', 'amount'], result.seeds.map((s) => [s.id, s.ref, `${s.from} → ${s.to}`, s.time, `${s.amount} ${s.asset}`])), '');
  out.push('## Endpoints', '', table(['category', 'account', 'labels', 'amount', 'per seed', 'first', 'last'], result.endpoints.map((e) => [e.category, `${e.rail}:${e.ident}`, e.labels.join('; '), `${e.amount} ${e.asset}`, Object.entries(e.bySeed).map(([k, v]) => `${k}: ${v}`).join(', '), e.first, e.last])), '');
  out.push('## Freeze candidates', '', 'Accounts still holding traced money. USDT can be frozen by Tether (contract given per chain); bank balances by the bank.', '');
  out.push(table(['account', 'amount', 'USDT contract', 'per seed'], result.held.map((h) => [`${h.rail}:${h.ident}`, `${h.amount} ${h.asset}`, h.asset === 'USDT' ? (USDT_CONTRACTS[h.rail] ?? '') : '', Object.entries(h.bySeed).map(([k, v]) => `${k}: ${v}`).join(', ')])), '');
  out.push('## Evidence chains', '');
  for (const endpointEdge of result.edges.filter((e) => e.outcome === 'endpoint')) {
    const endpoint = result.endpoints.find((e) => e.ident === endpointEdge.to && e.rail === endpointEdge.rail);
    out.push(`### ${endpoint?.category ?? 'endpoint'} ${endpointEdge.to}${endpoint?.labels.length ? ` (${endpoint.labels.join('; ')})` : ''}: ${endpointEdge.traced} ${endpointEdge.asset} in transfer ${endpointEdge.transfer}`, '');
    for (const [i, path] of pathsTo(endpointEdge, result.edges).entries()) {
      out.push(`Path ${i + 1}:`, '', table(HOP_HEADERS, path.map((e) => hopRow(e, result.rule))), '');
    }
  }
  out.push('## Totals', '', table(['asset', 'seeded', 'linked in', 'converted out', 'at endpoints', 'held', 'beyond hop limit', 'below threshold', 'unknown-source draws', 'unaccounted'], result.totals.byAsset.map((t) => [t.asset, t.seeded, t.linkedIn, t.convertedOut, t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unknownSourceDrawn, t.unaccounted])), '');
  out.push(result.rule === 'poison' ? 'Poison traces whole outflows: its totals can exceed the seeds, so the conservation line does not apply.' : `Conservation (seeded + linked in − converted out = endpoints + held + beyond + below): ${result.totals.conserved ? 'holds to the minor unit' : 'DOES NOT HOLD — see unaccounted'}.`, '');
  out.push('## Appendix: every transfer that carried traced money', '', table(['transfer', ...HOP_HEADERS, 'outcome'], result.edges.map((e) => [e.transfer, ...hopRow(e, result.rule), e.outcome])), '');
  return out.join('\n');
}
