import { ENDPOINT_CATEGORIES, RAILS, type Rail, type TagCategory } from '../model/types.js';
import type { ClusterAccount } from './types.js';

const PRESENT = 1;
const SERVICE = 2;
const EXCHANGE = 4;
const INITIAL_CAPACITY = 1024;
/** Tagged as one of these, an account is a service: never merged, and a path ends there. */
const SERVICE_CATEGORIES: readonly TagCategory[] = ENDPOINT_CATEGORIES.filter((c) => c !== 'sanctioned');
/** Entity tags: two accounts labelled differently by these never merge. */
const ENTITY_CATEGORIES: readonly TagCategory[] = ['scam_operator', 'sanctioned'];
const NO_LABELS: readonly string[] = Object.freeze([]);

/**
 * The accounts clustering and detection read, held as columns indexed by account id (a case's
 * ids are dense row ids from 1) rather than one object each: at 1,000,000 accounts the objects
 * with their map took 216 MB. Flags and rails are a byte an account, the ident one string; holder,
 * bank, labels and tag categories, which few accounts have, sit in maps beside them.
 */
export class AccountColumns {
  private flags: Uint8Array;
  private rails: Uint8Array;
  /** Undefined for an account whose ident is read when first asked for (`deferIdents`). */
  private readonly idents: (string | undefined)[] = [];
  private readIdents: ((ids: readonly number[]) => Map<number, string>) | undefined;
  private readonly holders = new Map<number, string>();
  private readonly banks = new Map<number, string>();
  private readonly labelsOf = new Map<number, readonly string[]>();
  private readonly categoriesOf = new Map<number, readonly TagCategory[]>();
  private count = 0;
  private top = -1;

  constructor(capacity = INITIAL_CAPACITY) {
    this.flags = new Uint8Array(Math.max(1, capacity));
    this.rails = new Uint8Array(Math.max(1, capacity));
  }

  static of(accounts: Iterable<ClusterAccount>): AccountColumns {
    const columns = new AccountColumns();
    for (const a of accounts) {
      columns.add(a.id, a.rail, a.ident, a.holderNorm, a.bank);
      let flags = columns.flags[a.id]!;
      if (a.service) flags |= SERVICE;
      if (a.exchange) flags |= EXCHANGE;
      columns.flags[a.id] = flags;
      if (a.labels.length > 0) columns.labelsOf.set(a.id, [...a.labels]);
      if (a.categories) columns.categoriesOf.set(a.id, [...a.categories]);
    }
    return columns;
  }

  /** `id` must be a non-negative integer (a row id). */
  add(id: number, rail: Rail, ident: string, holderNorm: string | null, bank: string | null): void {
    if (!(Number.isInteger(id) && id >= 0)) throw new RangeError(`account id ${id}: expected a row id (an integer from 0)`);
    if (id >= this.flags.length) this.grow(id + 1);
    if (!(this.flags[id]! & PRESENT)) this.count++;
    this.flags[id] = PRESENT;
    this.rails[id] = RAILS.indexOf(rail);
    this.idents[id] = ident;
    if (holderNorm !== null) this.holders.set(id, holderNorm);
    else this.holders.delete(id);
    if (bank !== null) this.banks.set(id, bank);
    else this.banks.delete(id);
    if (id > this.top) this.top = id;
  }

  /**
   * An account whose ident is not read yet: `ident(id)` reads it through `deferIdents`' reader.
   * Clustering names few of its accounts until it writes its clusters, so it reads the idents of
   * those only (at 1,000,000 accounts the idents are about 56 MB of strings).
   */
  addDeferred(id: number, rail: Rail, holderNorm: string | null, bank: string | null): void {
    this.add(id, rail, '', holderNorm, bank);
    this.idents[id] = undefined;
  }

  /** How the idents of accounts added by `addDeferred` are read: a batch of ids → their idents. */
  deferIdents(read: (ids: readonly number[]) => Map<number, string>): void {
    this.readIdents = read;
  }

