import { parseAmount } from '../../src/model/amount.js';
import { canonicalEvmAddress } from '../../src/model/address.js';
import type { FreezeEvent, FreezeEventKind } from '../../src/model/freeze.js';
import { parseUtcTime } from '../exchange/utcTime.js';
import type { BlacklistItem } from './types.js';

const KINDS: Record<string, FreezeEventKind> = { AddedBlackList: 'added', RemovedBlackList: 'removed', DestroyedBlackFunds: 'destroyed' };

/**
 * Decoded events of the Ethereum USDT contract, one row each: `event_name,block_number,txhash,
 * log_index,timestamp,_balance,_blackListedUser,…,_user,…` (test/fixtures/usdt-blacklist-events-bhemen).
 * Other events of the contract (Issue, Redeem, Params) are skipped. `_balance` is a float of
 * minor units in that export (`30000000.0`): only a whole number is accepted.
 */
export function readDecodedEventRow(fields: (name: string) => string, line: number, origin: string): BlacklistItem {
  const kind = KINDS[fields('event_name')];
  if (!kind) return { kind: 'skipped', line, reason: `event ${fields('event_name')}` };
  const user = kind === 'destroyed' ? fields('_blacklisteduser') : fields('_user');
  if (!/^0x[0-9a-fA-F]{40}$/.test(user)) return { kind: 'reject', line, reason: `address ${JSON.stringify(user)} is not 20 bytes of hex` };
  const time = parseUtcTime(fields('timestamp'));
  if (time === undefined) return { kind: 'reject', line, reason: `timestamp ${JSON.stringify(fields('timestamp'))} is not a UTC time` };
  const record: FreezeEvent = {
    rail: 'ethereum',
    address: canonicalEvmAddress(user.toLowerCase()),
    event: kind,
    time,
    block: Number(fields('block_number')),
    tx: fields('txhash').toLowerCase(),
    logIndex: Number(fields('log_index')),
    origin,
  };
  if (kind === 'destroyed') {
    const balance = fields('_balance').replace(/\.0+$/, '');
    try {
      record.amount = parseAmount(balance, 0);
    } catch {
      return { kind: 'reject', line, reason: `_balance ${JSON.stringify(fields('_balance'))} is not a whole number of minor units` };
    }
  }
  return { kind: 'event', record, line };
}
