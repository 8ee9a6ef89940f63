import { closeSync, openSync, writeSync } from 'node:fs';

/** A buffered, synchronous file writer: streams large exports with bounded memory. */
export class FileSink {
  private readonly fd: number;
  private buffer = '';

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** XML text and attribute escaping; control characters XML 1.0 forbids are replaced by U+FFFD. */
export function escapeXml(value: string): string {
  return value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