  /** Reads, in one batch, the idents of those of these accounts not read yet (before naming many of them). */
  loadIdents(ids: Iterable<number>): void {
    if (!this.readIdents) return;
    const wanted: number[] = [];
    for (const id of ids) if (this.has(id) && this.idents[id] === undefined) wanted.push(id);
    if (wanted.length === 0) return;
    for (const [id, ident] of this.readIdents(wanted)) this.idents[id] = ident;
  }

  /**
   * Applies a tag to a known account: a service category makes it a service (an exchange one
   * an exchange too), an entity category adds its label, and every category is recorded once.
   */
  tag(id: number, category: TagCategory, label: string): void {
    if (!this.has(id)) return;
    if (SERVICE_CATEGORIES.includes(category)) this.flags[id]! |= SERVICE;
    if (category === 'exchange') this.flags[id]! |= EXCHANGE;
    const categories = this.categoriesOf.get(id) ?? [];
    if (!categories.includes(category)) this.categoriesOf.set(id, [...categories, category]);
    const labels = this.labels(id);
    if (ENTITY_CATEGORIES.includes(category) && !labels.includes(label)) this.labelsOf.set(id, [...labels, label]);
  }

  /** How many accounts there are. */
  get size(): number {
    return this.count;
  }

  /** One more than the largest account id (0 when there is none): the length of an array indexed by id. */
  get bound(): number {
    return this.top + 1;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.flags.length && (this.flags[id]! & PRESENT) !== 0;
  }

  isService(id: number): boolean {
    return id >= 0 && id < this.flags.length && (this.flags[id]! & SERVICE) !== 0;
  }

  isExchange(id: number): boolean {
    return id >= 0 && id < this.flags.length && (this.flags[id]! & EXCHANGE) !== 0;
  }

  /** The ident of an account that `has(id)`. */
  ident(id: number): string {
    const ident = this.idents[id];
    if (ident === undefined && this.has(id)) this.loadIdents([id]);
    return this.idents[id]!;
  }

  rail(id: number): Rail {
    return RAILS[this.rails[id]!]!;
  }

  holderNorm(id: number): string | null {
    return this.holders.get(id) ?? null;
  }

  bank(id: number): string | null {
    return this.banks.get(id) ?? null;
  }

  /** Labels of entity tags (scam operator, sanctioned …). */
  labels(id: number): readonly string[] {
    return this.labelsOf.get(id) ?? NO_LABELS;
  }

  /** Tag categories, or undefined when the account has no tag. */
  categories(id: number): readonly TagCategory[] | undefined {
    return this.categoriesOf.get(id);
  }

  /** The accounts that have entity labels, in id order. */
  labelled(): number[] {
    return [...this.labelsOf.keys()].sort((a, b) => a - b);
  }

  /** The accounts that have tag categories, in id order. */
  tagged(): number[] {
    return [...this.categoriesOf.keys()].sort((a, b) => a - b);
  }

  /** Account ids in ascending order. */
  *ids(): IterableIterator<number> {
    for (let id = 0; id <= this.top; id++) if (this.flags[id]! & PRESENT) yield id;
  }

  /** One account as an object (for the few places that read whole accounts, and tests). */
  get(id: number): ClusterAccount | undefined {
    if (!this.has(id)) return undefined;
    const categories = this.categories(id);
    return {
      id,
      rail: this.rail(id),
      ident: this.ident(id),
      holderNorm: this.holderNorm(id),
      bank: this.bank(id),
      service: this.isService(id),
      exchange: this.isExchange(id),
      labels: this.labels(id),
      ...(categories ? { categories } : {}),
    };
  }

  private grow(atLeast: number): void {
    const capacity = Math.max(atLeast, this.flags.length * 2);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
    const rails = new Uint8Array(capacity);
    rails.set(this.rails);
    this.rails = rails;
  }
}
