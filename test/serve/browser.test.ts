import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { CHROMIUM } from '../../src/report/writeReport.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { ROOT, hoptrace, tempDir } from '../support/cli.js';
import { countColour, readPng } from '../support/png.js';
import { ANNA, GOLDEN_LOTUS_BANK, KEVIN, buildDemoCase } from '../support/workbench.js';

/**
 * The workbench in a real headless Chromium (Debian's, installed by .ci/run: apt-get install -y
 * chromium; playwright-core drives it and downloads nothing). The graph is read through the test
 * hook `(globalThis as unknown as Hooked).__hoptrace.graph`, the page's graphology instance. A missing browser fails the
 * test, never skips it.
 */
const TOKEN = 'browser-token-0123456789abcdef';
const SEEDS = [`account:${ANNA}`, 'account:NL45INGB0004123456', 'account:0x090fa40851205443ebe9625ebc941ad9cf93162c'];
let db: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: apt-get install -y chromium`).toBe(true);
  db = buildDemoCase();
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  server = await startServer({ casePath: db, host: '127.0.0.1', port: 0, write: false, token: TOKEN });
  // SwiftShader: WebGL without a GPU, as on a CI machine.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'] });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // Anything the page requests from elsewhere than this server would be a leak: block and record it.
  await page.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
    errors.push(`external request ${route.request().url()}`);
    return route.abort();
  });
  await page.goto(`http://127.0.0.1:${server.port}/?token=${TOKEN}${query ? `&${query}` : ''}`);
  await settle(page);
  return { page, errors };
}

const settle = (page: Page) => page.waitForFunction(() => (globalThis as unknown as Hooked).__hoptrace !== undefined && ((globalThis as unknown as Hooked).__hoptrace.state === 'ready' || (globalThis as unknown as Hooked).__hoptrace.state === 'error'), null, { timeout: 30_000 });

/** The page's test hook, as the test reads it inside the browser (tsconfig has no DOM lib). */
interface Hooked {
  __hoptrace: { graph: { order: number; size: number; nodes(): string[]; edges(): string[]; source(e: string): string; target(e: string): string }; state: string; error: string | null };
}

