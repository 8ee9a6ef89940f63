import { AccountColumns } from '../../src/cluster/accountColumns.js';
import { TransferColumns } from '../../src/cluster/transferColumns.js';
import type { ClusterAccount, ClusterData, ClusterTransfer } from '../../src/cluster/types.js';
import { prng } from './prng.js';

/**
 * Ground-truth scenarios for the clustering heuristics: operators (a fee funder, collection
 * wallets sweeping into a collector), exchange customers (each with a deposit address forwarding
 * to a tagged exchange hot wallet), unrelated users trading among themselves, an energy-rental
 * market funding many strangers, and noise; and two adversarial shapes that look like a heuristic's
 * evidence but are not one owner's: exchange houses (wallets fed mostly by exchange withdrawals,
 * holding large balances for weeks, taking clients' payments and paying only the exchange) and
 * round trips (a trader pays several clients, each pays the same amount straight back).
 * `owner` is the truth each heuristic is measured against.
 */
export interface Scenario {
  data: ClusterData;
  owner: Map<number, string>;
}

export interface ScenarioSize {
  operators: number;
  customers: number;
  users: number;
  /** Adversarial shapes (default: one exchange house per 6 customers, one round-trip trader per 2 operators). */
  houses?: number;
  roundTrips?: number;
  /** Noise payments per user (default 3): sets the transfers-per-address ratio of a scale run. */
  noisePerUser?: number;
}

export function generateScenario(seed: number, size: ScenarioSize = { operators: 6, customers: 25, users: 120 }): Scenario {
  const random = prng(seed);
  const accounts = new Map<number, ClusterAccount>();
  const owner = new Map<number, string>();
  const transfers: ClusterTransfer[] = [];
  let nextId = 1;
  let time = 1_700_000_000_000;
  const account = (who: string, extra: Partial<ClusterAccount> = {}): number => {
    const id = nextId++;
    accounts.set(id, { id, rail: 'tron', ident: `T${who}-${id}`, holderNorm: null, bank: null, service: false, exchange: false, labels: [], ...extra });
    owner.set(id, who);
    return id;
  };
  const send = (from: number, to: number, amount: bigint, asset = 'USDT', gap = 60_000): void => {
    time += gap + Math.floor(random() * 60_000);
    transfers.push({ id: transfers.length + 1, from, to, asset, amount, time });
  };
  const exchange = account('exchange', { service: true, exchange: true });
  const energy = account('energy-market');
  const users = Array.from({ length: size.users }, (_, i) => account(`user${i}`));
  for (const u of users) send(energy, u, 15_000_000n, 'TRX');
  for (let o = 0; o < size.operators; o++) {
    const funder = account(`operator${o}`);
    const collector = account(`operator${o}`);
    const wallets = Array.from({ length: 3 + Math.floor(random() * 5) }, () => account(`operator${o}`));
    for (const w of [...wallets, collector]) send(funder, w, 30_000_000n, 'TRX');
    for (const w of wallets) {
      const victim = users[Math.floor(random() * users.length)]!;
      const amount = BigInt(1_000 + Math.floor(random() * 9_000)) * 1_000_000n;
      send(victim, w, amount);
      send(w, collector, amount - BigInt(Math.floor(random() * 3)) * 1_000_000n, 'USDT', 3_600_000);
    }
  }
  for (let c = 0; c < size.customers; c++) {
    const deposit = account(`customer${c}`);
    const payers = Array.from({ length: 1 + Math.floor(random() * 3) }, () => account(`customer${c}`));
    for (const p of payers) {
      const amount = BigInt(100 + Math.floor(random() * 5_000)) * 1_000_000n;
      send(users[Math.floor(random() * users.length)]!, p, amount);
      send(p, deposit, amount);
      send(deposit, exchange, amount, 'USDT', 600_000);
    }
  }
  // Exchange houses: 170,000 USDT withdrawn from the exchange sits for 24 days while four clients'
  // payments come in, each paid on to the exchange within the hour; then the rest goes too.
  for (let h = 0; h < (size.houses ?? Math.round(size.customers / 6)); h++) {
    const house = account(`house${h}`);
    send(exchange, house, 170_000_000_000n);
    for (let c = 0; c < 4; c++) {
      const client = users[Math.floor(random() * users.length)]!;
      const amount = BigInt(500 + Math.floor(random() * 5_000)) * 1_000_000n;
      send(client, house, amount, 'USDT', 6 * 86_400_000);
      send(house, exchange, amount, 'USDT', 1_800_000);
    }
    send(house, exchange, 170_000_000_000n, 'USDT', 86_400_000);
  }
  // Round trips: a trader pays three clients, each pays the same sum straight back.
  for (let r = 0; r < (size.roundTrips ?? Math.round(size.operators / 2)); r++) {
    const trader = account(`trader${r}`);
    for (let c = 0; c < 3; c++) {
      const client = account(`client${r}-${c}`);
      const amount = BigInt(1_000 + Math.floor(random() * 9_000)) * 1_000_000n;
      send(trader, client, amount);
      send(client, trader, amount, 'USDT', 3_600_000);
    }
  }
  // Noise: users pay each other and the exchange.
  for (let n = 0; n < Math.round(size.users * (size.noisePerUser ?? 3)); n++) {
    const a = users[Math.floor(random() * users.length)]!;
    const b = random() < 0.2 ? exchange : users[Math.floor(random() * users.length)]!;
    if (a !== b) send(a, b, BigInt(1 + Math.floor(random() * 500)) * 1_000_000n);
  }
  return { data: { accounts: AccountColumns.of(accounts.values()), transfers: TransferColumns.of(transfers) }, owner };
}

/** Pairwise precision and recall of merged components against the true owners. */
export function pairwiseScores(components: number[][], owner: Map<number, string>): { precision: number; recall: number; predictedPairs: number } {
  let truePairs = 0;
  let predictedPairs = 0;
  for (const members of components) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        predictedPairs++;
        if (owner.get(members[i]!) === owner.get(members[j]!)) truePairs++;
      }
    }
  }
  const byOwner = new Map<string, number>();
  for (const who of owner.values()) byOwner.set(who, (byOwner.get(who) ?? 0) + 1);
  let actualPairs = 0;
  for (const [who, n] of byOwner) if (/^(operator|customer)\d/.test(who)) actualPairs += (n * (n - 1)) / 2;
  return { precision: predictedPairs === 0 ? 1 : truePairs / predictedPairs, recall: actualPairs === 0 ? 1 : truePairs / actualPairs, predictedPairs };
}
