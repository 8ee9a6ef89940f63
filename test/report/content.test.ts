import { describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { writeReport } from '../../src/report/writeReport.js';
import { flowLayout } from '../../src/report/svgFlow.js';
import { ADDRESS, HOSTILE_TAG_LABEL, loadFixtureTrace, positions, txHash } from './reportFixtures.js';

/**
 * The reports of the hand-worked mule ledger (test/fixtures/hoptrace-made/report/README.md):
 * every expected figure below is from that worked example, not from running the writers.
 */
const fifo = loadFixtureTrace('fifo');
const proRata = loadFixtureTrace('pro-rata');
const md = (trace: TraceResult): string => writeReport(trace, 'md', { timestamp: null });
const tronscan = (row: Parameters<typeof txHash>[0]): string => `https://tronscan.org/#/transaction/${txHash(row)}`;

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
    expect(method).toContain('(a) if its hop would pass the hop limit (--max-hops) it stops there, counted as beyond the hop limit, even where the recipient is an exchange or another endpoint;');
    expect(method).toContain('(c) if an exchange or OTC return links the payment to a crypto transfer, it is carried into that transfer, even where the recipient is an endpoint;');
    expect(method).toContain('the linked lots arrive in the order the fiat payment was cut');
  });

  it('lists every input source with its SHA-256, size and rows', () => {
    for (const s of fifo.sources) expect(report).toContain(`| ${s.path} | \`${s.sha256}\` | ${s.size} | ${s.adapter} | ${s.rows} | 0 |`);
  });

  it('sums up per victim: paid, reached the exchange, still held', () => {
    expect(report).toContain(`| tron:${ADDRESS.V1} | seed 2 | 3000.000000 USDT | exchange: 1200.000000 USDT | 1800.000000 USDT | — | — |`);
    expect(report).toContain(`| tron:${ADDRESS.V2} | seed 4 | 2000.000000 USDT | — | 2000.000000 USDT | — | — |`);
  });

  it('lists no freeze candidate where the case lacks the holder\'s own history, and each holder to follow up, largest first', () => {
    // The TronScan export has no address in every row: it is no one's own history (DESIGN rule 10).
    expect(report).toContain('No account whose history the case holds still holds traced money.');
    expect(report).toContain('### Follow up: history not in the case');
    const rows = [
      `| ${ADDRESS.W2} | tron | USDT | 1800.000000 | 2025-04-01T13:00:00.000Z | seed 2: 300.000000, seed 4: 1500.000000 |`,
      `| ${ADDRESS.W1} | tron | USDT | 1500.000000 | 2025-04-01T10:00:00.000Z | seed 2: 1500.000000 |`,
      `| ${ADDRESS.M} | tron | USDT | 500.000000 | 2025-04-01T12:00:00.000Z | seed 4: 500.000000 |`,
    ];
    const at = positions(report, rows);
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('gives the evidence chain to the exchange hop by hop: victim → M → W2 → E, with links, figures and lines', () => {
    const chain = report.slice(report.indexOf('## Evidence chains'), report.indexOf('## Evidence chains to freeze candidates and follow-ups'));
    expect(chain).toContain(`### exchange: ${ADDRESS.E} (&lt;img src=x onerror=alert(1)&gt;; Exchange "Nine" &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;) — 1200.000000 USDT`);
    expect(chain).toContain('Path 1 of 1 (money of seed 2), 3 hops:');
    const hops = positions(chain, [
      `| 1 | ${ADDRESS.V1} (victim) → ${ADDRESS.M} (last seen here) | 2025-04-01T09:00:00.000Z | [${txHash('t2')}](${tronscan('t2')}) | 3000.000000 USDT | 3000.000000 (seed 2: 3000.000000) | victim's payment (seed 2): 3000.000000 traced | mule-ledger.tronscan.csv:3 |`,
      `| 2 | ${ADDRESS.M} (last seen here) → ${ADDRESS.W2} (last seen here) | 2025-04-01T12:00:00.000Z | [${txHash('t5')}](${tronscan('t5')}) | 3000.000000 USDT | 3000.000000 (seed 2: 1500.000000; and 1 other victim payment, see Appendix A) | balance before 3500.000000; traced before 3500.000000; fifo: carried 3000.000000; traced left 500.000000 | mule-ledger.tronscan.csv:6 |`,
      `| 3 | ${ADDRESS.W2} (last seen here) → ${ADDRESS.E} (exchange: &lt;img src=x onerror=alert(1)&gt;; Exchange "Nine" &lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;) | 2025-04-01T13:00:00.000Z | [${txHash('t6')}](${tronscan('t6')}) | 1200.000000 USDT | 1200.000000 (seed 2: 1200.000000) | balance before 3000.000000; traced before 3000.000000; fifo: carried 1200.000000; traced left 1800.000000 | mule-ledger.tronscan.csv:7 |`,
    ]);
    expect(hops).toEqual([...hops].sort((a, b) => a - b));
  });

  it('spells out the arithmetic in Appendix A, so each traced figure can be recomputed', () => {
    const appendix = report.slice(report.indexOf('## Appendix A'));
    expect(appendix).toContain(
      `| 3 | 2 | ${ADDRESS.M} (last seen here) → ${ADDRESS.W1} (last seen here) | 2025-04-01T10:00:00.000Z | [${txHash('t3')}](${tronscan('t3')}) | 2500.000000 USDT | 1500.000000 (seed 2: 1500.000000) | balance 4000.000000, traced 3000.000000, untraced 1000.000000; fifo cuts the oldest lots first → carries 1500.000000 (seed 2: 1500.000000); leaves 3000.000000 − 1500.000000 = 1500.000000 | mule-ledger.tronscan.csv:4 | carried | ok |`,
    );
    // Appendix B: M's running traced balance per victim payment, line by line.
    expect(appendix).toContain(`| 5 | 2025-04-01T12:00:00.000Z | out | ${ADDRESS.W2} | [${txHash('t5')}](${tronscan('t5')}) | seed 2: 1500.000000, seed 4: 1500.000000 | seed 4: 500.000000 |`);
    expect(report).toContain('Result: every figure agrees.');
  });
});

