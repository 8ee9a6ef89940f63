// Bundles the workbench page (web/) with its npm dependencies (sigma, graphology) into dist/web,
// at build time: `hoptrace serve` fetches nothing from the internet (docs/workbench.md). Each file
// is written beside its place and renamed into it, so a server reading dist/web while a build runs
// (two test files building at once) never serves half a bundle.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'web', 'main.ts')],
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  outfile: join(out, 'app.js'),
  write: false,
  logLevel: 'warning',
});
const place = (path, contents) => {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
};
for (const file of result.outputFiles) place(file.path, file.contents);
place(join(out, 'app.css'), readFileSync(join(root, 'web', 'app.css')));
