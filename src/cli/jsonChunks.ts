/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte: arrays and plain objects near the
 * top are written member by member, the rest by JSON.stringify. `hoptrace cluster --json` on
 * 1,000,000 accounts or `detect --json` on 500,000 transfers prints 70–170 MB; built as one
 * string, the output and the stringifier's buffers took several times that at once.
 */
export function* jsonChunks(value: unknown, depth = 2, indent = ''): Generator<string> {
  if (depth > 0 && Array.isArray(value)) {
    yield* jsonArrayChunks(value, depth, indent);
    return;
  }
  if (depth > 0 && isPlainObject(value)) {
    const inner = indent + '  ';
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      const nested = depth > 1 && isContainer(member);
      const text = nested ? '' : stringifyAt(member, inner);
      if (text === undefined) continue;
      yield `${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
      first = false;
      if (nested) yield* jsonChunks(member, depth - 1, inner);
      else yield text;
    }
    yield first ? '{}' : `\n${indent}}`;
    return;
  }
  yield stringifyAt(value, indent) ?? 'undefined';
}

/**
 * What `jsonChunks` writes for an array of these items, taking them one by one as they come:
 * an array too large to hold (`hoptrace detect --json`'s findings, read a page at a time) is
 * printed as the same text.
 */
export function* jsonArrayChunks(items: Iterable<unknown>, depth = 2, indent = ''): Generator<string> {
  const inner = indent + '  ';
  let first = true;
  for (const item of items) {
    yield first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    // In an array, what JSON.stringify leaves out (undefined, a function) is written as null.
    if (depth > 1 && isContainer(item)) yield* jsonChunks(item, depth - 1, inner);
    else yield stringifyAt(item, inner) ?? 'null';
  }
  yield first ? '[]' : `\n${indent}]`;
}

/**
 * `JSON.stringify([...items], null, 2)`, byte for byte, taking the items one by one as they come
 * and stringifying `batch` of them at a time: JSON.stringify of an array indents its items as the
 * whole output does, so a batch's text between its brackets is that of its items in the output
 * (a `toJSON` is given the item's index within its batch, which none of hoptrace's values read).
 * For many small items (`hoptrace detect --json`'s findings) this is one call per batch instead of
 * a call and a re-indented copy per item and member (docs/performance.md, `detect`).
 */
export function* jsonArrayBatches(items: Iterable<unknown>, batch = 256): Generator<string> {
  let pending: unknown[] = [];
  let first = true;
  const text = (): string => {
    // "[\n" + the items, each line indented by two + "\n]"
    const whole = JSON.stringify(pending, null, 2);
    const inner = whole.slice(2, -2);
    pending = [];
    const out = first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    return out;
  };
  for (const item of items) {
    pending.push(item);
    if (pending.length >= batch) yield text();
  }
  if (pending.length > 0) yield text();
  yield first ? '[]' : '\n]';
}

/** JSON.stringify's text for a value written at this indent, or undefined for what it leaves out. */
function stringifyAt(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // JSON text has no raw line breaks inside strings, so every line break is indentation.
  return text === undefined || indent === '' ? text : text.replaceAll('\n', '\n' + indent);
}

function isContainer(value: unknown): boolean {
  return Array.isArray(value) || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
