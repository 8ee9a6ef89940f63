import type { TraceResult } from '../model/trace.js';
import { escapeHtml } from './html.js';
import { explorerLink, formatAmounts, pathsTo, USDT_CONTRACTS, victimSummaries } from './reportModel.js';
import { LIMITATIONS, RULE_EXPLANATIONS } from './ruleExplanations.js';
import { LEGEND, svgFlow } from './svgFlow.js';
import { HOP_HEADERS, hopRow, type ReportOptions } from './writeMarkdown.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}
th{background:#f3f3f3}code{font-size:12px}.flow text{font:11px system-ui,sans-serif;fill:#fff}.flow text.column{fill:#444;font-weight:bold}
.flow .edge{fill:none;stroke:#607d8b;stroke-opacity:.55}.legend span{display:inline-block;padding:1px 6px;margin:2px;color:#fff;border-radius:3px}
.diagram{overflow-x:auto}
@media print{body{margin:10mm;font-size:10pt}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}a{color:#000;text-decoration:none}.diagram{overflow:visible}svg{max-width:100%;height:auto}}
`;

function table(headers: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** One self-contained HTML file: inline style, an inline SVG, no scripts, nothing fetched. */
export function writeHtml(result: TraceResult, options: ReportOptions): string {
  const rule = RULE_EXPLANATIONS[result.rule];
  const linked = (rail: string, ref: string): string => {
    const link = explorerLink(rail, ref);
    return link ? `<a href="${escapeHtml(link)}">${escapeHtml(ref)}</a>` : escapeHtml(ref);
  };
  const hopTable = (edges: typeof result.edges): string =>
    `<table><thead><tr>${HOP_HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${edges
      .map((e) => {
        const cells = hopRow(e, result.rule).map((c) => escapeHtml(c));
        cells[3] = linked(e.rail, e.ref);
        return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
      })
      .join('')}</tbody></table>`;
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<title>hoptrace evidence-chain report</title>', `<style>${STYLE}</style></head><body>`);
  out.push('<h1>hoptrace evidence-chain report</h1><ul>');
  out.push(`<li>Case file: <code>${escapeHtml(result.case.path)}</code>, SHA-256 <code>${escapeHtml(result.case.sha256 ?? 'not hashed (in-memory case)')}</code></li>`);
  out.push(`<li>Tool: ${escapeHtml(result.case.tool)} ${escapeHtml(result.case.version)}</li>`);
  if (options.timestamp) out.push(`<li>Generated: ${escapeHtml(options.timestamp)}</li>`);
  out.push(`<li>Rule: ${escapeHtml(result.rule)}; max hops: ${escapeHtml(result.params.maxHops ?? 'none')}; min amount: ${escapeHtml(result.params.minAmount ?? 'none')}; until: ${escapeHtml(result.params.until ?? 'none')}; stop at degree: ${escapeHtml(result.params.stopAtDegree ?? 'none')}</li>`);
  out.push(`<li>Seeds as given: ${result.params.seeds.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}</li></ul>`);
  out.push(`<h2>Method</h2><p><b>${escapeHtml(rule.title)}.</b> ${escapeHtml(rule.words)}</p><p>Legal source: ${escapeHtml(rule.source)}</p>`);
  out.push(`<p>Limitations:</p><ul>${LIMITATIONS.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
  out.push('<h2>Sources</h2>', table(['file', 'SHA-256', 'size (bytes)', 'adapter', 'rows', 'rejected'], result.sources.map((s) => [s.path, s.sha256, s.size, s.adapter, s.rows, s.rejected])));
  out.push('<h2>Flow</h2>', `<p class="legend">${Object.entries(LEGEND).map(([k, c]) => `<span style="background:${c}">${escapeHtml(k)}</span>`).join('')}</p>`, `<div class="diagram">${svgFlow(result)}</div>`);
  out.push('<h2>Summary per victim</h2>', table(['victim', 'paid', 'reached (by endpoint category)', 'still held', 'stopped by limits'], victimSummaries(result).map((v) => [`${v.rail}:${v.victim}`, formatAmounts(v.paid), Object.entries(v.byCategory).map(([c, a]) => `${c}: ${formatAmounts(a)}`).join('; ') || '—', formatAmounts(v.held), formatAmounts(v.stopped)])));
  out.push('<h2>Seeds</h2>', table(['id', 'reference', 'from → to', 'time (UTC)', 'amount'], result.seeds.map((s) => [s.id, s.ref, `${s.from} → ${s.to}`, s.time, `${s.amount} ${s.asset}`])));
  out.push('<h2>Endpoints</h2>', table(['category', 'account', 'labels', 'amount', 'per seed', 'first', 'last'], result.endpoints.map((e) => [e.category, `${e.rail}:${e.ident}`, e.labels.join('; '), `${e.amount} ${e.asset}`, Object.entries(e.bySeed).map(([k, v]) => `${k}: ${v}`).join(', '), e.first, e.last])));
  out.push('<h2>Freeze candidates</h2><p>Accounts still holding traced money. USDT can be frozen by Tether (contract given per chain); bank balances by the bank.</p>');
  out.push(table(['account', 'amount', 'USDT contract', 'per seed'], result.held.map((h) => [`${h.rail}:${h.ident}`, `${h.amount} ${h.asset}`, h.asset === 'USDT' ? (USDT_CONTRACTS[h.rail] ?? '') : '', Object.entries(h.bySeed).map(([k, v]) => `${k}: ${v}`).join(', ')])));
  out.push('<h2>Evidence chains</h2>');
  for (const endpointEdge of result.edges.filter((e) => e.outcome === 'endpoint')) {
    const endpoint = result.endpoints.find((e) => e.ident === endpointEdge.to && e.rail === endpointEdge.rail);
    out.push(`<h3>${escapeHtml(endpoint?.category ?? 'endpoint')} ${escapeHtml(endpointEdge.to)}${endpoint?.labels.length ? ` (${escapeHtml(endpoint.labels.join('; '))})` : ''}: ${escapeHtml(endpointEdge.traced)} ${escapeHtml(endpointEdge.asset)} in transfer ${endpointEdge.transfer}</h3>`);
    for (const [i, path] of pathsTo(endpointEdge, result.edges).entries()) out.push(`<p>Path ${i + 1}:</p>`, hopTable(path));
  }
  out.push('<h2>Totals</h2>', table(['asset', 'seeded', 'linked in', 'converted out', 'at endpoints', 'held', 'beyond hop limit', 'below threshold', 'unknown-source draws', 'unaccounted'], result.totals.byAsset.map((t) => [t.asset, t.seeded, t.linkedIn, t.convertedOut, t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unknownSourceDrawn, t.unaccounted])));
  out.push(`<p>${escapeHtml(result.rule === 'poison' ? 'Poison traces whole outflows: its totals can exceed the seeds, so the conservation line does not apply.' : `Conservation (seeded + linked in − converted out = endpoints + held + beyond + below): ${result.totals.conserved ? 'holds to the minor unit' : 'DOES NOT HOLD — see unaccounted'}.`)}</p>`);
  out.push('<h2>Appendix: every transfer that carried traced money</h2>', hopTable(result.edges));
  out.push('</body></html>', '');
  return out.join('\n');
}
