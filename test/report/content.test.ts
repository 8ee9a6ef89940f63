import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { writeReport } from '../../src/report/writeReport.js';
import { ADDRESS, loadFixtureTrace, positions, txHash } from '../support/reportFixtures.js';

/**
 * The reports of the hand-worked mule ledger (test/fixtures/hoptrace-made/report/README.md):
 * every expected figure below is from that worked example, not from running the writers.
 */
const fifo = loadFixtureTrace('fifo');
const proRata = loadFixtureTrace('pro-rata');
const md = (trace: TraceResult): string => writeReport(trace, 'md', { timestamp: null });
const tronscan = (row: Parameters<typeof txHash>[0]): string => `https://tronscan.org/#/transaction/${txHash(row)}`;
/** Each victim payment by victim, date and reference (the victims are unnamed wallets: shortened). */
const P2 = `TE5Pa3sD…LzRc, 2025-04-01, ${txHash('t2').slice(0, 10)}…`;
const P4 = `TFYGBy4P…xuJw, 2025-04-01, ${txHash('t4').slice(0, 10)}…`;
const E = `&lt;img src=x onerror=alert(1)&gt; — ${ADDRESS.E} (exchange: Exchange "Nine" &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;)`;

describe('Markdown report of the FIFO trace', () => {
  const report = md(fifo);

  it('has the sections in the documented order', () => {
    const at = positions(report, [
      '# hoptrace evidence-chain report',
      '## Method: tracing rule, legal source and limitations',
      '## Sources',
      '## Summary per victim',
      '## Flow diagram',
      '## Freeze candidates',
      '## Evidence chains',
      '## Evidence chains to freeze candidates and follow-ups',
      '## Checks',
      '## Appendix A: every transfer that carried traced money',
      '## Appendix B: traced money per account',
    ]);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('heads with the case file hash, the tool and version, the rule and parameters, and no date', () => {
    expect(report).toContain('- Case file: `case.db`, SHA-256 `164580edb927dd3fef1a87e623d2cac9a01aa71b8853daff16bbb6263ebadeed`');
    expect(report).toContain('- Tool: hoptrace 0.1.0');
    expect(report).toContain('- Rule: **fifo**; max hops: none; min amount: none; until: none; stop at degree: none');
    expect(report).toContain(`- Seeds as given: \`${txHash('t2')}\`, \`${txHash('t4')}\``);
    expect(report).not.toContain('Generated:');
  });

  it("names the rule's legal source and the limitations", () => {
    expect(report).toContain("Clayton's Case (Devaynes v Noble (1816) 1 Mer 572)");
    expect(report).toContain('Limitations:');
    expect(report).toContain('A label is attribution, not proof of ownership.');
    // DESIGN rule 6 and the tie-breaks, in the method section a court reads.
    const method = report.slice(report.indexOf('## Method'), report.indexOf('## Sources'));
    expect(method).toContain(
      '(a) if its hop would pass the hop limit (--max-hops) it stops there, counted as beyond the hop limit, even where the recipient is an exchange or another endpoint;',
    );
    expect(method).toContain(
      '(c) if an exchange or OTC return links the payment to a crypto transfer, it is carried into that transfer, even where the recipient is an endpoint;',
    );
    expect(method).toContain('the linked lots arrive in the order the fiat payment was cut');
  });

  it('lists every input source with its SHA-256, size and rows (without the case file, the rows the trace records)', () => {
    for (const s of fifo.sources)
      expect(report).toContain(
        `| ${s.path} | \`${s.sha256}\` | ${s.size.toLocaleString('en-US')} | ${s.adapter} | ${s.rows} row${s.rows === 1 ? '' : 's'} | 0 |`,
      );
  });

  it('sums up per victim: paid, reached the exchange, still held', () => {
    expect(report).toContain(`| tron:${ADDRESS.V1} | ${P2} | 3,000.00 USDT | exchange: 1,200.00 USDT | 1,800.00 USDT | — | — |`);
    expect(report).toContain(`| tron:${ADDRESS.V2} | ${P4} | 2,000.00 USDT | — | 2,000.00 USDT | — | — |`);
  });

  it("lists no freeze candidate where the case lacks the holder's own history, and each holder to follow up, largest first", () => {
    // The TronScan export has no address in every row: it is no one's own history (DESIGN rule 10).
    expect(report).toContain('No account whose history the case holds still holds traced money.');
    expect(report).toContain('### Follow up: history not in the case');
    const rows = [
      `| ${ADDRESS.W2} | — | tron | USDT | 1,800.000000 | 2025-04-01 13:00:00 | ${P2}: 300.000000; ${P4}: 1,500.000000 |`,
      `| ${ADDRESS.W1} | — | tron | USDT | 1,500.000000 | 2025-04-01 10:00:00 | ${P2}: 1,500.000000 |`,
      `| ${ADDRESS.M} | — | tron | USDT | 500.000000 | 2025-04-01 12:00:00 | ${P4}: 500.000000 |`,
    ];
    const at = positions(report, rows);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('gives the evidence chain to the exchange hop by hop: victim → M → W2 → E, with links, figures and lines', () => {
    const chain = report.slice(report.indexOf('## Evidence chains'), report.indexOf('## Evidence chains to freeze candidates'));
    expect(chain).toContain(`### exchange: ${E} — 1,200.000000 USDT`);
    expect(chain).toContain(`Path 1 of 1 (money of ${P2}), 3 hops:`);
    const hops = positions(chain, [
      `| 1 | ${ADDRESS.V1} (victim) → ${ADDRESS.M} (last seen here) | 2025-04-01 09:00:00 | [${txHash('t2')}](${tronscan('t2')}) | 3,000.000000 USDT | 3,000.000000 (${P2}: 3,000.000000) | victim's payment (${P2}): 3,000.000000 traced | mule-ledger.tronscan.csv:3 |`,
      `| 2 | ${ADDRESS.M} (last seen here) → ${ADDRESS.W2} (last seen here) | 2025-04-01 12:00:00 | [${txHash('t5')}](${tronscan('t5')}) | 3,000.000000 USDT | 3,000.000000 (${P2}: 1,500.000000; and 1 other victim payment, see Appendix A) | balance before 3,500.000000; traced before 3,500.000000; fifo: carried 3,000.000000; traced left 500.000000 | mule-ledger.tronscan.csv:6 |`,
      `| 3 | ${ADDRESS.W2} (last seen here) → ${E} | 2025-04-01 13:00:00 | [${txHash('t6')}](${tronscan('t6')}) | 1,200.000000 USDT | 1,200.000000 (${P2}: 1,200.000000) | balance before 3,000.000000; traced before 3,000.000000; fifo: carried 1,200.000000; traced left 1,800.000000 | mule-ledger.tronscan.csv:7 |`,
    ]);
    expect(hops).toEqual([...hops].sort((a, b) => a - b));
  });

  it('spells out the arithmetic in Appendix A, so each traced figure can be recomputed', () => {
    const appendix = report.slice(report.indexOf('## Appendix A'));
    expect(appendix).toContain(
      `| 3 | 2 | ${ADDRESS.M} (last seen here) → ${ADDRESS.W1} (last seen here) | 2025-04-01 10:00:00 | [${txHash('t3')}](${tronscan('t3')}) | 2,500.000000 USDT | 1,500.000000 (${P2}: 1,500.000000) | balance 4,000.000000, traced 3,000.000000, untraced 1,000.000000; fifo cuts the oldest lots first → carries 1,500.000000 (${P2}: 1,500.000000); leaves 3,000.000000 − 1,500.000000 = 1,500.000000 | mule-ledger.tronscan.csv:4 | carried | ok |`,
    );
    // Appendix B: M's running traced balance per victim payment, line by line.
    expect(appendix).toContain(
      `| 5 | 2025-04-01 12:00:00 | out | ${ADDRESS.W2} (last seen here) | [${txHash('t5')}](${tronscan('t5')}) | ${P2}: 1,500.000000; ${P4}: 1,500.000000 | ${P4}: 500.000000 |`,
    );
    expect(report).toContain('Result: every figure agrees.');
  });
});

describe('Markdown report of the pro-rata trace', () => {
  const report = md(proRata);

  it('writes the rolling charge per victim at each hop, with its legal source', () => {
    expect(report).toContain('Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA)'.replace(/[[\]]/g, '\\$&'));
    expect(report).toContain(
      `${P2}: 3,000.000000 × 1,125.000000 ÷ 3,500.000000 = 964.285714; ${P4}: 3,000.000000 × 2,000.000000 ÷ 3,500.000000 = 1,714.285714 → carries 2,678.571428; leaves 3,125.000000 − 2,678.571428 = 446.428572`,
    );
    expect(report).toContain(
      `${P2}: 1,200.000000 × 964.285714 ÷ 3,000.000000 = 385.714285; ${P4}: 1,200.000000 × 1,714.285714 ÷ 3,000.000000 = 685.714285 → carries 1,071.428570`,
    );
    expect(report).toContain('| tron:TT5KmRkH7rQieGc9v9uCEk68wMZhdDdbnw |');
    // The summary rounds to 2 decimals and says so ("≈"); the freeze table and appendices stay exact.
    expect(report).toContain(`| ≈1,071.43 USDT | ${P2}: ≈385.71; ${P4}: ≈685.71 |`);
    expect(report).toContain(`| 1,200.000000 USDT | 1,071.428570 (${P2}: 385.714285; ${P4}: 685.714285) |`);
    expect(report).toContain('Result: every figure agrees.');
  });

  it('lists two paths to the exchange, one per victim', () => {
    expect(report).toContain(`Path 1 of 2 (money of ${P2}), 3 hops:`);
    expect(report).toContain(`Path 2 of 2 (money of ${P4}), 3 hops:`);
  });
});

describe('re-checking a trace that does not add up', () => {
  it('names the transfer and the broken arithmetic', () => {
    const tampered = structuredClone(fifo);
    const t5 = tampered.edges.find((e) => e.transfer === 5)!;
    t5.allocation!.tracedLeft = '600.000000';
    tampered.held.find((h) => h.ident === ADDRESS.M)!.amount = '600.000000';
    const report = md(tampered);
    expect(report).toContain('Checks: 2 inconsistencies found — see "Checks"');
    expect(report).toContain('- transfer 5: traced before − carried = 500.000000, not the 600.000000 left');
    expect(report).toContain('- totals: USDT held: the totals say 3,800.000000, the tables add up to 3,900.000000');
  });

  it('catches a pro-rata share that is not the rolling charge', () => {
    const tampered = structuredClone(proRata);
    const t6 = tampered.edges.find((e) => e.transfer === 6)!;
    t6.bySeed = { '2': '385.714286', '4': '685.714284' };
    const report = md(tampered);
    // One unit more for seed 2 is the rounding rule's leeway; one unit less for seed 4 is not.
    expect(report).toContain(`- transfer 6: ${P4}: pro-rata gives 685.714285, the trace carries 685.714284`);
    expect(report).not.toContain(`${P2}: pro-rata gives`);
  });
});

describe('block-explorer links', () => {
  it('link Ethereum hashes to Etherscan, and never a reference that is not a hash', () => {
    const eth = structuredClone(fifo);
    const hash = `0x${txHash('t2')}`;
    eth.edges[0]!.rail = 'ethereum';
    eth.edges[0]!.ref = hash;
    eth.edges[1]!.rail = 'ethereum';
    eth.edges[1]!.ref = '0xabc) [x](javascript:alert(1)';
    const report = md(eth);
    expect(report).toContain(`[${hash}](https://etherscan.io/tx/${hash})`);
    // Only an escaped bracket precedes the would-be link target: Markdown shows it as text.
    expect(report).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(report).toContain('0xabc) \\[x\\](javascript:alert(1)');
  });

  it('give a bank reference as text', () => {
    const bank = structuredClone(fifo);
    bank.edges[0]!.rail = 'bank';
    bank.edges[0]!.ref = 'NL-DV-0307';
    expect(md(bank)).toContain('| NL-DV-0307 |');
  });
});
