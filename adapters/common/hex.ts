/**
 * Whether `text` from `start` to its end is exactly `digits` lower-case hex digits: what
 * `/^[0-9a-f]{64}$/` says of a transaction id, without a pattern match per row (a pattern was a
 * few percent of a reader's time; docs/performance.md).
 */
export function isLowerHex(text: string, start: number, digits: number): boolean {
  if (text.length !== start + digits) return false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
