import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';

/**
 * The demo's reports as a prosecutor reads them: people and firms by the names their statements
 * and tags give (samples/bank/*.csv holder columns, samples/attribution/demo-tags.csv, the OFAC
 * starter list), each payment by victim, date and reference, figures with separators, bank
 * bookings as dates, and the Sources table saying what each file stored.
 */
let md: string;
let html: string;
let dir: string;

beforeAll(() => {
  dir = tempDir('hoptrace-demo-report-');
  expect(hoptrace(['demo', '--out', join(dir, 'demo'), '--no-timestamp']).status).toBe(0);
  md = readFileSync(join(dir, 'demo', 'report-fifo.md'), 'utf8');
  html = readFileSync(join(dir, 'demo', 'report-fifo.html'), 'utf8');
});

describe("the demo's report names people, payments and places", () => {
  it('names each victim as their statement does, and each payment by victim, date and reference', () => {
    // samples/bank/mule-kevin-schulz.csv: Anna Becker paid DE-KS-0305-1 on 2025-03-05, DE-KS-0319-1, DE-KS-0402-1; €33,500 in all (samples/README.md).
    expect(md).toContain(
      '| Anna Becker — bank:DE68500105174417320965 | Anna Becker, 2025-03-05, DE-KS-0305-1; Anna Becker, 2025-03-19, DE-KS-0319-1; Anna Becker, 2025-04-02, DE-KS-0402-1 | 33,500.00 EUR |',
    );
    expect(md).toContain(
      '| Anna Becker, 2025-03-05, DE-KS-0305-1 | DE-KS-0305-1 | Anna Becker — DE68500105174417320965 (victim) → Kevin Schulz (mule account) — DE29100100100987654321 (freeze candidate) | 2025-03-05 | 10,000.00 EUR |',
    );
    expect(md).not.toMatch(/\bseed \d/);
  });

  it('names the endpoints and the converter by their tag labels, in the tables and the hop tables', () => {
    expect(md).toMatch(/\| exchange \| Exchange One hot wallet \(invented\) \| tron:TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT \| [\d,.]+ USDT \|/);
    expect(md).toMatch(/\| sanctioned \| CHEIL CREDIT BANK \(OFAC SDN USDT; DPRK4\) \| tron:TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz \| 10,000.00 USDT \|/);
    expect(md).toContain('→ Golden Lotus Trading GmbH (OTC desk, invented) — DE80700700100777888999 (otc) |');
    expect(md).toContain('### sanctioned: CHEIL CREDIT BANK (OFAC SDN USDT; DPRK4) — TA3941uFAvmVibSkQ6fMJXxmaSNovX86mz (sanctioned) — 10,000.000000 USDT');
  });

  it('writes figures with separators, bank bookings as dates, and keeps figures and times whole in HTML cells', () => {
    expect(md).not.toMatch(/(?<![\w,.])\d{4,}\.\d+/);
    expect(md).not.toContain('T00:00:00.000Z');
    expect(html).toContain('.n{white-space:nowrap}');
    expect(html).toContain('<td><span class="n">33,500.00 EUR</span></td>');
    expect(html).toMatch(/<td><span class="n">2025-03-20 10:00:00<\/span><\/td>/);
  });

  it('counts in Sources what each file stored: transfers, tags, links', () => {
    expect(md).toMatch(/mule-kevin-schulz\.csv \| `[0-9a-f]{64}` \| 1,296 \| bank:generic \| 11 transfers; 1 opening balance \| 0 \|/);
    expect(md).toMatch(/victim-sanne-de-vries-ing-nl\.csv \| `[0-9a-f]{64}` \| [\d,]+ \| bank:ing-nl \| 2 transfers already stored from another file \| 0 \|/);
    expect(md).toMatch(/golden-lotus-otc-return\.csv \| `[0-9a-f]{64}` \| [\d,]+ \| links:csv \| 5 links \| 0 \|/);
    expect(md).toMatch(/ofac-sdn-2025-11-19\.csv \| `[0-9a-f]{64}` \| [\d,]+ \| tags:csv \| 189 tags \| 0 \|/);
    expect(md).toMatch(/demo-tags\.csv \| `[0-9a-f]{64}` \| [\d,]+ \| tags:csv \| 9 tags \| 0 \|/);
    expect(md).not.toMatch(/\| rows? 0 \|/);
  });
});
