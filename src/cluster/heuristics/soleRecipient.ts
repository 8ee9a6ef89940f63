import { HoptraceError } from '../../model/errors.js';
import type { ClusterData } from '../types.js';
import type { TransferColumns } from '../transferColumns.js';

/** Fee coins: the heuristics read them as fee funding, never as payments. */
export const NATIVE_ASSETS: ReadonlySet<string> = new Set(['TRX', 'ETH']);

/** In `soleRecipients`: the account pays more than one address. */
export const MANY = -1;

/**
 * For each sender (array index = account id), the one address it pays, or MANY; self-transfers
 * and, with `skipNative`, fee coins do not count. An array, not a map: account ids are small
 * integers, and this runs over every transfer of the case.
 */
export function soleRecipients(transfers: TransferColumns, skipNative: boolean): number[] {
  const native = transfers.assets.map((asset) => skipNative && NATIVE_ASSETS.has(asset));
  const recipient: number[] = [];
  for (let i = 0; i < transfers.length; i++) {
    const from = transfers.from[i]!;
    const to = transfers.to[i]!;
    if (from === to || native[transfers.asset[i]!]) continue;
    const seen = recipient[from];
    if (seen === undefined) recipient[from] = to;
    else if (seen !== to && seen !== MANY) recipient[from] = MANY;
  }
  return recipient;
}

/** Beyond this, per-account typed arrays would not fit in memory (ids are dense row ids in a case). */
const MAX_ACCOUNT_SLOTS = 2 ** 28;

/** One more than the largest account id the data names: the length of an array indexed by account id. */
export function accountIdBound(data: ClusterData): number {
  let max = 0;
  let min = 0;
  const see = (id: number): void => {
    if (id > max) max = id;
    else if (id < min) min = id;
  };
  if (data.accounts.bound > 0) see(data.accounts.bound - 1);
  const { transfers } = data;
  for (let i = 0; i < transfers.length; i++) {
    see(transfers.from[i]!);
    see(transfers.to[i]!);
  }
  if (min < 0 || !(max < MAX_ACCOUNT_SLOTS && Number.isInteger(max)))
    throw new HoptraceError(`account ids from ${min} to ${max}: clustering indexes accounts 0 to ${MAX_ACCOUNT_SLOTS - 1}`);
  return max + 1;
}
