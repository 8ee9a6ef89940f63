/**
 * A one-line progress bar on stderr for inputs over 10 MB, only when stderr is a terminal (never
 * in logs or pipes, where it would be noise).
 */
export function progressReporter(quiet: boolean): ((path: string, bytesRead: number, size: number) => void) | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  let lastDraw = 0;
  return (path, bytesRead, size) => {
    if (size < 10 * 1024 * 1024) return;
    const now = Date.now();
    if (now - lastDraw < 100 && bytesRead < size) return;
    lastDraw = now;
    const share = Math.min(1, bytesRead / size);
    const width = 30;
    const filled = Math.round(share * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    process.stderr.write(`\r${path.slice(-40)} [${bar}] ${(share * 100).toFixed(0)}% ${mb(bytesRead)}/${mb(size)} MB${bytesRead >= size ? '\n' : ''}`);
  };
}
