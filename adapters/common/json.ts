import { HoptraceError } from '../../src/model/errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse with an error that names the line (a truncated download is the usual cause). */
export function parseJsonDocument(text: string, path: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : lineAt(text, text.length);
    const truncated = /Unexpected end|Unterminated/.test(message) || (position !== null && Number(position[1]) >= text.trimEnd().length - 1);
    throw new HoptraceError(truncated ? 'JSON ends early (truncated download?)' : `invalid JSON: ${message}`, { file: path, line });
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Line on which each object opens, grouped by nesting depth, in document order. The nth item of
 * an array of objects at depth d is the nth object opened at depth d, so readers can report the
 * real line of a bad item in a JSON page.
 */
export function objectLinesByDepth(text: string): Map<number, number[]> {
  const byDepth = new Map<number, number[]>();
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (c === 123) {
        let list = byDepth.get(depth);
        if (!list) byDepth.set(depth, (list = []));
        list.push(line);
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return byDepth;
}

export function stringField(item: JsonObject, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = item[name];
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  }
  return undefined;
}
