import { canonicalEvmAddress, tronHexToBase58 } from '../../src/model/address.js';
import type { FreezeEvent } from '../../src/model/freeze.js';
import { parseUtcTime } from '../exchange/utcTime.js';
import type { BlacklistItem } from './types.js';

/**
 * Dune's decoded `AddedBlackList` rows of both USDT contracts, `address,time,chain`
 * (test/fixtures/usdt-blacklist-dune-criptoanalyst): the address is the event's `_user` as
 * 0x-prefixed 20-byte hex on both chains (a Tron address is base58check of 0x41 ‖ those bytes).
 */
export function readDuneRow(fields: (name: string) => string, line: number, origin: string): BlacklistItem {
  const chain = fields('chain').toLowerCase();
  const hex = fields('address');
  const time = parseUtcTime(fields('time'));
  if (chain !== 'ethereum' && chain !== 'tron') return { kind: 'skipped', line, reason: `chain ${JSON.stringify(chain)}` };
  if (!/^0x[0-9a-fA-F]{40}$/.test(hex)) return { kind: 'reject', line, reason: `address ${JSON.stringify(hex)} is not 20 bytes of hex` };
  if (time === undefined) return { kind: 'reject', line, reason: `time ${JSON.stringify(fields('time'))} is not a UTC time` };
  const address = chain === 'tron' ? tronHexToBase58('41' + hex.slice(2)) : canonicalEvmAddress(hex.toLowerCase());
  const record: FreezeEvent = { rail: chain, address, event: 'added', time, origin };
  return { kind: 'event', record, line };
}
