/**
 * Canvas benchmark: frames per second while an investigator pans and zooms a traced flow of 5,000
 * accounts, in headless Chromium (Debian's, SwiftShader WebGL as on a machine without a GPU), on the
 * workbench page beside a bare sigma page drawing the same graph (sigma's defaults, no app around
 * it), in the same browser, alternating, twice each. Frames are counted with requestAnimationFrame
 * while the mouse drags the view and the wheel zooms it.
 *
 *   npx tsx bench/canvas.bench.ts [--accounts N]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../src/report/writeReport.js';
import { startServer } from '../src/serve/server.js';
import type { Db } from '../src/store/caseStore.js';
import { writeGeneratedCase } from './generatedCase.js';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ACCOUNTS = argValue('--accounts', 5_000);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DB = join(ROOT, 'bench', 'out', `canvas-${ACCOUNTS}.db`);
const ident = (i: number) => `T${String(i).padStart(33, '0')}`;

/** A victim (1) pays a mule (2), who splits it among ACCOUNTS − 2 wallets: the trace touches ACCOUNTS accounts. */
function fill(db: Db): void {
  const account = db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (?, 'tron', ?)");
  const transfer = db.prepare(
    "INSERT INTO transfers (rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, source_id, line) VALUES ('tron', 'USDT', NULL, 6, ?, ?, ?, ?, ?, 0, 1, ?)",
  );
  const start = Date.UTC(2025, 0, 1);
  db.transaction(() => {
    for (let i = 1; i <= ACCOUNTS; i++) account.run(i, ident(i));
    transfer.run(BigInt(ACCOUNTS - 2) * 1_000_000n, 1, 2, start, 'seed', 2);
    for (let i = 3; i <= ACCOUNTS; i++) transfer.run(1_000_000n, 2, i, start + i * 1000, `split${i}`, i);
  })();
}

if (!existsSync(DB)) writeGeneratedCase(DB, fill);

// The bare page: sigma on graphology with the same graph, nothing else.
const bare = await build({
  stdin: {
    contents: `import Graph from 'graphology'; import Sigma from 'sigma';
      window.draw = (data) => { const graph = Graph.from(data); new Sigma(graph, document.getElementById('graph')); };`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  write: false,
  minify: true,
});

/** Frames per second over about five seconds of drags and wheel zooms on the canvas. */
async function framesWhilePanning(page: Page, selector: string): Promise<number> {
  const box = (await page.locator(selector).boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // A string, not a function: tsx would wrap a named arrow in a helper the page does not have.
  await page.evaluate(`(() => {
    window.frames_ = 0;
    window.counting_ = true;
    const tick = () => {
      window.frames_++;
      if (window.counting_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  // Drags and zooms for five seconds (each input waits for the page to take it, so a slow canvas gets fewer).
  const started = Date.now();
  for (let round = 0; Date.now() - started < 5_000; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let step = 1; step <= 8 && Date.now() - started < 5_000; step++) await page.mouse.move(cx + Math.sin(step / 2) * 150, cy + Math.cos(step / 2) * 100);
    await page.mouse.up();
    await page.mouse.wheel(0, round % 2 === 0 ? -300 : 300);
  }
  const seconds = (Date.now() - started) / 1000;
  const frames = (await page.evaluate('window.counting_ = false, window.frames_')) as number;
  return frames / seconds;
}

const server = await startServer({ casePath: DB, host: '127.0.0.1', port: 0, write: false });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
});
try {
  const workbench = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The victim's payment (transfer 1) as the seed: the generated idents are not real Tron addresses.
  await workbench.goto(`${server.url}&trace=transfer:1&rule=fifo`);
  await workbench.waitForFunction(
    () => ['ready', 'error'].includes((globalThis as unknown as { __hoptrace?: { state: string } }).__hoptrace?.state ?? ''),
    null,
    { timeout: 300_000 },
  );
  const failed = await workbench.evaluate(() => (globalThis as unknown as { __hoptrace: { error: string | null } }).__hoptrace.error);
  if (failed) throw new Error(`the workbench could not open the trace: ${failed}`);
  const graph = await workbench.evaluate(() =>
    (globalThis as unknown as { __hoptrace: { graph: { order: number; size: number; export(): unknown } } }).__hoptrace.graph.export(),
  );
  const shape = await workbench.evaluate(() => [
    (globalThis as unknown as { __hoptrace: { graph: { order: number } } }).__hoptrace.graph.order,
    (globalThis as unknown as { __hoptrace: { graph: { size: number } } }).__hoptrace.graph.size,
  ]);

  const bareSigma = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The same stage size as the workbench's canvas.
  const stage = (await workbench.locator('#graph').boundingBox())!;
  await bareSigma.setContent(
    `<!doctype html><html><body style="margin:0"><div id="graph" style="width:${stage.width}px;height:${stage.height}px"></div></body></html>`,
  );
  await bareSigma.addScriptTag({ content: bare.outputFiles[0]!.text });
  await bareSigma.evaluate((data) => (globalThis as unknown as { draw(d: unknown): void }).draw(data), graph);

  const fps: Record<string, number[]> = { workbench: [], 'bare sigma': [] };
  for (let run = 0; run < 2; run++) {
    fps['workbench']!.push(await framesWhilePanning(workbench, '#graph'));
    fps['bare sigma']!.push(await framesWhilePanning(bareSigma, '#graph'));
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  process.stdout.write(
    `canvas: ${shape[0]} accounts, ${shape[1]} edges (a traced split), stage ${stage.width}×${stage.height}, headless Chromium with SwiftShader WebGL\n`,
  );
  for (const [name, values] of Object.entries(fps))
    process.stdout.write(
      `  ${name.padEnd(12)} ${values.map((v) => v.toFixed(1)).join(', ')} frames/s while panning and zooming (mean ${mean(values).toFixed(1)})\n`,
    );
  process.stdout.write(`  workbench / bare sigma: ${(mean(fps['workbench']!) / mean(fps['bare sigma']!)).toFixed(2)}\n`);
  process.stdout.write(`  peak RSS of this process (server and bench; Chromium is separate) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
} finally {
  await browser.close();
  await server.close();
}
