import { HoptraceError } from '../../src/model/errors.js';

/**
 * A character reference (`&#233;`, `&#xE9;`): only code points XML allows (XML 1.0 §2.2, "Char").
 * `&#x110000;` or `&#0;` is malformed input naming its line, not a RangeError from fromCodePoint.
 */
export function xmlCharacter(reference: string, path: string, line: number): string {
  const hex = reference.startsWith('&#x') || reference.startsWith('&#X');
  const digits = reference.slice(hex ? 3 : 2, -1).replace(/^0+(?=.)/, '');
  const code = digits.length > 8 ? Infinity : parseInt(digits, hex ? 16 : 10);
  const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  if (!allowed) throw new HoptraceError(`XML: ${reference} is not a character XML allows`, { file: path, line });
  return String.fromCodePoint(code);
}
