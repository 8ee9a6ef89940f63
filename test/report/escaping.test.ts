import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/writeReport.js';
import { HOSTILE_TAG_LABEL, hostileTrace } from '../support/reportFixtures.js';

/**
 * Every string of a report comes from an input someone else wrote: tag labels (TagPacks, TronScan
 * tags), file names, bank references, the seeds typed on the command line. A hostile one must show
 * as text in every format and never run (HTML), render as markup (Markdown) or compute (CSV).
 */

/** The tags and attributes the HTML writer itself emits; anything else came from an input. */
const OWN_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'h2',
  'h3',
  'p',
  'ul',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'code',
  'strong',
  'a',
  'div',
  'span',
  'svg',
  'defs',
  'marker',
  'path',
  'text',
  'g',
  'rect',
]);

describe('a hostile trace', () => {
  const trace = hostileTrace();

  it("HTML: only the writer's own tags, no event handlers, hostile strings as escaped text", () => {
    const html = writeReport(trace, 'html', { timestamp: null });
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/style&gt;&lt;script&gt;alert(4)&lt;/script&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &#39;single&#39; [x](javascript:alert(7)) | pipe');
    expect(html).toContain('exports/&lt;svg onload=alert(2)&gt;&quot;q&#39;&amp;amp;.csv');
    expect(html).toContain('/cases/&lt;b&gt;bold&lt;/b&gt;&amp;&quot;x&#39;.db');
    expect(html).toContain('REF&quot;&gt;&lt;img src=x onerror=alert(8)&gt;');
    expect(html).toContain('&lt;script&gt;alert(5)&lt;/script&gt;');
    expect(html).toContain('usdt:&lt;i&gt;tronscan&lt;/i&gt;');
    // Nothing is loaded from anywhere; the only URLs are block-explorer links.
    expect(html).not.toMatch(/<[^>]*\s(src|srcset|xlink:href)=|@import|url\((?!#)/i);
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!).every((href) => href.startsWith('https://tronscan.org/#/transaction/'))).toBe(true);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    );
  });

  it('Markdown: no raw angle bracket outside code spans, no live link, no broken table', () => {
    const md = writeReport(trace, 'md', { timestamp: null });
    // Code spans (the case file, the seeds as typed) show their content literally in CommonMark.
    expect(md).toContain('`/cases/<b>bold</b>&"x\'.db`');
    expect(md.replace(/(`+)[^`]*?\1/g, '')).not.toContain('<');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('"quoted" & \'single\' \\[x\\](javascript:alert(7)) \\| pipe');
    expect(md).toContain('REF"&gt;&lt;img src=x onerror=alert(8)&gt;');
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    // Every table row has as many unescaped pipes as its header.
    for (const table of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const [header, , ...rows] = table.split('\n');
      const cells = (line: string): number => line.split(/(?<!\\)\|/).length;
      for (const row of rows.filter((r) => r !== '')) expect(cells(row!), `${header}\n${row}`).toBe(cells(header!));
    }
  });

  it('CSV: formula prefixes = + - @ neutralised, quotes and separators intact', () => {
    const csv = writeReport(trace, 'csv', { timestamp: null });
    const [edgeTable, endpointTable] = csv.split('\n\n');
    const edges = parse(edgeTable!, { columns: true }) as Record<string, string>[];
    const endpoints = parse(endpointTable!, { columns: true }) as Record<string, string>[];
    expect(edges).toHaveLength(trace.edges.length);
    expect(endpoints[0]!.labels).toBe(
      `${HOSTILE_TAG_LABEL}; </style><script>alert(4)</script>; "quoted" & 'single' [x](javascript:alert(7)) | pipe; =HYPERLINK("http://evil","click"); +1+1; -2+3; @SUM(A1)`,
    );
    expect(edges[0]!.reference).toBe('REF"><img src=x onerror=alert(8)>');
    const all = parse(csv.replace(/\n\n/g, '\n'), { relax_column_count: true }) as string[][];
    for (const row of all) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    // A cell that is a formula becomes text: the ' prefix a spreadsheet shows and does not run.
    const formulaOnly = structuredClone(trace);
    formulaOnly.endpoints[0]!.labels = ['=HYPERLINK("http://evil","click")'];
    formulaOnly.edges[0]!.ref = '+SUM(1)';
    formulaOnly.edges[1]!.ref = '-1';
    formulaOnly.edges[2]!.ref = '@cmd';
    const csv2 = writeReport(formulaOnly, 'csv', { timestamp: null });
    expect(csv2).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(csv2).toContain(",'+SUM(1),");
    expect(csv2).toContain(",'-1,");
    expect(csv2).toContain(",'@cmd,");
  });
});
