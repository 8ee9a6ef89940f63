import type { TraceOptions } from '../../src/model/trace.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { MemoryLedger } from './memoryLedger.js';
import { prng } from './prng.js';

export interface RandomCase {
  ledger: MemoryLedger;
  seeds: LedgerTransfer[];
  options: Omit<TraceOptions, 'rule'>;
}

/** Victims pay mules; mules, wallets and outsiders move money among themselves and to exchanges. */
export function randomCase(seed: number): RandomCase {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const ledger = new MemoryLedger();
  const victims = ['v1', 'v2', 'v3'];
  const holders = ['m1', 'm2', 'w1', 'w2', 'w3', 'o1'];
  const exchanges = ['x1', 'x2'];
  for (const x of exchanges) ledger.tag(x, { category: 'exchange', labels: [x] });
  if (random() < 0.3) ledger.opening('m1', 'USDT', BigInt(Math.floor(random() * 5000)));
  const seeds: LedgerTransfer[] = [];
  const count = 10 + Math.floor(random() * 30);
  for (let time = 1; time <= count; time++) {
    const amount = BigInt(1 + Math.floor(random() * 4000));
    const roll = random();
    if (roll < 0.25) seeds.push(ledger.add(pick(victims), pick(holders), amount, time));
    else if (roll < 0.35) ledger.add('outsider', pick(holders), amount, time);
    else {
      const from = pick(holders);
      let to = pick([...holders, ...exchanges]);
      if (to === from && random() < 0.5) to = 'x1'; // the other half stay self-transfers
      ledger.add(from, to, amount, time);
    }
  }
  // Sometimes a bank side: victims pay a mule in EUR, the mule pays an OTC desk, and the desk's
  // return links that payment to a USDT payout (booked before or after the fiat payment).
  if (random() < 0.4) {
    ledger.tag('otc-bank', { category: 'otc', labels: ['OTC'] });
    if (random() < 0.5) ledger.opening('bank-mule', 'EUR', BigInt(Math.floor(random() * 3000)));
    const payments = 1 + Math.floor(random() * 3);
    for (let i = 0; i < payments; i++)
      seeds.push(ledger.add(pick(victims), 'bank-mule', BigInt(1 + Math.floor(random() * 3000)), 1 + Math.floor(random() * count), 'EUR', 2));
    const fiatTime = Math.floor(random() * count) + 1;
    const fiat = ledger.add('bank-mule', 'otc-bank', BigInt(1 + Math.floor(random() * 4000)), fiatTime, 'EUR', 2);
    const crypto = ledger.add('otc-wallet', pick(holders), BigInt(1 + Math.floor(random() * 5000)), Math.max(1, fiatTime + Math.floor(random() * 5) - 2));
    ledger.link(fiat, crypto);
    if (random() < 0.5) ledger.add('bank-mule', 'rent', BigInt(1 + Math.floor(random() * 900)), 1 + Math.floor(random() * count), 'EUR', 2);
  }
  const options: Omit<TraceOptions, 'rule'> = {};
  if (random() < 0.3) options.maxHops = 1 + Math.floor(random() * 3);
  if (random() < 0.3)
    options.minAmount = {
      USDT: { amount: BigInt(Math.floor(random() * 500)), decimals: 6 },
      ...(random() < 0.5 ? { EUR: { amount: BigInt(Math.floor(random() * 500)), decimals: 2 } } : {}),
    };
  if (random() < 0.2) options.until = 1 + Math.floor(random() * count);
  return { ledger, seeds, options };
}
