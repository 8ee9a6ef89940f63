import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/writeReport.js';
import { compareTraces } from '../../src/trace/compare.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { ADDRESS, loadFixtureTrace, REPORT_FIXTURES } from '../support/reportFixtures.js';

/** The hand-worked FIFO and pro-rata traces of the mule ledger (test/fixtures/hoptrace-made/report). */
describe('Sensitivity to the tracing rule', () => {
  it("tabulates per victim and endpoint each rule's figure, the spread, and the largest spread", () => {
    const comparison = compareTraces([loadFixtureTrace('fifo'), loadFixtureTrace('pro-rata')]);
    const md = writeReport(loadFixtureTrace('fifo'), 'md', { timestamp: null, comparison });
    const section = md.slice(md.indexOf('## Sensitivity to the tracing rule'), md.indexOf('## Flow diagram'));
    expect(section).toContain('| victim: outcome | asset | fifo | pro-rata | spread |');
    // Figures with thousands separators, as everywhere in the report (docs/reports.md, "Figures").
    expect(section).toContain(`| tron:${ADDRESS.V1}: at endpoints | USDT | 1,200.000000 | 385.714285 | 814.285715 (largest) |`);
    expect(section).toContain(`| tron:${ADDRESS.V2}: held | USDT | 2,000.000000 | 1,314.285715 | 685.714285 |`);
    expect(section).toContain('| 1,200.000000 | 1,071.428570 | 128.571430 (largest) |');
    // Without other traces the section is absent.
    expect(writeReport(loadFixtureTrace('fifo'), 'md', { timestamp: null })).not.toContain('Sensitivity to the tracing rule');
  });

  it('hoptrace report FIFO.json PRO-RATA.json adds the section; the JSON report carries the comparison', () => {
    const dir = tempDir();
    const files = [join(REPORT_FIXTURES, 'trace-fifo.json'), join(REPORT_FIXTURES, 'trace-pro-rata.json')];
    const md = hoptrace(['report', ...files, '--out', join(dir, 'r.md'), '--no-timestamp']);
    expect(md.status, md.stderr).toBe(0);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('## Sensitivity to the tracing rule');
    expect(hoptrace(['report', ...files, '--out', join(dir, 'r.json'), '--no-timestamp']).status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { report: { sensitivity: { rules: string[] } } };
    expect(json.report.sensitivity.rules).toEqual(['fifo', 'pro-rata']);
  });

  it('names victims and endpoints as the rest of the report does (the demo case: holder names, tag labels)', () => {
    const dir = tempDir();
    expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
    const db = join(dir, 'demo', 'case.db');
    const run = hoptrace([
      '--db',
      db,
      'trace',
      'account:DE68500105174417320965',
      '--rule',
      'pro-rata',
      '--report',
      join(dir, 's.md'),
      '--compare',
      'fifo',
      '--no-timestamp',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const md = readFileSync(join(dir, 's.md'), 'utf8');
    const section = md.slice(md.indexOf('## Sensitivity to the tracing rule'), md.indexOf('## Flow diagram'));
    expect(section).toContain('| Anna Becker — bank:DE68500105174417320965: at endpoints | USDT | 16,877.976438 | 19,008.000000 | 2,130.023562 |');
    expect(section).toContain(
      '| exchange: Exchange One hot wallet (invented) — TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT (exchange) | USDT | 7,570.147461 | 19,008.000000 | 11,437.852539 (largest) |',
    );
  });

  it('refuses a second trace of the same rule', () => {
    const file = join(REPORT_FIXTURES, 'trace-fifo.json');
    const run = hoptrace(['report', file, file, '--out', join(tempDir(), 'r.md')]);
    expect([run.status, run.stderr]).toEqual([1, 'hoptrace: a rule is given twice: fifo, fifo\n']);
  });
});
