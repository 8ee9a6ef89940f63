import type { SourceHoldings } from '../../model/types.js';

/**
 * What a source stored, by kind: its transfers always (the figure tracing counts), and a tag
 * list's tags, a links file's links or a blacklist's freeze events when it holds any. A tag list
 * listed as "rows 0" read as a file that had stored nothing.
 */
export function storedText(transfers: number, held: SourceHoldings): string {
  const others: [number, string][] = [
    [held.tags, 'tags'],
    [held.links, 'links'],
    [held.freezeEvents, 'freeze events'],
  ];
  return [`transfers ${transfers}`, ...others.filter(([n]) => n > 0).map(([n, what]) => `${what} ${n}`)].join('  ');
}
