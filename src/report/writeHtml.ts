import type { TraceResult } from '../model/trace.js';
import type { Block, Cell, Inline } from './document.js';
import { buildReportDocument, type ReportOptions } from './evidenceSections.js';
import { escapeHtml } from './html.js';
import { AccountRoles } from './reportModel.js';
import { REPORT_TITLE } from './reportSections.js';
import { CATEGORY_COLOURS, flowPages, svgPage } from './svgFlow.js';

/*
 * One self-contained file: inline style, an inline SVG, no script, nothing fetched. The Content
 * Security Policy forbids every fetch and every script, so even a string that escaped escaping
 * could not run or call out; links to block explorers are plain navigation, sent without referrer.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#1a1a1a}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:2px solid #ccc;padding-bottom:2px}h3{font-size:15px;margin-top:22px}
table{border-collapse:collapse;margin:8px 0 14px;width:100%}th,td{border:1px solid #c8c8c8;padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere;min-width:9ch}.n{white-space:nowrap}
th{background:#f0f0f0}table.wide{font-size:12px}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
a{color:#0b57d0}.diagram{overflow-x:auto;border:1px solid #ddd;padding:6px;margin-bottom:10px}.diagram h3{margin:2px 0 6px}.diagram svg{display:block;max-width:100%;height:auto}
.flow text{font:12px system-ui,sans-serif;fill:#fff}.flow text.name{font-weight:bold}.flow text.detail{font-size:11px}.flow text.ident{font:10px ui-monospace,"DejaVu Sans Mono",monospace}
.flow text.amount{font:11px ui-monospace,"DejaVu Sans Mono",monospace;fill:#263238;text-anchor:middle}.flow .label-bg{fill:#fff;stroke:#90a4ae;stroke-width:.6}.flow .label.conversion .label-bg{stroke:#00695c;stroke-width:1.2}.flow .label.conversion text{fill:#004d40}
.flow .edge{fill:none;stroke:#546e7a;stroke-opacity:.75}.flow .edge.conversion{stroke:#00695c;stroke-opacity:1;stroke-dasharray:7 4}
.legend span{display:inline-block;padding:1px 7px;margin:2px;color:#fff;border-radius:3px;font-size:12px}
@page{size:A4 landscape;margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:9pt}h2{break-after:avoid;page-break-after:avoid}h3{break-after:avoid;page-break-after:avoid}
tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}a{color:#000;text-decoration:none}
.diagram{overflow:visible;border:0;padding:0;break-inside:avoid;page-break-inside:avoid}.diagram+.diagram{break-before:page;page-break-before:always}.diagram svg{width:auto;height:auto;max-width:100%;max-height:165mm}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.flow,.legend span{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`;

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeHtml(part);
  if ('code' in part) return `<code>${escapeHtml(part.code)}</code>`;
  if ('strong' in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
  return `<a href="${escapeHtml(part.href)}" rel="noreferrer noopener">${escapeHtml(part.text)}</a>`;
}

/**
 * Figures, dates and times never break inside a cell: each is wrapped in a no-wrap span (the
 * escaped text is matched, so nothing but the span is added).
 */
const FIGURE =
  /(?<![\w.,:#&-])(?:\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?|≈?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?: [A-Z]{3,5}\b)?|≈?-?\d+\.\d+(?: [A-Z]{3,5}\b)?|\d+ [A-Z]{3,5}\b)(?![\w-])/g;
const noBreak = (escaped: string): string => escaped.replace(FIGURE, (figure) => `<span class="n">${figure}</span>`);

function cell(value: Cell): string {
  return typeof value === 'string' || typeof value === 'number'
    ? noBreak(escapeHtml(value))
    : value.map((part) => (typeof part === 'string' ? noBreak(escapeHtml(part)) : inline(part))).join('');
}

function diagram(result: TraceResult, roles: AccountRoles): string {
  const { pages, omitted } = flowPages(result, roles);
  if (pages.length === 0) return '<p>No traced money moved: nothing to draw.</p>';
  const kinds = [...new Set(pages.flatMap((p) => p.edges.flatMap((e) => [e.from, e.to]).map((k) => p.graph.nodes.get(k)!.kind)))].sort();
  const legend =
    kinds.map((k) => `<span style="background:${CATEGORY_COLOURS[k] ?? CATEGORY_COLOURS['intermediary']}">${escapeHtml(k)}</span>`).join('') +
    '<span style="background:#00695c">conversion (link), dashed</span>';
  const notes = [
    pages.length > 1
      ? `<p>The trace is drawn on ${pages.length} pages that each fit an A4 landscape sheet: first where each victim's money ended, then the paths, per group of victims and range of hops. Amounts on arrows are traced money (2 decimals); exact figures are in the tables and Appendix A.</p>`
      : '<p>Amounts on arrows are traced money (2 decimals); exact figures are in the tables and Appendix A.</p>',
    omitted > 0
      ? `<p>The diagram stops after ${pages.length} pages: ${omitted} further arrow${omitted === 1 ? ' is' : 's are'} not drawn; every hop is in Appendix A.</p>`
      : '',
  ].join('');
  const drawn = pages
    .map((page, i) => `<div class="diagram">\n<h3>Diagram ${i + 1} of ${pages.length}: ${escapeHtml(page.title)}</h3>\n${svgPage(page, i)}\n</div>`)
    .join('\n');
  return `<p class="legend">${legend}</p>${notes}\n${drawn}`;
}

function block(b: Block, result: TraceResult, roles: AccountRoles): string {
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
      return diagram(result, roles);
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
  const roles = new AccountRoles(result, options.names ?? null);
  const body = buildReportDocument(result, options).map((b) => block(b, result, roles));
  return [...head, ...body, '</body></html>', ''].join('\n');
}
