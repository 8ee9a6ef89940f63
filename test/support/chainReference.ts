import { Interface } from 'ethers';
import { USDT_ETHEREUM } from '../../adapters/usdt/tokens.js';
import type { Db } from '../../src/store/caseStore.js';
import type { EthNode } from './ethNode.js';

/** A transfer as `hash:logIndex from to amount`, the unit both sides are compared in. */
export type TransferKey = string;

const ERC20 = new Interface(['event Transfer(address indexed from, address indexed to, uint256 value)']);

/**
 * Every USDT Transfer on the node, read straight from it in one eth_getLogs and decoded with
 * ethers' Interface.parseLog: the reference hoptrace's hand decoding and range splitting must match.
 */
export async function chainTransfers(node: EthNode): Promise<{ key: TransferKey; block: number; from: string; to: string }[]> {
  const logs = (await node.request('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: USDT_ETHEREUM }])) as {
    topics: string[];
    data: string;
    transactionHash: string;
    logIndex: string;
    blockNumber: string;
  }[];
  return logs.map((log) => {
    const parsed = ERC20.parseLog(log)!;
    const [from, to, value] = parsed.args as unknown as [string, string, bigint];
    return { key: `${log.transactionHash}:${Number(BigInt(log.logIndex))} ${from} ${to} ${value}`, block: Number(BigInt(log.blockNumber)), from, to };
  });
}

/** The same keys from the case file. */
export function caseTransfers(db: Db): TransferKey[] {
  return (
    db
      .prepare(
        `SELECT t.ref || ':' || t.log_index || ' ' || f.ident || ' ' || r.ident || ' ' || t.amount AS key
         FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id WHERE t.rail = 'ethereum'`,
      )
      .pluck()
      .all() as string[]
  ).sort();
}
