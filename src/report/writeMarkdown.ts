import type { TraceResult } from '../model/trace.js';
import type { Block, Cell, Inline } from './document.js';
import { buildReportDocument, type ReportOptions } from './evidenceSections.js';

export type { ReportOptions } from './evidenceSections.js';

/**
 * Markdown text: every character that could become markup is escaped, so a hostile label
 * (`<img onerror=…>`, `[x](javascript:…)`, a pipe that breaks a table) shows as the text it is,
 * raw or rendered. Underscores inside words are left alone (identifiers stay greppable).
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*[\]|~]/g, '\\$&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span long enough to hold any backticks in the text (CommonMark). */
function codeSpan(value: string): string {
  const text = value.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function inline(part: Inline): string {
  if (typeof part === 'string') return markdownText(part);
  if ('code' in part) return codeSpan(part.code);
  if ('strong' in part) return `**${markdownText(part.strong)}**`;
  return `[${markdownText(part.text)}](${part.href})`;
}

function cell(value: Cell): string {
  return typeof value === 'string' || typeof value === 'number' ? markdownText(String(value)) : value.map(inline).join('');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${markdownText(b.text)}`;
    case 'paragraph':
      return b.inlines.map(inline).join('');
    case 'list':
      return b.items.map((item) => `- ${item.map(inline).join('')}`).join('\n');
    case 'table':
      return [
        `| ${b.headers.map(markdownText).join(' | ')} |`,
        `|${b.headers.map(() => '---').join('|')}|`,
        ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
      ].join('\n');
    case 'diagram':
      return 'The flow diagram (accounts by hop, coloured by category, curves as wide as the traced money) is drawn in the HTML report: `hoptrace report TRACE.json --format html`.';
  }
}

export function writeMarkdown(result: TraceResult, options: ReportOptions): string {
  return buildReportDocument(result, options).map(block).join('\n\n') + '\n';
}
