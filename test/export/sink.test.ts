import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeXml, FileSink } from '../../src/export/graph/sink.js';
import { tempDir } from '../support/cli.js';

describe('FileSink', () => {
  it('writes every piece in order, as UTF-8, across its 4 MB buffer and past it in one piece', () => {
    const path = join(tempDir(), 'out.txt');
    const sink = new FileSink(path);
    const pieces = ['<a>', 'Überweisung €', '😀', 'x'.repeat(3_000_000), 'ä'.repeat(1_500_000), 'y'.repeat(5_000_000), 'end\n'];
    for (const piece of pieces) sink.write(piece);
    sink.commit();
    expect(readFileSync(path, 'utf8')).toBe(pieces.join(''));
    expect(readFileSync(path).length).toBe(Buffer.byteLength(pieces.join('')));
  });
});

describe('FileSink: nothing half-written', () => {
  it('nothing is at the path until the file is committed; a discarded one leaves the path as it was', () => {
    const dir = tempDir();
    const fresh = join(dir, 'fresh.graphml');
    const sink = new FileSink(fresh);
    sink.write('x'.repeat(5_000_000));
    expect(existsSync(fresh)).toBe(false);
    sink.discard();
    expect(readdirSync(dir)).toEqual([]);
    const kept = join(dir, 'kept.graphml');
    writeFileSync(kept, 'an earlier export');
    const again = new FileSink(kept);
    again.write('half of a new one');
    again.discard();
    expect(readFileSync(kept, 'utf8')).toBe('an earlier export');
    expect(readdirSync(dir)).toEqual(['kept.graphml']);
  });
});

describe('escapeXml', () => {
  it('returns text with nothing to escape as it is, and escapes the rest', () => {
    expect(escapeXml('TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu')).toBe('TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu');
    expect(escapeXml('a&b<c>"d\'\u0001\uffff')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;\ufffd\ufffd');
  });
});
