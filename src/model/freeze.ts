import type { Rail } from './types.js';

/**
 * Tether's freeze events on a USDT contract (TetherToken.sol): `AddedBlackList(_user)` freezes an
 * address, `RemovedBlackList(_user)` lifts it, `DestroyedBlackFunds(_blackListedUser, _balance)`
 * burns a frozen address's balance. None of the parameters is indexed: the address is in `data`.
 */
export const FREEZE_TOPICS = {
  added: '0x42e160154868087d6bfdc0ca23d96a1c1cfa32f1b72ba9ba27b69b98a0d819dc',
  removed: '0xd7e9ec6e6ecd65492dce6bf513cd6867560d49544421d0783ddf06e76c24470c',
  destroyed: '0x61e6e66b0d6339b2980aecc6ccc0039736791f0ccde9ed512e789a7fbdd698c6',
} as const;

export type FreezeEventKind = keyof typeof FREEZE_TOPICS;

export interface FreezeEvent {
  rail: Extract<Rail, 'ethereum' | 'tron'>;
  /** Canonical address (EIP-55, base58check). */
  address: string;
  event: FreezeEventKind;
  /** UTC ms of the block. */
  time: number;
  block?: number;
  tx?: string;
  logIndex?: number;
  /** DestroyedBlackFunds: the balance burned, in USDT minor units. */
  amount?: bigint;
  /** Where the event was read: a source file and line, or the node that answered. */
  origin: string;
}

export interface FreezeState {
  blacklisted: boolean;
  /** When the address was last blacklisted (UTC ms), if it is. */
  since?: number;
  /** USDT burned from it by DestroyedBlackFunds. */
  destroyed: bigint;
  events: FreezeEvent[];
}

/** Event order: time, then block and log index when known. */
function compareEvents(a: FreezeEvent, b: FreezeEvent): number {
  return a.time - b.time || (a.block ?? 0) - (b.block ?? 0) || (a.logIndex ?? 0) - (b.logIndex ?? 0);
}

/** An address's state after its events, in order: the last add or removal decides. */
export function freezeStateOf(events: readonly FreezeEvent[]): FreezeState {
  const sorted = [...events].sort(compareEvents);
  let blacklisted = false;
  let since: number | undefined;
  let destroyed = 0n;
  for (const e of sorted) {
    if (e.event === 'added') {
      if (!blacklisted) since = e.time;
      blacklisted = true;
    } else if (e.event === 'removed') {
      blacklisted = false;
      since = undefined;
    } else destroyed += e.amount ?? 0n;
  }
  return { blacklisted, ...(since === undefined ? {} : { since }), destroyed, events: sorted };
}

/**
 * What can still be frozen at an address: the traced money it holds, but never more than its
 * balance now; nothing once Tether has frozen it (already done) or burned its funds.
 */
export function freezableNow(tracedHeld: bigint, balanceNow: bigint, state: FreezeState): bigint {
  if (state.blacklisted || state.destroyed > 0n) return 0n;
  return tracedHeld < balanceNow ? tracedHeld : balanceNow;
}
