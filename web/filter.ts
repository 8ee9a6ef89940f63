/**
 * The canvas filter (docs/workbench.md, "Filters"): which transfer and flow edges the canvas
 * shows, by asset, time window and amount. Amounts are compared exactly as decimal text in each
 * edge's own asset units (as `--min-amount 2000` means 2,000.00 EUR and 2,000.000000 USDT).
 */
export interface CanvasFilter {
  asset: string | null;
  /** Milliseconds, inclusive. */
  from: number | null;
  to: number | null;
  /** Decimal text. */
  minAmount: string | null;
  maxAmount: string | null;
}

export const NO_FILTER: CanvasFilter = { asset: null, from: null, to: null, minAmount: null, maxAmount: null };

/** What the filter reads of an edge: a traced transfer (first = last = its time) or a flow of many. */
export interface FilteredEdge {
  asset?: string;
  amount?: string;
  first?: number;
  last?: number;
}

export const isActive = (f: CanvasFilter): boolean => f.asset !== null || f.from !== null || f.to !== null || f.minAmount !== null || f.maxAmount !== null;

/**
 * A traced transfer passes when its asset, time and traced amount are inside the filter; a flow
 * (many transfers summed) when its asset matches, its first-to-last span meets the time window and
 * its summed amount is inside the bounds.
 */
export function edgePasses(edge: FilteredEdge, f: CanvasFilter): boolean {
  if (f.asset !== null && edge.asset !== f.asset) return false;
  if (f.from !== null && (edge.last === undefined || edge.last < f.from)) return false;
  if (f.to !== null && (edge.first === undefined || edge.first > f.to)) return false;
  if (f.minAmount !== null && (edge.amount === undefined || compareDecimal(edge.amount, f.minAmount) < 0)) return false;
  if (f.maxAmount !== null && (edge.amount === undefined || compareDecimal(edge.amount, f.maxAmount) > 0)) return false;
  return true;
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Exact comparison of two non-negative decimal texts ("19008.000000" vs "15000"). */
export function compareDecimal(a: string, b: string): number {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const scale = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(scale, '0'));
  const y = BigInt(bi + bf.padEnd(scale, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The filter from the form's text: dates are whole UTC days (from its first to its last millisecond). */
export function parseFilter(text: { asset: string; from: string; to: string; minAmount: string; maxAmount: string }): CanvasFilter {
  const day = (value: string, name: string, end: boolean): number | null => {
    if (value.trim() === '') return null;
    const time = Date.parse(`${value.trim()}T${end ? '23:59:59.999' : '00:00:00.000'}Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) || Number.isNaN(time)) throw new Error(`${name}: a date, 2025-03-19`);
    return time;
  };
  const amount = (value: string, name: string): string | null => {
    const clean = value.trim().replace(/[,_ ]/g, '');
    if (clean === '') return null;
    if (!DECIMAL.test(clean)) throw new Error(`${name}: an amount, 2000 or 2000.50`);
    return clean;
  };
  return {
    asset: text.asset === '' ? null : text.asset,
    from: day(text.from, 'from', false),
    to: day(text.to, 'to', true),
    minAmount: amount(text.minAmount, 'min amount'),
    maxAmount: amount(text.maxAmount, 'max amount'),
  };
}
