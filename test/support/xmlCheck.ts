/**
 * A small strict XML 1.0 well-formedness check for the exports' tests (no parser dependency):
 * one root, balanced and properly nested tags, quoted attributes without raw '<' or '&', only the
 * five predefined or numeric entities, no characters XML forbids. Returns the element counts.
 */
export function checkXml(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let roots = 0;
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error('forbidden control character');
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<!--[\s\S]*?-->)/gy;
  let index = 0;
  while (index < body.length) {
    token.lastIndex = index;
    const m = token.exec(body);
    if (!m) throw new Error(`not well-formed near: ${JSON.stringify(body.slice(index, index + 60))}`);
    index = token.lastIndex;
    if (m[5] !== undefined || m[6] !== undefined) {
      const textPart = m[5] ?? '';
      if (stack.length === 0 && textPart.trim() !== '') throw new Error('text outside the root element');
      checkEntities(textPart);
      continue;
    }
    const [, closing, name, attributes, selfClosing] = m;
    checkEntities(attributes ?? '');
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      continue;
    }
    if (stack.length === 0) roots++;
    counts.set(name!, (counts.get(name!) ?? 0) + 1);
    if (!selfClosing) stack.push(name!);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return counts;
}

function checkEntities(text: string): void {
  for (const m of text.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1] ?? '') || !m[0].endsWith(';')) throw new Error(`bad entity ${m[0]}`);
  }
}
