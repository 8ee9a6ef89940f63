import type { TraceResult } from '../../model/trace.js';

/**
 * The human answer to a trace: per victim what was paid and where it went, endpoints by
 * category, freeze candidates, and the conservation line.
 */
export function formatTraceSummary(result: TraceResult): string {
  const out: string[] = [];
  const minAmount = result.params.minAmount
    ? Object.entries(result.params.minAmount)
        .map(([asset, amount]) => `${amount} ${asset}`)
        .join(', ')
    : '';
  out.push(`rule ${result.rule}${result.params.maxHops ? `, max ${result.params.maxHops} hops` : ''}${minAmount ? `, min amount ${minAmount}` : ''}`);
  out.push('');
  const seedsByVictim = new Map<string, TraceResult['seeds']>();
  for (const seed of result.seeds) seedsByVictim.set(seed.from, [...(seedsByVictim.get(seed.from) ?? []), seed]);
  for (const [victim, seeds] of seedsByVictim) {
    const paid = sumByAsset(seeds.map((s) => ({ asset: s.asset, amount: s.paid })));
    const traced = sumByAsset(seeds.map((s) => ({ asset: s.asset, amount: s.traced })));
    out.push(
      `victim ${victim}: paid ${paid} in ${seeds.length} payment${seeds.length === 1 ? '' : 's'}${traced === paid ? '' : `; traced ${traced} (the rest was money already traced to earlier payments)`}`,
    );
    const ids = new Set(seeds.map((s) => s.id));
    const share = (bySeed: Record<string, string>, asset: string): { asset: string; amount: string }[] =>
      Object.entries(bySeed)
        .filter(([id]) => ids.has(id))
        .map(([, amount]) => ({ asset, amount }));
    for (const e of result.endpoints) {
      const parts = share(e.bySeed, e.asset);
      if (parts.length > 0)
        out.push(`  → ${e.category.padEnd(17)} ${sumByAsset(parts).padStart(20)}  ${e.ident}${e.labels.length ? ` (${e.labels.join('; ')})` : ''}`);
    }
    const held = result.held.flatMap((h) => share(h.bySeed, h.asset));
    if (held.length > 0) out.push(`  → still held         ${sumByAsset(held).padStart(20)}`);
    const stopped = [...result.beyondHopLimit, ...result.belowThreshold].flatMap((h) => share(h.bySeed, h.asset));
    if (stopped.length > 0) out.push(`  → stopped by limits  ${sumByAsset(stopped).padStart(20)}`);
  }
  out.push('');
  if (result.endpoints.length > 0) {
    out.push('endpoints by category:');
    const byCategory = new Map<string, { asset: string; amount: string }[]>();
    for (const e of result.endpoints) byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), { asset: e.asset, amount: e.amount }]);
    for (const [category, amounts] of [...byCategory].sort(([a], [b]) => (a < b ? -1 : 1))) out.push(`  ${category.padEnd(18)} ${sumByAsset(amounts)}`);
    out.push('');
  }
  const inCase = result.held.filter((h) => h.history.class === 'in-case');
  const lastSeen = result.held.filter((h) => h.history.class === 'last-seen');
  if (inCase.length > 0) {
    out.push('freeze candidates (history in the case; holding as of):');
    for (const h of inCase)
      out.push(
        `  ${h.rail.padEnd(9)} ${h.ident}  ${h.amount} ${h.asset}  as of ${h.history.class === 'in-case' ? `${h.history.until} (${h.history.basis})` : ''}`,
      );
    out.push('');
  }
  if (lastSeen.length > 0) {
    out.push('follow up: history not in the case (traced money last seen here):');
    for (const h of lastSeen)
      out.push(`  ${h.rail.padEnd(9)} ${h.ident}  ${h.amount} ${h.asset}  last seen ${h.history.class === 'last-seen' ? h.history.lastSeen : ''}`);
    out.push('');
  }
  for (const t of result.totals.byAsset) {
    const parts = [`seeded ${t.seeded}`];
    if (t.linkedIn !== zero(t.linkedIn)) parts.push(`+ linked in ${t.linkedIn}`);
    if (t.convertedOut !== zero(t.convertedOut)) parts.push(`− converted by links ${t.convertedOut}`);
    parts.push(`= endpoints ${t.atEndpoints} + held ${t.held} + beyond hop limit ${t.beyondHopLimit} + below threshold ${t.belowThreshold}`);
    const balance =
      t.unaccounted === zero(t.unaccounted)
        ? 'conserved'
        : `unaccounted ${t.unaccounted}${result.rule === 'poison' ? ' (poison traces whole outflows: totals exceed the seeds)' : ''}`;
    out.push(`${t.asset}: ${parts.join(' ')}  [${balance}]`);
    if (t.unknownSourceDrawn !== zero(t.unknownSourceDrawn))
      out.push(`  outflows beyond known balances drew ${t.unknownSourceDrawn} ${t.asset} from an unknown source (missing history)`);
  }
  out.push(
    `${result.totals.edges} transfer${result.totals.edges === 1 ? '' : 's'} carried traced money; ${result.totals.accountsReached} account${result.totals.accountsReached === 1 ? '' : 's'} reached`,
  );
  return out.join('\n') + '\n';
}

function zero(amount: string): string {
  return amount.replace(/\d/g, '0');
}

/** Sums decimal strings per asset, exactly (they share their asset's decimals). */
function sumByAsset(items: { asset: string; amount: string }[]): string {
  const totals = new Map<string, { units: bigint; decimals: number }>();
  for (const { asset, amount } of items) {
    const [whole = '0', fraction = ''] = amount.split('.');
    const units = BigInt(whole + fraction);
    const entry = totals.get(asset) ?? { units: 0n, decimals: fraction.length };
    entry.units += units;
    totals.set(asset, entry);
  }
  return [...totals]
    .map(([asset, { units, decimals }]) => {
      const digits = units.toString().padStart(decimals + 1, '0');
      return `${decimals > 0 ? digits.slice(0, -decimals) + '.' + digits.slice(-decimals) : digits} ${asset}`;
    })
    .join(' + ');
}

/**
 * The warning for a trace whose every seed was after --until (docs/tracing.md, "--until": such a
 * payment is not a seed): it traced nothing, which a typo in the time would also give.
 */
export function untilWarning(result: TraceResult): string {
  if (result.seeds.length > 0 || result.params.until === null) return '';
  return `hoptrace: warning: every seed is after --until (${result.params.until}): nothing was traced\n`;
}
