import { canonicalEvmAddress, canonicalTronAddress } from './address.js';
import { HoptraceError } from './errors.js';
import { compactIban } from './iban.js';
import type { Rail } from './types.js';

/**
 * What an `account:IDENT` seed can name (docs/design.md, "A SEED is …"), read as `account` and
 * `transfers --account` read an account (src/store/explore.ts, findAccount): an optional rail
 * (`bank:`, `ethereum:`, `tron:`), an IBAN with the spaces people write it with, an address in any
 * accepted form. Returns the idents an account of the case may carry, and the rail when one was named.
 */
export function accountSeedIdents(ident: string): { rail?: Rail; idents: string[] } {
  const prefixed = /^(bank|ethereum|tron):(.*)$/.exec(ident.trim());
  const rail = prefixed ? (prefixed[1] as Rail) : undefined;
  let text = prefixed ? prefixed[2]!.trim() : ident;
  if (/^[A-Z]{2}\d{2}[A-Z0-9 \u00a0]+$/i.test(text) && /[ \u00a0]/.test(text)) text = compactIban(text);
  const idents = new Set<string>([text]);
  try {
    if (rail !== 'bank' && rail !== 'tron' && /^0x[0-9a-fA-F]{40}$/.test(text)) idents.add(canonicalEvmAddress(text));
    else if (rail !== 'bank' && rail !== 'ethereum' && /^(T|41|0x41)/.test(text)) idents.add(canonicalTronAddress(text));
  } catch (error) {
    throw new HoptraceError(`account:${ident}: ${(error as Error).message}`);
  }
  return { ...(rail ? { rail } : {}), idents: [...idents] };
}
