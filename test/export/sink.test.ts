import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('FileSink: what is at the path', () => {
  it('a symbolic link is followed: the file it names gets the new text, the link stays a link', () => {
    const dir = tempDir();
    const target = join(dir, 'report-v1.md');
    const link = join(dir, 'report.md');
    writeFileSync(target, 'the earlier report');
    symlinkSync(target, link);
    const sink = new FileSink(link);
    sink.write('the new report');
    sink.commit();
    // Before: the link was replaced by a file, and the file it named kept the earlier report.
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('the new report');
    expect(readdirSync(dir).sort()).toEqual(['report-v1.md', 'report.md']);
  });

  it('the permissions of the file it replaces are kept (a report readable by its owner only stays so)', () => {
    const path = join(tempDir(), 'private.md');
    writeFileSync(path, 'earlier', { mode: 0o600 });
    chmodSync(path, 0o600);
    const sink = new FileSink(path);
    sink.write('new');
    sink.commit();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('what is not a regular file (a pipe, /dev/stdout) is written in place, not replaced by a file', async () => {
    const dir = tempDir();
    const pipe = join(dir, 'pipe');
    execFileSync('mkfifo', [pipe]);
    const reader = spawn('cat', [pipe]);
    let read = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      read += chunk;
    });
    try {
      const sink = new FileSink(pipe);
      sink.write('through the pipe');
      sink.commit();
      await once(reader, 'close');
      expect(read).toBe('through the pipe');
      expect(lstatSync(pipe).isFIFO()).toBe(true);
      expect(readdirSync(dir)).toEqual(['pipe']);
    } finally {
      reader.kill();
    }
  });
});

describe('escapeXml', () => {
  it('returns text with nothing to escape as it is, and escapes the rest', () => {
    expect(escapeXml('TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu')).toBe('TXgAjDE9irV6QDV6c95KqzsyneazqvdeTu');
    expect(escapeXml('a&b<c>"d\'\u0001\uffff')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;\ufffd\ufffd');
  });
});
