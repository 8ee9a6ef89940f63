import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { tx, writeExchangeCase } from '../support/exchangeCase.js';

let dir: string;
let trace: string;

beforeAll(() => {
  dir = tempDir();
  const db = join(dir, 'case.db');
  const { chain, ret } = writeExchangeCase(dir);
  expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
  expect(hoptrace(['--db', db, 'ingest', 'exchange', ret, '--quiet']).status).toBe(0);
  trace = join(dir, 'trace.json');
  expect(hoptrace(['--db', db, 'trace', tx(2), '--out', trace]).status).toBe(0);
});

describe('hoptrace requests', () => {
  it('writes requests.csv with every exchange deposit the trace reached, amounts equal to the trace', () => {
    const out = join(dir, 'requests');
    const run = hoptrace(['requests', trace, '--out', out, '--no-timestamp']);
    expect(run.stderr).toBe(`${out}: 9 requested items in 1 letters (requests.csv, Markdown and HTML)\n`);
    const seed = (JSON.parse(readFileSync(trace, 'utf8')) as { seeds: { id: string }[] }).seeds[0]!.id;
    // Transfer ids: the six chain rows in file order (2 is the victim's payment, 3 the deposit, 5
    // and 6 the withdrawals on chain), then the exchange's books: 7, 8 credits; 9, 11, 13 debits;
    // 10, 12, 14 their fees.
    expect(seed).toBe('2');
    expect(readFileSync(join(out, 'requests.csv'), 'utf8').split('\n')).toEqual([
      'recipient,kind,rail,account,asset,amount,victims,evidence',
      // Customer 4411 paid fees and sent a withdrawal on a chain the case does not read: Binance's records say where.
      'Binance,preservation-disclosure,exchange,binance:4411,USDT,1.000000,2:1.000000,transfer:2 transfer:3 transfer:8 transfer:10',
      'Binance,preservation-disclosure,exchange,binance:4411,USDT,1.000000,2:1.000000,transfer:2 transfer:3 transfer:8 transfer:12',
      'Binance,preservation-disclosure,exchange,binance:4411,USDT,100.000000,2:100.000000,transfer:2 transfer:3 transfer:8 transfer:13',
      'Binance,preservation-disclosure,exchange,binance:4411,USDT,0.290000,2:0.290000,transfer:2 transfer:3 transfer:8 transfer:14',
      // The victim's 6,000 credited to customer 4411, with the hops that brought it.
      'Binance,preservation-disclosure,exchange,binance:4411,USDT,6000.000000,2:6000.000000,transfer:2 transfer:3 transfer:8',
      // Wallets whose later history the case lacks: a task, not a request (docs/design.md, rule 10).
      'follow-up (history not in the case),follow-up,ethereum,0xb2b2b2b2b2B2b2B2B2b2b2B2B2b2B2B2b2b2b2b2,USDT,4000.000000,2:4000.000000,transfer:2',
      'follow-up (history not in the case),follow-up,ethereum,0xF6f6F6f6f6f6F6F6F6F6F6f6f6F6f6f6F6f6f6f6,USDT,3000.000000,2:3000.000000,transfer:2 transfer:3 transfer:8 transfer:9 transfer:5',
      'follow-up (history not in the case),follow-up,ethereum,0x1717171717171717171717171717171717171717,USDT,2500.000000,2:2500.000000,transfer:2 transfer:3 transfer:8 transfer:11 transfer:6',
      // What still rests in the customer's account: Binance can freeze it.
      'Binance,account-freeze,exchange,binance:4411,USDT,397.710000,2:397.710000,transfer:2 transfer:3 transfer:8',
      '',
    ]);
    expect(readdirSync(out).sort()).toEqual(['01-service-binance.html', '01-service-binance.md', 'follow-up.md', 'requests.csv']);
    const letter = readFileSync(join(out, '01-service-binance.md'), 'utf8');
    expect(letter).toContain('To: Binance\n');
    // The 6,000 credited to customer 4411; its fees, the unfollowed withdrawal and the 397.71 still
    // held are parts of that money, listed but not counted again.
    expect(letter).toContain('Total traced to you: 6000.000000 USDT.');
    expect(letter).toContain('| preservation-disclosure | exchange:binance:4411 | USDT | 100.000000 |');
    expect(letter).toContain(
      'customer account: 4411; withdrawal not followed on chain: binance:4411:withdrawal:0x0000000000000000000000000000000000000000000000000000000000000063; time: 2025-03-01T15:16:40.000Z; amount: 100.000000 USDT |',
    );
    expect(letter).toContain(
      'customer account: 4411; deposit address: ethereum:0xc3c3c3c3c3c3c3c3c3C3C3c3C3C3C3c3C3C3c3c3; deposit transaction: 0x0000000000000000000000000000000000000000000000000000000000000003; deposited: 2025-03-01T12:00:00.000Z; amount deposited: 6000.000000 USDT; credited: 2025-03-01T12:10:00.000Z;',
    );
  });

  it('the same trace gives byte-identical letters; a non-empty folder is refused', () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    expect(hoptrace(['requests', trace, '--out', a, '--no-timestamp']).status).toBe(0);
    expect(hoptrace(['requests', trace, '--out', b, '--no-timestamp']).status).toBe(0);
    for (const name of readdirSync(a)) expect(readFileSync(join(b, name), 'utf8')).toBe(readFileSync(join(a, name), 'utf8'));
    const again = hoptrace(['requests', trace, '--out', a, '--no-timestamp']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`hoptrace: ${a}: the output folder is not empty — give a new or empty folder: requests are never written over other files\n`);
  });

  it("an agency's templates replace the wording; an unknown placeholder is an error naming the template line", () => {
    const templates = join(dir, 'templates');
    mkdirSync(templates);
    for (const name of ['service', 'issuer', 'bank'])
      writeFileSync(join(templates, `${name}.md`), `# Ersuchen an {{recipient}}\n\nAktenzeichen 4711/25\n\n{{items}}\n\nSumme: {{total}}\n`);
    const out = join(dir, 'de');
    expect(hoptrace(['requests', trace, '--out', out, '--template', templates, '--no-timestamp']).status).toBe(0);
    const letter = readFileSync(join(out, '01-service-binance.md'), 'utf8');
    expect(letter.split('\n').slice(0, 5)).toEqual([
      '# Ersuchen an Binance',
      '',
      'Aktenzeichen 4711/25',
      '',
      '| request | account | asset | amount | victims (payment, date: traced amount) | details | evidence (hops) |',
    ]);
    expect(letter).toContain('Summe: 6000.000000 USDT');
    expect(readFileSync(join(out, '01-service-binance.html'), 'utf8')).toContain('<h1>Ersuchen an Binance</h1>');
    writeFileSync(join(templates, 'bank.md'), '# To {{recipient}}\n\n{{legal_basis}}\n');
    const bad = hoptrace(['requests', trace, '--out', join(dir, 'bad'), '--template', templates]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`hoptrace: ${join(templates, 'bank.md')}:3: unknown placeholder {{legal_basis}}`);
  });
});

