import { HoptraceError } from '../model/errors.js';
import { escapeHtml } from '../report/html.js';

/** The placeholders a request template may use; any other `{{name}}` is an error naming its line. */
export const TEMPLATE_FIELDS = [
  'title',
  'recipient',
  'date',
  'rule',
  'trace_file',
  'trace_sha256',
  'trace_sha256_short',
  'case_sha256',
  'items',
  'total',
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export interface LetterTable {
  header: string[];
  rows: string[][];
}

/** Checks a template once: every `{{name}}` known, `{{items}}` on a line of its own. */
export function checkTemplate(text: string, path: string): void {
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1]!)) {
        throw new HoptraceError(`unknown placeholder {{${m[1]}}}`, {
          file: path,
          line: i + 1,
          hint: `use ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(', ')}`,
        });
      }
      if (m[1] === 'items' && line.trim() !== m[0])
        throw new HoptraceError('{{items}} must stand on a line of its own (it becomes a table)', { file: path, line: i + 1 });
    }
  });
}

function fill(line: string, values: Record<Exclude<TemplateField, 'items'>, string>): string {
  return line.replace(/\{\{\s*([a-z_0-9]+)\s*\}\}/g, (_, name: string) => values[name as Exclude<TemplateField, 'items'>] ?? '');
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(template: string, values: Record<Exclude<TemplateField, 'items'>, string>, table: LetterTable): string {
  const out: string[] = [];
  for (const line of template.split('\n')) {
    if (line.trim() === '{{items}}') {
      out.push(`| ${table.header.join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`);
      for (const row of table.rows) out.push(`| ${row.map(mdCell).join(' | ')} |`);
    } else out.push(fill(line, values));
  }
  return out.join('\n');
}

/**
 * The same letter as a self-contained HTML page. A template is Markdown of headings (`#`) and
 * paragraphs, with `code` spans: that is all this renders (no raw HTML passes through).
 */
export function renderHtml(template: string, values: Record<Exclude<TemplateField, 'items'>, string>, table: LetterTable, title: string): string {
  const inline = (s: string): string => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
  const body: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) body.push(`<p>${paragraph.join('<br>\n')}</p>`);
    paragraph = [];
  };
  for (const line of template.split('\n')) {
    if (line.trim() === '{{items}}') {
      flush();
      body.push(`<table><thead><tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`);
      for (const row of table.rows) body.push(`<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
      body.push('</tbody></table>');
      continue;
    }
    const filled = fill(line, values);
    const heading = /^(#{1,3}) (.*)$/.exec(filled);
    if (heading) {
      flush();
      body.push(`<h${heading[1]!.length}>${inline(heading[2]!)}</h${heading[1]!.length}>`);
    } else if (filled.trim() === '') flush();
    else paragraph.push(inline(filled));
  }
  flush();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #999;padding:.2rem .4rem;vertical-align:top}td:nth-child(4){white-space:nowrap}</style>
</head><body>
${body.join('\n')}
</body></html>
`;
}
