import { parseAmount } from '../model/amount.js';
import { HoptraceError } from '../model/errors.js';
import type { MinAmounts } from '../model/trace.js';

export interface CaseAsset {
  asset: string;
  decimals: number;
}

/**
 * `--min-amount` as thresholds per asset (DESIGN rule 6, docs/tracing.md): `X` is X in each
 * asset's own units (2000 = 2,000.00 EUR and 2,000.000000 USDT); `EUR=500,USDT=600` sets each
 * named asset and leaves the others without a threshold. Decimals come from the case's assets.
 */
export function parseMinAmount(text: string, assets: readonly CaseAsset[]): MinAmounts {
  const decimalsOf = new Map(assets.map((a) => [a.asset, a.decimals]));
  const parse = (value: string, asset: string, decimals: number): bigint => {
    try {
      return parseAmount(value, decimals, { thousandsSeparators: [] });
    } catch (error) {
      throw new HoptraceError(`--min-amount ${JSON.stringify(text)}: ${asset}: ${(error as Error).message}`, {
        hint: `${asset} has ${decimals} decimal places; write e.g. --min-amount 2000 or --min-amount EUR=500,USDT=600`,
      });
    }
  };
  const out: Record<string, { amount: bigint; decimals: number }> = {};
  if (!text.includes('=')) {
    for (const { asset, decimals } of assets) out[asset] = { amount: parse(text, asset, decimals), decimals };
    return out;
  }
  for (const part of text.split(',')) {
    const match = /^\s*([A-Za-z0-9._-]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!match)
      throw new HoptraceError(`--min-amount ${JSON.stringify(text)}: ${JSON.stringify(part)} is not ASSET=AMOUNT`, {
        hint: 'write --min-amount 2000 (every asset in its own units) or --min-amount EUR=500,USDT=600',
      });
    const asset = match[1]!;
    const decimals = decimalsOf.get(asset);
    if (decimals === undefined)
      throw new HoptraceError(`--min-amount: the case has no asset ${JSON.stringify(asset)}`, {
        hint: `its assets: ${assets.map((a) => a.asset).join(', ') || 'none'}`,
      });
    if (out[asset]) throw new HoptraceError(`--min-amount: ${asset} is given twice`);
    out[asset] = { amount: parse(match[2]!, asset, decimals), decimals };
  }
  return out;
}

/**
 * `--min-amount` as `export` applies it, transfer by transfer: the threshold in the transfer's own
 * units, or undefined for an asset the text names no threshold for. Read and checked as the
 * trace reads it (parseMinAmount), so both commands take the same texts; a transfer stored with
 * fewer decimals than its asset's most gets the threshold rounded down to them.
 */
export function minAmountUnits(text: string, assets: readonly CaseAsset[]): (asset: string, decimals: number) => bigint | undefined {
  const thresholds = parseMinAmount(text, assets);
  return (asset, decimals) => {
    const threshold = thresholds[asset];
    if (threshold === undefined) return undefined;
    const shift = decimals - threshold.decimals;
    return shift >= 0 ? threshold.amount * 10n ** BigInt(shift) : threshold.amount / 10n ** BigInt(-shift);
  };
}