describe('requests, status and export take a trace as report does', () => {
  /** The trace with an edit; written beside it. */
  const edited = (name: string, edit: (trace: Record<string, unknown>) => void): string => {
    const value = JSON.parse(readFileSync(trace, 'utf8')) as Record<string, unknown>;
    edit(value);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('a trace without its case, or whose figures do not add up, is refused with exit 1, not an internal error', () => {
    const noCase = edited('no-case.json', (t) => delete t['case']);
    const noSeeds = edited('no-seeds.json', (t) => (t['seeds'] = []));
    for (const file of [noCase, noSeeds]) {
      const requests = hoptrace(['requests', file, '--out', join(dir, `rq-${file.length}`)]);
      expect(requests.status, requests.stderr).toBe(1);
      expect(requests.stderr).toMatch(new RegExp(`^hoptrace: ${file.replaceAll('.', '\\.')}: not a hoptrace trace: `));
      expect(hoptrace(['--db', join(dir, 'case.db'), 'status', file]).status).toBe(1);
      const exported = hoptrace(['--db', join(dir, 'case.db'), 'export', '--format', 'graphml', '--trace', file, '--out', join(dir, 'g.graphml')]);
      expect(exported.status, exported.stderr).toBe(1);
    }
    expect(hoptrace(['requests', noCase, '--out', join(dir, 'rq-x')]).stderr).toContain('case');
    expect(readdirSync(dir).filter((name) => name.startsWith('rq-') || name === 'g.graphml')).toEqual([]);
  });

  it("status reads freeze lists only from the trace's own case", () => {
    const other = join(dir, 'other.db');
    writeFileSync(join(dir, 'other.csv'), readFileSync(join(dir, 'chain.etherscan.csv'), 'utf8'));
    expect(hoptrace(['--db', other, 'ingest', 'usdt', join(dir, 'other.csv'), '--quiet']).status).toBe(0);
    const run = hoptrace(['--db', other, 'status', trace]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^hoptrace: ${other.replaceAll('.', '\\.')} is not the case this trace was made from: `));
  });

  it('requests --status refuses the status of another trace', () => {
    const db = join(dir, 'case.db');
    const later = join(dir, 'until.json');
    expect(hoptrace(['--db', db, 'trace', tx(2), '--until', '2025-03-01T13:00:00Z', '--out', later]).status).toBe(0);
    const status = hoptrace(['--db', db, 'status', later, '--json']);
    expect(status.status, status.stderr).toBe(0);
    writeFileSync(join(dir, 'status-later.json'), status.stdout);
    const run = hoptrace(['requests', trace, '--status', join(dir, 'status-later.json'), '--out', join(dir, 'rq-status')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/: a status of another trace than .*trace\.json \(trace SHA-256 [0-9a-f]{64}\) — write it for this trace: hoptrace status /);
    // The status of this trace is taken.
    writeFileSync(join(dir, 'status.json'), hoptrace(['--db', db, 'status', trace, '--json']).stdout);
    expect(hoptrace(['requests', trace, '--status', join(dir, 'status.json'), '--out', join(dir, 'rq-ok'), '--no-timestamp']).status).toBe(0);
  });
});
