import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { hoptrace, tempDir } from '../support/cli.js';

describe('npx hoptrace demo', () => {
  it('builds the Golden Lotus case, traces it, and tells its story with the right figures', () => {
    const out = join(tempDir(), 'demo');
    const run = hoptrace(['demo', '--out', out, '--no-timestamp']);
    expect(run.status).toBe(0);
    for (const file of [
      'case.db',
      'trace-fifo.json',
      'trace-libr.json',
      'report-fifo.html',
      'report-fifo.md',
      'report-libr.html',
      'clusters.json',
      'trace-fifo.graphology.json',
    ])
      expect(existsSync(join(out, file)), file).toBe(true);
    const fifo = JSON.parse(readFileSync(join(out, 'trace-fifo.json'), 'utf8')) as TraceResult;
    const eur = fifo.totals.byAsset.find((t) => t.asset === 'EUR')!;
    const usdt = fifo.totals.byAsset.find((t) => t.asset === 'USDT')!;
    // The victims' bank payments: Anna 33,500 + Jonas 17,000 + Margaret 17,300 + David 17,200 + Sanne 13,000.
    expect(eur.seeded).toBe('98000.00');
    // FIFO by hand, per OTC invoice (traced euro × 1.08 USDT): Kevin 4471: 24,000 − 1,400 of his salary
    // = 22,600 → 24,408; Kevin 4502: 7,400 + 12,000 + 600 salary → 19,400 → 20,952; Daan 4480: 16,000 −
    // 1,500 refund → 14,500 → 15,660; Daan 4510: 17,500 → 18,900; Lukas 4490: 12,000 − 850 opening
    // balance → 11,150 → 12,042. Sum 91,962 USDT.
    expect(usdt.linkedIn).toBe('91962.000000');
    // Still in the mule accounts: Anna's last 8,500 (Kevin), David's 2,500 (Daan), Sanne's 1,850 (Lukas).
    expect(eur.held).toBe('12850.00');
    expect(usdt.seeded).toBe('50000.000000');
    expect(fifo.totals.conserved).toBe(true);
    expect(fifo.endpoints.map((e) => [e.category, e.amount])).toEqual([
      ['exchange', '30068.000000'],
      ['exchange', '25000.000000'],
      ['sanctioned', '10000.000000'],
      ['guarantee_market', '1600.000000'],
    ]);
    expect(fifo.endpoints.find((e) => e.category === 'sanctioned')!.ident).toBe('TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz');
    // Wallets still holding traced money carry the id of the operator cluster they belong to
    // (clusters.json): the Tron collection wallets in cluster 1, the Ethereum collector in 2.
    const clusters = JSON.parse(readFileSync(join(out, 'clusters.json'), 'utf8')) as { clusters: { id: number; accounts: { ident: string }[] }[] };
    const clusterOf = new Map(clusters.clusters.flatMap((c) => c.accounts.map((a) => [a.ident, c.id] as const)));
    const clustered = [...fifo.endpoints, ...fifo.held].filter((h) => h.cluster !== undefined);
    expect(clustered.map((h) => [h.ident, h.cluster])).toEqual(clustered.map((h) => [h.ident, clusterOf.get(h.ident)]));
    expect(clustered.map((h) => h.cluster).sort()).toEqual([1, 1, 1, 2]);
    expect([...fifo.endpoints, ...fifo.held].filter((h) => h.cluster === undefined && clusterOf.has(h.ident))).toEqual([]);
    const libr = JSON.parse(readFileSync(join(out, 'trace-libr.json'), 'utf8')) as TraceResult;
    expect(libr.endpoints.map((e) => [e.category, e.amount])).toEqual([
      ['guarantee_market', '16266.000000'],
      ['exchange', '10000.000000'],
    ]);
    // Where the money rests (DESIGN rule 10): only the mules, whose own statements are in the case,
    // are freeze candidates, as of their statements' last line; the wallets were only seen as
    // counterparties of the exports, and under LIBR the landlord paid €900 rent by a mule too.
    const classes = (t: TraceResult) =>
      t.held.map((h) => [h.ident, h.amount, h.history.class === 'in-case' ? `${h.history.basis} until ${h.history.until}` : `last seen ${h.history.lastSeen}`]);
    expect(classes(fifo)).toEqual([
      ['TYaR4cFtrJgk4idVZbKdcVsWGMWJNgQHir', '31012.000000', 'last seen 2025-04-09T10:00:00.000Z'],
      ['TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK', '19082.000000', 'last seen 2025-04-09T10:00:00.000Z'],
      ['0xfE333a7037438911fF2Bd91FA55b5DD35982ACE2', '15000.000000', 'last seen 2025-04-05T09:00:00.000Z'],
      ['0xF8413F12A2482e013eABb9ef9F9F4bF37A6E3ce2', '10000.000000', 'last seen 2025-04-05T09:00:00.000Z'],
      ['TQ5oHJtRXKV5rKw6jqq1zSsYuHX9CT11Wm', '100.000000', 'last seen 2025-04-07T11:00:00.000Z'],
      ['TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu', '100.000000', 'last seen 2025-04-06T14:00:00.000Z'],
      ['DE29100100100987654321', '8500.00', 'bank-statement until 2025-04-07T00:00:00.000Z'],
      ['NL36INGB0007654321', '2500.00', 'bank-statement until 2025-04-05T00:00:00.000Z'],
      ['DE73200411330112233445', '1850.00', 'bank-statement until 2025-03-25T00:00:00.000Z'],
    ]);
    expect(classes(libr).find(([ident]) => ident === 'DE68100500000445566778')).toEqual([
      'DE68100500000445566778',
      '900.00',
      'last seen 2025-04-07T00:00:00.000Z',
    ]);
    // What each victim paid does not depend on the rule.
    expect(libr.seeds.map((s) => s.paid)).toEqual(fifo.seeds.map((s) => s.paid));
    const html = readFileSync(join(out, 'report-fifo.html'), 'utf8');
    expect(html).toContain('Freeze candidates');
    expect(html).toContain('<svg');
    expect(run.stdout).toContain('victim DE68500105174417320965: paid 33500.00 EUR in 3 payments');
    // Twice with --no-timestamp: the same report, but for what names the case file itself (its
    // SHA-256 and its audit log's head: the two case files were built at different times).
    const again = join(tempDir(), 'demo');
    expect(hoptrace(['demo', '--out', again, '--no-timestamp']).status).toBe(0);
    const caseNeutral = (text: string): string => text.replace(/(case\.db`, SHA-256 `)[0-9a-f]+/, '$1').replace(/(Audit log head: `)[0-9a-f]{64}/, '$1');
    expect(caseNeutral(readFileSync(join(again, 'report-fifo.md'), 'utf8')).replaceAll(again, out)).toBe(
      caseNeutral(readFileSync(join(out, 'report-fifo.md'), 'utf8')),
    );
  });
});
