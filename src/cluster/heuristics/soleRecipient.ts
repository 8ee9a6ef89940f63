import { HoptraceError } from '../../model/errors.js';
import type { ClusterData } from '../types.js';
import type { TransferColumns } from '../transferColumns.js';

/** Fee coins: the heuristics read them as fee funding, never as payments. */
export const NATIVE_ASSETS: ReadonlySet<string> = new Set(['TRX', 'ETH']);

/** In `soleRecipients`: the account pays more than one address. */
export const MANY = -1;
/** In `soleRecipients`: the account pays no one. */
export const NOBODY = -2;

/**
 * For each sender (index = account id, `size` from accountIdBound), the one address it pays, MANY
 * or NOBODY; self-transfers and, with `skipNative`, fee coins do not count. A typed array, not a
 * JS array: filled in time order, a JS array's writes far past its end turned it into a hash table
 * (a dictionary of 1,000,000 entries, slow to write and read, and larger).
 */
export function soleRecipients(transfers: TransferColumns, skipNative: boolean, size: number): Int32Array {
  const native = transfers.assets.map((asset) => skipNative && NATIVE_ASSETS.has(asset));
  const recipient = new Int32Array(size).fill(NOBODY);
  for (let i = 0; i < transfers.length; i++) {
    const from = transfers.from[i]!;
    const to = transfers.to[i]!;
    if (from === to || native[transfers.asset[i]!]) continue;
    const seen = recipient[from]!;
    if (seen === NOBODY) recipient[from] = to;
    else if (seen !== to && seen !== MANY) recipient[from] = MANY;
  }
  return recipient;
}

/** Beyond this, per-account typed arrays would not fit in memory (ids are dense row ids in a case). */
const MAX_ACCOUNT_SLOTS = 2 ** 28;

/** One more than the largest account id the data names: the length of an array indexed by account id. */
export function accountIdBound(data: ClusterData): number {
  let { min, max } = data.transfers.accountIdRange();
  if (data.accounts.bound - 1 > max) max = data.accounts.bound - 1;
  if (min < 0 || !(max < MAX_ACCOUNT_SLOTS && Number.isInteger(max)))
    throw new HoptraceError(`account ids from ${min} to ${max}: clustering indexes accounts 0 to ${MAX_ACCOUNT_SLOTS - 1}`);
  return max + 1;
}
