/**
 * A report is built once as a small document (headings, paragraphs, lists, tables) and then
 * rendered to Markdown or HTML, so both formats hold the same content in the same order, and each
 * renderer escapes every string in one place.
 */
export type Inline = string | { code: string } | { strong: string } | { text: string; href: string };

/** A table cell: plain text, or a run of inlines. */
export type Cell = string | number | Inline[];

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'table'; headers: string[]; rows: Cell[][]; wide?: boolean }
  /** The SVG flow diagram: drawn in HTML, referred to in Markdown. */
  | { kind: 'diagram' };

export const heading = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
export const paragraph = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
export const list = (items: Inline[][]): Block => ({ kind: 'list', items });
export const table = (headers: string[], rows: Cell[][], wide = false): Block => ({ kind: 'table', headers, rows, ...(wide ? { wide } : {}) });
