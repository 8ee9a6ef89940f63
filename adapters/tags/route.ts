import type { Rail } from '../../src/model/types.js';
import { canonicalEvmAddress, canonicalTronAddress } from '../../src/model/address.js';

export type RoutedAddress = { rail: Rail; ident: string } | { unsupported: string };

/**
 * Attribution lists mix chains (OFAC's USDT list holds Tron, Ethereum and Omni/Bitcoin
 * addresses): an address is routed by its format, never by the list's name. Checksums are
 * verified; a bad one throws (AddressError).
 */
export function routeAddress(address: string): RoutedAddress {
  const trimmed = address.trim();
  if (/^0x[0-9a-fA-F]{40}$/.test(trimmed)) return { rail: 'ethereum', ident: canonicalEvmAddress(trimmed) };
  if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(trimmed) || /^(0x)?41[0-9a-fA-F]{40}$/.test(trimmed)) return { rail: 'tron', ident: canonicalTronAddress(trimmed) };
  if (/^(bc1|[13])[0-9A-Za-z]{20,90}$/.test(trimmed)) return { unsupported: 'bitcoin' };
  return { unsupported: 'unknown format' };
}

/** Counts of addresses on rails hoptrace does not follow, reported as one note per source. */
export class UnsupportedRails {
  private readonly counts = new Map<string, number>();
  add(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }
  note(): string | undefined {
    if (this.counts.size === 0) return undefined;
    const parts = [...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${kind} ${n}`);
    return `addresses on rails hoptrace does not follow (counted, not stored): ${parts.join(', ')}`;
  }
}
