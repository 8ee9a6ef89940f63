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
