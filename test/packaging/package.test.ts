import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  files: string[];
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** `yaml` from `from 'yaml'`, `@scope/pkg` from `import('@scope/pkg/sub')`; built-ins and relative paths left out. */
function barePackages(source: string): string[] {
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  const specifiers = patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]!))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

describe('the published package', () => {
  it('every package the built CLI imports is a runtime dependency', () => {
    const built = filesUnder(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    expect(built.length).toBeGreaterThan(50);
    const used = new Map<string, string>();
    for (const file of [...built, join(ROOT, 'bin', 'hoptrace')])
      for (const name of barePackages(readFileSync(file, 'utf8'))) used.set(name, relative(ROOT, file));
    const missing = [...used].filter(([name]) => !(name in manifest.dependencies)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
    // The scan does find the imports it guards: these are read at run time.
    expect([...used.keys()].sort()).toEqual(expect.arrayContaining(['@commander-js/extra-typings', 'better-sqlite3', 'csv-parse', 'ethers', 'yaml']));
    // The typed commands' package re-exports commander, its peer: that must ship too.
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@commander-js/extra-typings', 'commander']));
  });

  it('the tarball holds every file the CLI reads at run time', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const packed = new Set((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    // The demo's samples, the built-in bank profiles, the shipped OFAC starter list, the entry point.
    const needed = ['samples', join('adapters', 'bank', 'profiles'), join('adapters', 'tags', 'starter')].flatMap((dir) =>
      filesUnder(join(ROOT, dir)).map((f) => relative(ROOT, f)),
    );
    needed.push('bin/hoptrace', 'dist/src/cli/main.js', 'package.json');
    expect(needed.filter((f) => !packed.has(f))).toEqual([]);
    // Nothing of the development tree: tests, fixtures, case files.
    expect([...packed].filter((f) => f.startsWith('test/') || f.endsWith('.db'))).toEqual([]);
  });
});
