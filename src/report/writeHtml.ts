import type { TraceResult } from '../model/trace.js';
import type { Block, Cell, Inline } from './document.js';
import { buildReportDocument, type ReportOptions } from './evidenceSections.js';
import { escapeHtml } from './html.js';
import { REPORT_TITLE } from './reportSections.js';
import { CATEGORY_COLOURS, flowLayout, svgFlow } from './svgFlow.js';

/*
 * One self-contained file: inline style, an inline SVG, no script, nothing fetched. The Content
 * Security Policy forbids every fetch and every script, so even a string that escaped escaping
 * could not run or call out; links to block explorers are plain navigation, sent without referrer.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#1a1a1a}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:2px solid #ccc;padding-bottom:2px}h3{font-size:15px;margin-top:22px}
table{border-collapse:collapse;margin:8px 0 14px;width:100%}th,td{border:1px solid #c8c8c8;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;min-width:9ch}
th{background:#f0f0f0}table.wide{font-size:12px}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
a{color:#0b57d0}.diagram{overflow-x:auto;border:1px solid #ddd;padding:6px}
.flow text{font:12px system-ui,sans-serif;fill:#fff}.flow text.column{fill:#333;font-weight:bold}.flow text.amount{fill:#263238;font-size:11px;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
.flow .edge{fill:none;stroke:#546e7a;stroke-opacity:.6}
.legend span{display:inline-block;padding:1px 7px;margin:2px;color:#fff;border-radius:3px;font-size:12px}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:9pt}h2{break-after:avoid;page-break-after:avoid}h3{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}a{color:#000;text-decoration:none}
.diagram{overflow:visible;border:0}.diagram svg{max-width:100%;height:auto}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.flow,.legend span{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeHtml(part);
  if ('code' in part) return `<code>${escapeHtml(part.code)}</code>`;
  if ('strong' in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
  return `<a href="${escapeHtml(part.href)}" rel="noreferrer noopener">${escapeHtml(part.text)}</a>`;
}

function cell(value: Cell): string {
  return typeof value === 'string' || typeof value === 'number' ? escapeHtml(value) : value.map(inline).join('');
}

function diagram(result: TraceResult): string {
  const layout = flowLayout(result);
  const kinds = [...new Set(layout.nodes.map((n) => n.kind))].sort();
  const legend = kinds.map((k) => `<span style="background:${CATEGORY_COLOURS[k] ?? CATEGORY_COLOURS['intermediary']}">${escapeHtml(k)}</span>`).join('');
  const note = layout.omitted > 0 ? `<p>The diagram shows ${layout.nodes.length} of ${layout.nodes.length + layout.omitted} accounts (victims, endpoints, freeze candidates and the accounts carrying the most traced money); every hop is in Appendix A.</p>` : '';
  return `<p class="legend">${legend}</p>${note}\n<div class="diagram">\n${svgFlow(result)}\n</div>`;
}

function block(b: Block, result: TraceResult): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${b.inlines.map(inline).join('')}</p>`;
    case 'list':
      return `<ul>${b.items.map((item) => `<li>${item.map(inline).join('')}</li>`).join('')}</ul>`;
    case 'table':
      return `<table${b.wide ? ' class="wide"' : ''}><thead><tr>${b.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>\n${b.rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody></table>`;
    case 'diagram':
      return diagram(result);
  }
}

export function writeHtml(result: TraceResult, options: ReportOptions): string {
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(REPORT_TITLE)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
  ];
  const body = buildReportDocument(result, options).map((b) => block(b, result));
  return [...head, ...body, '</body></html>', ''].join('\n');
}
