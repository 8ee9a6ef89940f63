import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { join } from 'node:path';

describe('exit codes (docs/cli.md)', () => {
  it('0 for --help and --version, 2 for a command line hoptrace cannot parse, 1 for a user error', () => {
    expect(hoptrace(['--help']).status).toBe(0);
    expect(hoptrace(['--version']).status).toBe(0);
    expect(hoptrace(['trace', '--help']).status).toBe(0);
    const unknown = hoptrace(['info', '--bogus']);
    expect(unknown.stderr).toContain("error: unknown option '--bogus'");
    expect(unknown.status).toBe(2);
    const missing = hoptrace(['trace']);
    expect(missing.stderr).toContain("error: missing required argument 'seeds'");
    expect(missing.status).toBe(2);
    expect(hoptrace(['trace', 'x', '--rule', 'lottery']).status).toBe(2);
    const user = hoptrace(['--db', join(tempDir(), 'none.db'), 'info']);
    expect(user.stderr).toMatch(/^hoptrace: no case file at /);
    expect(user.status).toBe(1);
  });
});
