import { createHash } from 'node:crypto';

/**
 * Explorer exports (Etherscan, TronScan, TronGrid) carry no log index, so a transfer's `seq`
 * within its transaction is a fingerprint of what it moved: the same transfer downloaded from the
 * sender's and the receiver's page, or from a node's logs, gets the same (rail, ref, seq) and is
 * stored once. 48 bits keep it a safe integer; the node's log index is kept beside it.
 */
export function transferSeq(token: string, from: string, to: string, amount: bigint): number {
  const digest = createHash('sha256').update(`${token}|${from}|${to}|${amount}`).digest();
  return digest.readUIntBE(0, 6);
}
