import { AddressCache } from '../../src/model/address.js';
import type { TransferRecord } from '../../src/model/types.js';
import type { ReadItem, TransferAdapter } from '../../adapters/types.js';

export async function readAll<O>(adapter: TransferAdapter<O>, path: string, options: O): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const item of adapter.read({ path, addresses: new AddressCache() }, options)) items.push(item);
  return items;
}

export function transfersOf(items: ReadItem[]): TransferRecord[] {
  return items.flatMap((item) => (item.kind === 'transfer' ? [item.record] : []));
}

export function kinds(items: ReadItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[item.kind] = (counts[item.kind] ?? 0) + 1;
  return counts;
}
