import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { MemoryLedger } from './memoryLedger.js';
import { prng } from './prng.js';

/**
 * A generated laundering case, different for every seed: bank victims pay mules (who have opening
 * balances, a salary and rent), the mules pay an OTC desk whose return links each payment to a
 * USDT payout (some booked before the bank payment), collection wallets are swept into a collector,
 * which feeds a peel chain to exchanges, a guarantee market and a sanctioned wallet; crypto victims
 * pay the collection wallets directly; unrelated money moves throughout.
 */
export function launderingCase(seed: number): { ledger: MemoryLedger; seeds: LedgerTransfer[] } {
  const random = prng(seed);
  const int = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ledger = new MemoryLedger();
  ledger.tag('otc-bank', { category: 'otc', labels: ['Desk (bank)'] });
  ledger.tag('x1', { category: 'exchange', labels: ['Exchange 1'] });
  ledger.tag('x2', { category: 'exchange', labels: ['Exchange 2'] });
  ledger.tag('gm', { category: 'guarantee_market', labels: ['Guarantee market'] });
  ledger.tag('sanctioned', { category: 'sanctioned', labels: ['OFAC SDN'] });
  const mules = ['mule1', 'mule2', 'mule3'];
  const victims = ['bv1', 'bv2', 'bv3', 'bv4', 'bv5', 'bv6'];
  const collection = ['c1', 'c2', 'c3', 'c4'];
  const peel = ['p1', 'p2', 'p3', 'p4'];
  for (const mule of mules) if (random() < 0.7) ledger.opening(mule, 'EUR', BigInt(int(0, 300_000)));
  const seeds: LedgerTransfer[] = [];
  let time = 1;
  const eur = (from: string, to: string, amount: number): LedgerTransfer => ledger.add(from, to, BigInt(amount), time++, 'EUR', 2);
  const usdt = (from: string, to: string, amount: bigint, at = time++): LedgerTransfer => ledger.add(from, to, amount, at);
  ledger.add('treasury', 'otc-wallet', 50_000_000_000n, time++);
  for (let round = 0; round < 6; round++) {
    for (let i = 0; i < int(2, 5); i++) seeds.push(eur(pick(victims), pick(mules), int(50_000, 2_000_000)));
    for (const mule of mules) if (random() < 0.5) eur('employer', mule, int(150_000, 300_000));
    if (random() < 0.5) eur(pick(mules), 'landlord', 90_000);
    if (random() < 0.3) seeds.push(usdt(`cv${int(1, 3)}`, pick(collection), BigInt(int(100, 20_000)) * 1_000_000n));
    for (const mule of mules) {
      if (random() < 0.6) {
        const fiat = eur(mule, 'otc-bank', int(100_000, 3_000_000));
        // The desk pays out at 1.08 USDT per euro, sometimes before the bank books the payment.
        const crypto = usdt('otc-wallet', pick(collection), (fiat.amount * 108n * 10_000n) / 100n, random() < 0.25 ? fiat.time - 1 : time++);
        ledger.link(fiat, crypto);
      }
    }
    for (const wallet of collection) if (random() < 0.5) usdt(wallet, 'collector', BigInt(int(1_000, 30_000)) * 1_000_000n);
    if (random() < 0.7) {
      let amount = BigInt(int(5_000, 40_000)) * 1_000_000n;
      usdt('collector', peel[0]!, amount);
      for (let i = 0; i < peel.length; i++) {
        const off = amount / BigInt(int(3, 8));
        usdt(peel[i]!, pick(['x1', 'x2', 'x1']), off);
        amount -= off;
        if (i + 1 < peel.length) usdt(peel[i]!, peel[i + 1]!, amount);
      }
    }
    if (random() < 0.5) usdt('collector', 'gm', BigInt(int(500, 10_000)) * 1_000_000n);
    if (random() < 0.3) usdt('collector', 'sanctioned', BigInt(int(500, 5_000)) * 1_000_000n);
    for (let i = 0; i < int(1, 4); i++)
      usdt(pick(['outsider', 'treasury', ...collection]), pick([...collection, 'collector', 'outsider']), BigInt(int(1, 9_000)) * 1_000_000n);
  }
  return { ledger, seeds };
}
