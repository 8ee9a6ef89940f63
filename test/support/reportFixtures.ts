import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TraceResult } from '../../src/model/trace.js';
import { fixture } from './cli.js';

/**
 * The hand-worked mule ledger of test/fixtures/hoptrace-made/report (README.md there): names,
 * addresses and hashes as the fixture maker made them, so tests can state expected figures
 * without running the code under test.
 */
export const REPORT_FIXTURES = fixture('hoptrace-made', 'report');

export const ADDRESS = {
  X: 'TXun7E7hRpDvG9JZKhCZn1mwq7nPeDc93T',
  V1: 'TE5Pa3sDXWQLLWBJMwgrc2x9x9xEvhLzRc',
  V2: 'TFYGBy4PGE48ecx94DwvpMf5oewjSyxuJw',
  M: 'TLaSeTrpwHonfQho54BpmqYTuHUY2EZRBM',
  W1: 'TG5zTEmuVWCVbvi5PPPPTEGt3rWDPKwctr',
  W2: 'TJj89igiSeGwVt6WNpSe34jA6GdtAspVuw',
  E: 'TT5KmRkH7rQieGc9v9uCEk68wMZhdDdbnw',
} as const;

/** sha256("hoptrace-made report tN"), as the fixture maker names the ledger's transactions. */
export function txHash(row: 't1' | 't2' | 't3' | 't4' | 't5' | 't6'): string {
  return createHash('sha256').update(`hoptrace-made report ${row}`).digest('hex');
}

export const HOSTILE_TAG_LABEL = '<img src=x onerror=alert(1)>';

export function loadFixtureTrace(rule: 'fifo' | 'pro-rata'): TraceResult {
  return JSON.parse(readFileSync(fixture('hoptrace-made', 'report', `trace-${rule}.json`), 'utf8')) as TraceResult;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Index of each needle in the text, failing the test when one is missing or out of order. */
export function positions(text: string, needles: readonly string[]): number[] {
  return needles.map((needle) => {
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`missing: ${needle}`);
    return at;
  });
}

/** The FIFO fixture with a hostile string in every field an input can fill: labels, files, references, seeds. */
export function hostileTrace(): TraceResult {
  const trace = loadFixtureTrace('fifo');
  const file = 'exports/<svg onload=alert(2)>"q\'&amp;.csv';
  trace.case.path = '/cases/<b>bold</b>&"x\'.db';
  trace.case.version = '0.1.0<script>alert(6)</script>';
  trace.params.seeds = ['<script>alert(5)</script>', trace.params.seeds[1]!];
  trace.sources[0]!.path = file;
  trace.sources[0]!.adapter = 'usdt:<i>tronscan</i>';
  for (const e of trace.edges) e.source.path = file;
  trace.endpoints[0]!.labels = [
    HOSTILE_TAG_LABEL,
    '</style><script>alert(4)</script>',
    `"quoted" & 'single' [x](javascript:alert(7)) | pipe`,
    '=HYPERLINK("http://evil","click")',
    '+1+1',
    '-2+3',
    '@SUM(A1)',
  ];
  trace.endpoints[0]!.category = 'exchange<script>' as TraceResult['endpoints'][number]['category'];
  // A bank hop with a hostile reference.
  trace.edges[0]!.rail = 'bank';
  trace.seeds[0]!.rail = 'bank';
  trace.edges[0]!.ref = 'REF"><img src=x onerror=alert(8)>';
  trace.seeds[0]!.ref = trace.edges[0]!.ref;
  return trace;
}
