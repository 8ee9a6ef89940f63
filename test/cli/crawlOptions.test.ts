import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';

// docs/live-fetch.md, "Crawl": the crawl's options configure a live fetch; without --fetch (or
// with the other chain's crawl) they were ignored, and the trace ran offline with exit 0.
describe('trace: the crawl options need the crawl they belong to', () => {
  const db = (): string => join(tempDir(), 'case.db');

  it('a crawl option without --fetch is refused before anything is read', () => {
    for (const [option, value, belongs] of [
      ['--rpc', 'http://127.0.0.1:8545', '--fetch evm'],
      ['--api', 'https://api.trongrid.io', '--fetch tron'],
      ['--max-accounts', '50', '--fetch evm or --fetch tron'],
      ['--token', 'all', '--fetch evm or --fetch tron'],
      ['--from-block', '100', '--fetch evm'],
      ['--to-block', '200', '--fetch evm'],
      ['--confirmations', '0', '--fetch evm'],
      ['--concurrency', '2', '--fetch evm'],
    ] as const) {
      const path = db();
      const run = hoptrace(['--db', path, 'trace', 'account:DE68500105174417320965', option, value]);
      expect(run.status, option).toBe(1);
      expect(run.stderr).toBe(
        `hoptrace: ${option} configures a live fetch, and no --fetch was given: nothing would be fetched — add ${belongs}, or leave ${option} out to trace what the case holds\n`,
      );
      expect(existsSync(path)).toBe(false);
    }
  });

  it("an option of the other chain's crawl is refused", () => {
    const evm = hoptrace(['--db', db(), 'trace', 'x', '--fetch', 'evm', '--rpc', 'http://127.0.0.1:9', '--api', 'https://api.trongrid.io']);
    expect(evm).toMatchObject({ status: 1, stderr: 'hoptrace: --api is not an option of --fetch evm — it belongs to --fetch tron\n' });
    const tron = hoptrace(['--db', db(), 'trace', 'x', '--fetch', 'tron', '--api', 'http://127.0.0.1:9', '--confirmations', '3']);
    expect(tron).toMatchObject({ status: 1, stderr: 'hoptrace: --confirmations is not an option of --fetch tron — it belongs to --fetch evm\n' });
  });
});
