/**
 * `String(n)` for the numbers an export or a CSV writes once per row (transfer ids, seqs, counts,
 * hops, cluster numbers), without V8's number-to-string cache: V8 allocates each string it puts in that
 * cache in the old generation, so a stream of distinct numbers (each edge's id) left
 * old-generation garbage that only a full collection freed. It was most of what grew in a
 * whole-case GraphML export's peak RSS when the case grew 10× (docs/performance.md, "Export").
 * `toFixed(0)` makes a short-lived string, with the same digits for every safe integer.
 */
export function numberText(n: number): string {
  return Number.isSafeInteger(n) ? n.toFixed(0) : String(n);
}