describe('the workbench in headless Chromium', () => {
  it('opens ?trace=…&rule=fifo as if run from the page: the graph holds the traced accounts and edges, and is painted', async () => {
    const cli = hoptrace(['--db', db, 'trace', ...SEEDS, '--rule', 'fifo', '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const trace = JSON.parse(cli.stdout) as TraceResult;
    const { page, errors } = await open(`trace=${encodeURIComponent(SEEDS.join(','))}&rule=fifo`);
    expect(await page.evaluate(() => [(globalThis as unknown as Hooked).__hoptrace.state, (globalThis as unknown as Hooked).__hoptrace.error])).toEqual(['ready', null]);

    // Every account traced money touched, one edge per traced transfer, one conversion edge per
    // (OTC bank account → OTC wallet) pair a linked fiat payment became crypto through.
    const accounts = new Set(trace.edges.flatMap((e) => [`${e.rail}:${e.from}`, `${e.rail}:${e.to}`]));
    const byTransfer = new Map(trace.edges.map((e) => [e.transfer, e]));
    const conversions = new Set(trace.edges.filter((e) => e.viaLink !== undefined).map((e) => `link:bank:${byTransfer.get(e.viaLink!)!.to}>${e.rail}:${e.from}`));
    expect(conversions).toEqual(new Set([`link:bank:${GOLDEN_LOTUS_BANK}>tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo`]));
    const graph = await page.evaluate(() => {
      const g = (globalThis as unknown as Hooked).__hoptrace.graph;
      return { order: g.order, size: g.size, nodes: g.nodes(), edges: g.edges().map((e) => [e, g.source(e), g.target(e)]) };
    });
    expect(graph.order).toBe(accounts.size);
    expect(graph.size).toBe(trace.edges.length + conversions.size);
    expect(new Set(graph.nodes)).toEqual(accounts);
    expect(graph.edges.filter(([key]) => key!.startsWith('transfer:')).map(([key, from, to]) => [key, from, to]).sort()).toEqual(trace.edges.map((e) => [`transfer:${e.transfer}`, `${e.rail}:${e.from}`, `${e.rail}:${e.to}`]).sort());
    expect(graph.edges.filter(([key]) => key!.startsWith('link:')).map(([key]) => key)).toEqual([...conversions]);
    // The page shows the same trace: its totals line and endpoints.
    expect(await page.locator('#trace-result p').first().textContent()).toBe(`fifo: ${trace.totals.edges} edges, ${trace.totals.accountsReached} accounts reached, conserved`);
    expect(await page.locator('#seeds').inputValue()).toBe(SEEDS.join('\n'));

    // Not blank: the canvas differs from its white background, and the three victims' nodes
    // are painted in the victim colour.
    const image = readPng(await page.locator('#graph').screenshot());
    const total = image.width * image.height;
    const painted = total - countColour(image, '#ffffff', 2);
    expect(painted).toBeGreaterThan(3000);
    expect(countColour(image, '#283593', 12)).toBeGreaterThan(3 * 60);

    // The same seeds under every rule, side by side; the FIFO rows are this trace's totals.
    await page.click('#compare-rules');
    await page.waitForSelector('table.compare');
    await settle(page);
    const rows = await page.locator('table.compare tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(['fifo', 'lifo', 'pro-rata', 'libr', 'poison']);
    expect(rows.filter((r) => r[0] === 'fifo').map((r) => r.slice(1, 5))).toEqual(trace.totals.byAsset.map((a) => [a.asset, a.seeded, a.atEndpoints, a.held]));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('searches an account, opens its panel, expands its counterparties and keeps the view in the URL', async () => {
    const { page, errors } = await open('');
    await page.fill('#search', 'DE2910');
    await page.click('#search-form button[type=submit]');
    await settle(page);
    await page.click(`a.hit[data-key="bank:${KEVIN}"]`);
    await page.waitForSelector(`h2.ident[data-ident="${KEVIN}"]`);
    await settle(page);
    expect(await page.locator('table.balances tbody td').allTextContents()).toEqual(['EUR', '0.00', '55100.00', '45800.00', '9300.00']);
    expect(await page.locator('table.transfers tbody tr').count()).toBe(11);
    expect(await page.locator('table.history tbody tr').evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent))).toEqual(['19400.00', '9300.00']);
    expect(new URL(page.url()).searchParams.get('account')).toBe(`bank:${KEVIN}`);
    expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.graph.order)).toBe(1);

    await page.click('#expand');
    await page.waitForFunction(() => (globalThis as unknown as Hooked).__hoptrace.graph.order > 1);
    await settle(page);
    const graph = await page.evaluate(() => ({ nodes: (globalThis as unknown as Hooked).__hoptrace.graph.nodes().sort(), edges: (globalThis as unknown as Hooked).__hoptrace.graph.edges().sort() }));
    // Kevin, his five counterparties, and the OTC desk's wallet at the end of the conversion edge.
    expect(graph.nodes).toEqual(
      [`bank:${KEVIN}`, `bank:${ANNA}`, 'bank:DE94370400440532013007', 'bank:DE65370501980001112223', 'bank:DE68100500000445566778', `bank:${GOLDEN_LOTUS_BANK}`, 'tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo'].sort(),
    );
    expect(graph.edges).toEqual(
      [
        `flow:bank:${ANNA}>bank:${KEVIN}:EUR`,
        `flow:bank:DE94370400440532013007>bank:${KEVIN}:EUR`,
        `flow:bank:DE65370501980001112223>bank:${KEVIN}:EUR`,
        `flow:bank:${KEVIN}>bank:DE68100500000445566778:EUR`,
        `flow:bank:${KEVIN}>bank:${GOLDEN_LOTUS_BANK}:EUR`,
        `link:bank:${GOLDEN_LOTUS_BANK}>tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo`,
      ].sort(),
    );
    // The view exported as graphology JSON and as GraphML: the same accounts and edges.
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { nodes: { key: string }[]; edges: { key: string }[] };
    expect(exported.nodes.map((n) => n.key).sort()).toEqual(graph.nodes);
    expect(exported.edges.map((e) => e.key).sort()).toEqual(graph.edges);
    const [xml] = await Promise.all([page.waitForEvent('download'), page.click('#export-graphml')]);
    const graphml = readFileSync((await xml.path())!, 'utf8');
    expect(graphml).toContain(`<edge id="flow:bank:${KEVIN}&gt;bank:${GOLDEN_LOTUS_BANK}:EUR" source="bank:${KEVIN}" target="bank:${GOLDEN_LOTUS_BANK}"><data key="kind">flow</data><data key="asset">EUR</data><data key="amount">44000.00</data>`);
    const unescapeXml = (text: string) => text.replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect([...graphml.matchAll(/<node id="([^"]+)"/g)].map((m) => unescapeXml(m[1]!)).sort()).toEqual(graph.nodes);
    expect([...graphml.matchAll(/<edge id="([^"]+)"/g)].map((m) => unescapeXml(m[1]!)).sort()).toEqual(graph.edges);
    // Reopening the bookmarked URL opens the same account.
    const again = await open(`account=${encodeURIComponent(`bank:${KEVIN}`)}`);
    expect(await again.page.locator('h2.ident').getAttribute('data-ident')).toBe(KEVIN);
    expect(errors).toEqual([]);
    expect(again.errors).toEqual([]);
    await page.close();
    await again.page.close();
  }, 90_000);

  it('shows hostile labels from an attribution file as text: no element they carry is created', async () => {
    // A copy of the demo case with a tag whose label and source are markup (ingest tags, as a user would).
    const dir = tempDir('hoptrace-hostile-');
    const hostile = join(dir, 'case.db');
    copyFileSync(db, hostile);
    const csv = join(dir, 'hostile-tags.csv');
    writeFileSync(csv, `chain,address,category,label,confidence,source\nbank,${KEVIN},mule,"<img src=x onerror=""document.title='pwned'"">",50,"<script>document.title='pwned'</script>"\n`);
    const ingest = hoptrace(['--db', hostile, 'ingest', 'tags', csv]);
    expect(ingest.status, ingest.stderr).toBe(0);
    const other = await startServer({ casePath: hostile, host: '127.0.0.1', port: 0, write: false, token: TOKEN });
    const page = await browser.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`http://127.0.0.1:${other.port}/?token=${TOKEN}&account=${encodeURIComponent(`bank:${KEVIN}`)}`);
      await settle(page);
      await page.fill('#search', 'onerror');
      await page.click('#search-form button[type=submit]');
      await settle(page);
      expect(await page.title()).toBe('hoptrace workbench');
      expect(await page.locator('#panel img, #results img, #panel script, #results script').count()).toBe(0);
      expect(await page.locator('ul.tags').textContent()).toContain(`<img src=x onerror="document.title='pwned'">`);
      expect(await page.locator('#results').textContent()).toContain(`[<img src=x onerror="document.title='pwned'">]`);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await other.close();
    }
  }, 90_000);
});
