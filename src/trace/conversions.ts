import { BigNumber } from 'bignumber.js';
import { formatAmount, mulDivFloor } from '../model/amount.js';
import type { TraceEdge, TraceResult } from '../model/trace.js';

/**
 * A link that carried traced money (docs/design.md, "Data model": links; "Tracing semantics", rule 7): the fiat payment
 * into the converter's bank account and the crypto transfer the converter paid out for it. In a
 * graph it is the edge from the fiat payment's recipient to the crypto transfer's sender: without
 * it the bank side and the chain side of a trace are separate graphs.
 */
export interface Conversion {
  /** Index of the fiat edge and of the crypto edge in `result.edges`. */
  fiatEdge: number;
  cryptoEdge: number;
  fiat: TraceEdge;
  crypto: TraceEdge;
  /** Crypto per unit of fiat (crypto amount ÷ fiat amount), see `exactRate`. */
  rate: string;
  /** The same rate as a reduced fraction of minor-unit-free amounts: "27/25". */
  rateFraction: string;
  /** Traced money the link carried into the crypto transfer, per victim payment (seed id), in the crypto asset. */
  tracedBySeed: Record<string, string>;
  /** Traced fiat money the payment carried, per victim payment. */
  fiatBySeed: Record<string, string>;
  /** Sum of tracedBySeed. */
  traced: string;
}

const RATE_PLACES = 12;
const Rate = BigNumber.clone({ DECIMAL_PLACES: RATE_PLACES, ROUNDING_MODE: BigNumber.ROUND_HALF_EVEN, EXPONENTIAL_AT: 1e9 });

const decimalsOf = (text: string): number => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);
const unitsOf = (text: string): bigint => BigInt(text.replace('.', ''));
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/**
 * The rate a link implies, exact when the quotient terminates within 12 decimals ("1.08"),
 * otherwise rounded half-even at the 12th decimal; `fraction` is always exact ("50/47").
 */
export function impliedRate(fiatAmount: string, cryptoAmount: string): { rate: string; fraction: string } {
  const rate = new Rate(cryptoAmount).div(new Rate(fiatAmount));
  // A rational p/q over minor units: (crypto·10^fd) / (fiat·10^cd).
  const fd = decimalsOf(fiatAmount);
  const cd = decimalsOf(cryptoAmount);
  let num = unitsOf(cryptoAmount) * 10n ** BigInt(fd);
  let den = unitsOf(fiatAmount) * 10n ** BigInt(cd);
  const g = den === 0n ? 1n : gcd(num, den);
  if (g !== 0n) [num, den] = [num / g, den / g];
  return { rate: rate.isFinite() ? rate.toFixed() : 'undefined', fraction: `${num}/${den}` };
}

/**
 * Every link of a trace that carried traced money, in the order of the crypto edges. The per-seed
 * share is the engine's own arithmetic (src/trace/engine.ts, convert): floor(crypto × fiat share ÷ fiat).
 */
export function traceConversions(result: TraceResult): Conversion[] {
  const fiatIndex = new Map<number, number>();
  result.edges.forEach((e, i) => {
    if (e.outcome === 'linked' && !fiatIndex.has(e.transfer)) fiatIndex.set(e.transfer, i);
  });
  const out: Conversion[] = [];
  result.edges.forEach((crypto, cryptoEdge) => {
    if (crypto.viaLink === undefined) return;
    const fiatEdge = fiatIndex.get(crypto.viaLink);
    if (fiatEdge === undefined) return;
    const fiat = result.edges[fiatEdge]!;
    const fiatUnits = unitsOf(fiat.amount);
    const cryptoUnits = unitsOf(crypto.amount);
    const cryptoDecimals = decimalsOf(crypto.amount);
    const tracedBySeed: Record<string, string> = {};
    let traced = 0n;
    for (const [seed, amount] of Object.entries(fiat.bySeed)) {
      const units = fiatUnits === 0n ? 0n : mulDivFloor(cryptoUnits, unitsOf(amount), fiatUnits);
      tracedBySeed[seed] = formatAmount(units, cryptoDecimals);
      traced += units;
    }
    const { rate, fraction } = impliedRate(fiat.amount, crypto.amount);
    out.push({
      fiatEdge,
      cryptoEdge,
      fiat,
      crypto,
      rate,
      rateFraction: fraction,
      tracedBySeed,
      fiatBySeed: { ...fiat.bySeed },
      traced: formatAmount(traced, cryptoDecimals),
    });
  });
  return out;
}
