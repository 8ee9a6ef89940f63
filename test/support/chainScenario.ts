import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getAddress } from 'ethers';
import { tempDir } from './cli.js';
import type { EthNode } from './ethNode.js';
import { prng } from './prng.js';

/**
 * "Golden Lotus on chain": a victim's USDT passing four mule wallets to an exchange deposit, a
 * sanctioned wallet and an OTC desk, inside ≥ 1,000 unrelated transfers among 31 other wallets
 * and the exchange, spread over several hundred blocks. Worked by hand under FIFO (USDT):
 *
 *   M1 holds 10,000 (minted, untraced), then receives the seed 30,000 from V.
 *   M1 → M2 25,000 = 10,000 untraced + 15,000 traced;  M1 → M3 12,000 traced;  M1 keeps 3,000.
 *   M2 held 4,000 untraced from a noise wallet, so its lots are 4,000 u, 10,000 u, 15,000 t.
 *   M2 → EX 20,000 = 14,000 untraced + 6,000 traced;   M2 → M4 5,000 traced;  M2 keeps 4,000.
 *   M3 → SANCTIONED 12,000 traced;  M4 → OTC 5,000 traced.
 *   Endpoints: exchange 6,000, sanctioned 12,000, otc 5,000; held: M1 3,000, M2 4,000.
 */
export interface ChainScenario {
  victim: string;
  mules: [string, string, string, string];
  exchange: string;
  sanctioned: string;
  otc: string;
  noise: string[];
  seedTx: string;
  /** Token transfers emitted (mints included). */
  transfers: number;
  lastBlock: number;
}

const USDT = (whole: number): bigint => BigInt(whole) * 1_000_000n;

export async function buildChainScenario(node: EthNode, batches = 45): Promise<ChainScenario> {
  const a = node.accounts.map((x) => getAddress(x));
  const [minter, victim, m1, m2, m3, m4, exchange, sanctioned, otc] = a as [string, string, string, string, string, string, string, string, string];
  const noise = a.slice(9);
  const call = (fn: string, args: unknown[]): string => node.token.encodeFunctionData(fn, args);
  let transfers = 0;
  const mint = async (to: string, amount: bigint): Promise<void> => {
    await node.send(minter, call('mint', [to, amount]));
    transfers++;
  };
  const pay = async (from: string, to: string, amount: bigint): Promise<string> => {
    const hash = await node.send(from, call('transfer', [to, amount]));
    transfers++;
    return hash;
  };
  const next = prng(20261125);
  const noiseBatch = async (): Promise<void> => {
    const from = noise[Math.floor(next() * noise.length)]!;
    const to: string[] = [];
    const values: bigint[] = [];
    for (let i = 0; i < 25; i++) {
      // One in five noise payments is an exchange deposit: the exchange is busy, as real ones are.
      const target = next() < 0.2 ? exchange : noise[Math.floor(next() * noise.length)]!;
      to.push(target);
      values.push(BigInt(1 + Math.floor(next() * 900)) * 1_000_000n + BigInt(Math.floor(next() * 1_000_000)));
    }
    await node.send(from, call('batchTransfer', [to, values]));
    transfers += 25;
  };

  await mint(victim, USDT(50_000));
  await mint(m1, USDT(10_000));
  await mint(exchange, USDT(1_000_000));
  for (const wallet of noise) await mint(wallet, USDT(100_000));
  for (let i = 0; i < Math.floor(batches / 2); i++) {
    await noiseBatch();
    if (i % 3 === 0) await node.mineEmpty(40);
  }
  await pay(noise[0]!, m2, USDT(4_000));
  const seedTx = await pay(victim, m1, USDT(30_000));
  await node.mineEmpty(25);
  await pay(m1, m2, USDT(25_000));
  await pay(m1, m3, USDT(12_000));
  for (let i = Math.floor(batches / 2); i < batches - 5; i++) {
    await noiseBatch();
    if (i % 4 === 0) await node.mineEmpty(30);
  }
  await pay(m2, exchange, USDT(20_000));
  await pay(m2, m4, USDT(5_000));
  await pay(m3, sanctioned, USDT(12_000));
  await pay(m4, otc, USDT(5_000));
  for (let i = 0; i < 5; i++) {
    await noiseBatch();
    // Withdrawals from the exchange to its customers.
    await pay(exchange, noise[i]!, USDT(700 + i));
  }
  await node.mineEmpty(20);
  return { victim, mules: [m1, m2, m3, m4], exchange, sanctioned, otc, noise, seedTx, transfers, lastBlock: await node.blockNumber() };
}

/** A tags CSV naming the scenario's exchange deposit, sanctioned wallet and OTC desk: the endpoints a trace stops at. */
export function writeScenarioTags(scenario: ChainScenario): string {
  const path = join(tempDir(), 'tags.csv');
  writeFileSync(
    path,
    [
      'chain,address,category,label,confidence,source',
      `ethereum,${scenario.exchange},exchange,Exchange deposit (test),80,test`,
      `ethereum,${scenario.sanctioned},sanctioned,Sanctioned wallet (test),100,test`,
      `ethereum,${scenario.otc},otc,OTC desk (test),80,test`,
    ].join('\n') + '\n',
  );
  return path;
}
