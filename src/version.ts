import { readFileSync } from 'node:fs';

/** hoptrace's own version, as reports cite it. Read from package.json (src/ in tests, dist/src/ when built). */
export function toolVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'hoptrace' && manifest.version) return manifest.version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}