describe('Markdown report of the pro-rata trace', () => {
  const report = md(proRata);

  it('writes the rolling charge per victim at each hop, with its legal source', () => {
    expect(report).toContain('Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA)'.replace(/[[\]]/g, '\\$&'));
    expect(report).toContain('seed 2: 3000.000000 × 1125.000000 ÷ 3500.000000 = 964.285714, seed 4: 3000.000000 × 2000.000000 ÷ 3500.000000 = 1714.285714 → carries 2678.571428; leaves 3125.000000 − 2678.571428 = 446.428572');
    expect(report).toContain('seed 2: 1200.000000 × 964.285714 ÷ 3000.000000 = 385.714285, seed 4: 1200.000000 × 1714.285714 ÷ 3000.000000 = 685.714285 → carries 1071.428570');
    expect(report).toContain('| exchange | tron:TT5KmRkH7rQieGc9v9uCEk68wMZhdDdbnw |');
    expect(report).toContain('| 1071.428570 USDT | seed 2: 385.714285, seed 4: 685.714285 |');
    expect(report).toContain('Result: every figure agrees.');
  });

  it('lists two paths to the exchange, one per victim', () => {
    expect(report).toContain('Path 1 of 2 (money of seed 2), 3 hops:');
    expect(report).toContain('Path 2 of 2 (money of seed 4), 3 hops:');
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
    expect(report).toContain('- totals: USDT held: the totals say 3800.000000, the tables add up to 3900.000000');
  });

  it('catches a pro-rata share that is not the rolling charge', () => {
    const tampered = structuredClone(proRata);
    const t6 = tampered.edges.find((e) => e.transfer === 6)!;
    t6.bySeed = { '2': '385.714286', '4': '685.714284' };
    const report = md(tampered);
    // One unit more for seed 2 is the rounding rule's leeway; one unit less for seed 4 is not.
    expect(report).toContain('- transfer 6: seed 4: pro-rata gives 685.714285, the trace carries 685.714284');
    expect(report).not.toContain('seed 2: pro-rata gives');
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

describe('the flow diagram layout', () => {
  it('puts accounts in columns by hop, one box each', () => {
    const { nodes, columns } = flowLayout(fifo);
    expect(columns).toBe(4);
    expect(nodes.map((n) => [n.ident, n.column, n.kind])).toEqual([
      [ADDRESS.V1, 0, 'victim'],
      [ADDRESS.V2, 0, 'victim'],
      [ADDRESS.M, 1, 'freeze candidate'],
      [ADDRESS.W1, 2, 'freeze candidate'],
      [ADDRESS.W2, 2, 'freeze candidate'],
      [ADDRESS.E, 3, 'exchange'],
    ]);
    expect(nodes.find((n) => n.ident === ADDRESS.E)!.label).toBe(HOSTILE_TAG_LABEL);
  });
});
