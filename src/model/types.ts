/**
 * The vocabulary every layer speaks. Adapters yield these records, the store persists them,
 * trace/cluster/detect read them back through the store.
 */

/**
 * `exchange`: a customer account at an exchange (`NAME:ACCOUNT`) or the exchange's own books
 * (`NAME`), known from the exchange's return (docs/design.md, rule 11).
 */
export type Rail = 'bank' | 'ethereum' | 'tron' | 'exchange';
export const RAILS: readonly Rail[] = ['bank', 'ethereum', 'tron', 'exchange'];

export interface AccountRef {
  rail: Rail;
  /** EIP-55 address, base58check `T…`, IBAN, `bank-code:number`, or `exchange:account` (rail exchange). */
  ident: string;
}

/** One movement of value, as an adapter reads it (before it has a database id). */
export interface TransferRecord {
  rail: Rail;
  /** `USDT`, `TRX`, `ETH`, another token symbol, or an ISO 4217 code. */
  asset: string;
  /** Token contract (canonical form) for on-chain tokens; undefined for native coins and fiat. */
  token?: string;
  decimals: number;
  /** Minor units, always positive; direction is from → to. */
  amount: bigint;
  from: AccountRef;
  to: AccountRef;
  /** UTC milliseconds since the epoch. */
  time: number;
  /** Transaction hash or bank reference. */
  ref: string;
  /** Log index, event fingerprint or statement line: unique within `ref`. */
  seq: number;
  block?: number;
  /** The node's log index, when the source has it (RPC logs); explorer exports do not. */
  logIndex?: number;
  /** Line (or JSON item number) in the source this record came from. */
  line: number;
  /** Free-text labels the source attached to each side (TronScan `from_tag`/`to_tag`). */
  fromLabel?: string;
  toLabel?: string;
  /** Bank statement details: description, counterparty name, running balance. */
  description?: string;
}

/**
 * A stored transfer.
 * @public vocabulary (STYLE.md) that no module names yet
 */
export interface Transfer extends TransferRecord {
  id: number;
  fromId: number;
  toId: number;
  sourceId: number;
}

/** @public vocabulary (STYLE.md) that no module names yet */
export interface Provenance {
  sourceId: number;
  path: string;
  sha256: string;
  line: number;
}

export interface SourceInfo {
  id: number;
  path: string;
  sha256: string;
  size: number;
  adapter: string;
  options: string;
  importedAt: string;
  rows: number;
  rejected: number;
  skipped: number;
  duplicates: number;
  notes: string[];
}

/**
 * What a source holds besides transfers (SourceInfo.rows counts those): a tag list's tags, a links
 * file's links, a blacklist's freeze events. Counted as the case holds them now.
 */
export interface SourceHoldings {
  tags: number;
  links: number;
  freezeEvents: number;
}

/** A source that holds no tags, links or freeze events. */
export const NO_HOLDINGS: Readonly<SourceHoldings> = Object.freeze({ tags: 0, links: 0, freezeEvents: 0 });

export interface RejectedRow {
  sourceId: number;
  path: string;
  line: number;
  reason: string;
}

export const TAG_CATEGORIES = [
  'exchange',
  'otc',
  'payment_processor',
  'guarantee_market',
  'gambling',
  'mixer',
  'bridge',
  'sanctioned',
  'scam_operator',
  'mule',
  'victim',
] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];
/** Money that reaches one of these stops: it is cashed out or laundered there. */
export const ENDPOINT_CATEGORIES: readonly TagCategory[] = TAG_CATEGORIES.slice(0, 8);

export function isTagCategory(value: string): value is TagCategory {
  return (TAG_CATEGORIES as readonly string[]).includes(value);
}

export interface TagRecord {
  account: AccountRef;
  category: TagCategory;
  label: string;
  /** `OFAC`, `TagPack:<file>`, `TronScan`, `manual` … */
  origin: string;
  /** 0–100, GraphSense's scale (ownership 100 … unknown 5). */
  confidence: number;
  line: number;
}

/** @public vocabulary (STYLE.md) that no module names yet */
export interface Tag extends TagRecord {
  id: number;
  sourceId: number | null;
}

/** A fiat transfer that an exchange or OTC return ties to a crypto transfer. */
export interface LinkRecord {
  fiatRef: string;
  cryptoRef: string;
  line: number;
}

/** What an adapter hands the store: records, plus rows it counted but did not keep. */
export type AdapterItem =
  | { kind: 'transfer'; record: TransferRecord }
  | { kind: 'tag'; record: TagRecord }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'note'; message: string };
