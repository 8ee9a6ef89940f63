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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
  });
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

const settle = (page: Page) =>
  page.waitForFunction(
    () =>
      (globalThis as unknown as Hooked).__hoptrace !== undefined &&
      ((globalThis as unknown as Hooked).__hoptrace.state === 'ready' || (globalThis as unknown as Hooked).__hoptrace.state === 'error'),
    null,
    { timeout: 30_000 },
  );

/** The page's test hook, as the test reads it inside the browser (tsconfig has no DOM lib). */
interface Hooked {
  __hoptrace: {
    graph: {
      order: number;
      size: number;
      nodes(): string[];
      edges(): string[];
      source(e: string): string;
      target(e: string): string;
      getNodeAttribute(node: string, name: string): string;
    };
    state: string;
    error: string | null;
  };
}

describe('the workbench in headless Chromium', () => {
  it('opens ?trace=…&rule=fifo as if run from the page: the graph holds the traced accounts and edges, and is painted', async () => {
    const cli = hoptrace(['--db', db, 'trace', ...SEEDS, '--rule', 'fifo', '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const trace = JSON.parse(cli.stdout) as TraceResult;
    const { page, errors } = await open(`trace=${encodeURIComponent(SEEDS.join(','))}&rule=fifo`);
    expect(await page.evaluate(() => [(globalThis as unknown as Hooked).__hoptrace.state, (globalThis as unknown as Hooked).__hoptrace.error])).toEqual([
      'ready',
      null,
    ]);

    // Every account traced money touched, one edge per traced transfer, one conversion edge per
    // (OTC bank account → OTC wallet) pair a linked fiat payment became crypto through.
    const accounts = new Set(trace.edges.flatMap((e) => [`${e.rail}:${e.from}`, `${e.rail}:${e.to}`]));
    const byTransfer = new Map(trace.edges.map((e) => [e.transfer, e]));
    const conversions = new Set(
      trace.edges.filter((e) => e.viaLink !== undefined).map((e) => `link:bank:${byTransfer.get(e.viaLink!)!.to}>${e.rail}:${e.from}`),
    );
    expect(conversions).toEqual(new Set([`link:bank:${GOLDEN_LOTUS_BANK}>tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo`]));
    const graph = await page.evaluate(() => {
      const g = (globalThis as unknown as Hooked).__hoptrace.graph;
      return { order: g.order, size: g.size, nodes: g.nodes(), edges: g.edges().map((e) => [e, g.source(e), g.target(e)]) };
    });
    expect(graph.order).toBe(accounts.size);
    expect(graph.size).toBe(trace.edges.length + conversions.size);
    expect(new Set(graph.nodes)).toEqual(accounts);
    expect(
      graph.edges
        .filter(([key]) => key!.startsWith('transfer:'))
        .map(([key, from, to]) => [key, from, to])
        .sort(),
    ).toEqual(trace.edges.map((e) => [`transfer:${e.transfer}`, `${e.rail}:${e.from}`, `${e.rail}:${e.to}`]).sort());
    expect(graph.edges.filter(([key]) => key!.startsWith('link:')).map(([key]) => key)).toEqual([...conversions]);
    // The page shows the same trace: its totals line and endpoints.
    expect(await page.locator('#trace-result p').first().textContent()).toBe(
      `fifo: ${trace.totals.edges} edges, ${trace.totals.accountsReached} accounts reached, conserved`,
    );
    expect(await page.locator('#seeds').inputValue()).toBe(SEEDS.join('\n'));
    // The timeline: every traced transfer once, in time order.
    const timeline = await page
      .locator('table.timeline tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(timeline).toHaveLength(trace.edges.length);
    expect(timeline.map((r) => r[0])).toEqual([...trace.edges].map((e) => e.time.slice(0, 19).replace('T', ' ')).sort());
    expect(timeline[0]).toEqual(['2025-03-05 00:00:00', '1', '10000.00 EUR', ANNA, KEVIN]);

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
    const rows = await page
      .locator('table.compare tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(['fifo', 'lifo', 'pro-rata', 'libr', 'poison']);
    expect(rows.filter((r) => r[0] === 'fifo').map((r) => r.slice(1, 5))).toEqual(trace.totals.byAsset.map((a) => [a.asset, a.seeded, a.atEndpoints, a.held]));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('filters the traced flow by asset, time and amount, colours it by role, and exports the view as a PNG', async () => {
    const trace = JSON.parse(hoptrace(['--db', db, 'trace', ...SEEDS, '--rule', 'fifo', '--json']).stdout) as TraceResult;
    const { page, errors } = await open(`trace=${encodeURIComponent(SEEDS.join(','))}&rule=fifo`);
    const shape = () =>
      page.evaluate(() => [(globalThis as unknown as Hooked).__hoptrace.graph.order, (globalThis as unknown as Hooked).__hoptrace.graph.size]);
    const filter = async (values: { asset?: string; from?: string; to?: string; min?: string; max?: string }) => {
      await page.selectOption('#filter-asset', values.asset ?? '');
      await page.fill('#filter-from', values.from ?? '');
      await page.fill('#filter-to', values.to ?? '');
      await page.fill('#filter-min', values.min ?? '');
      await page.fill('#filter-max', values.max ?? '');
      await page.click('#filter-apply');
      await settle(page);
      return shape();
    };
    // The trace's 27 transfers and one conversion edge over 21 accounts.
    expect(await shape()).toEqual([21, 28]);
    expect(trace.edges).toHaveLength(27);
    // USDT: 19 transfers over 16 accounts, and the conversion edge that brings in the OTC desk's bank account.
    expect(await filter({ asset: 'USDT' })).toEqual([17, 20]);
    expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.graph.edges().filter((e) => e.startsWith('transfer:')).length)).toBe(
      trace.edges.filter((e) => e.asset === 'USDT').length,
    );
    // 1–20 March 2025 (whole UTC days): transfers 2, 19, 51, 52, 5, 6, 54, 55, 29 and the conversion.
    expect(await filter({ from: '2025-03-01', to: '2025-03-20' })).toEqual([12, 10]);
    expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.graph.edges().sort())).toEqual(
      [
        'transfer:2',
        'transfer:19',
        'transfer:51',
        'transfer:52',
        'transfer:5',
        'transfer:6',
        'transfer:54',
        'transfer:55',
        'transfer:29',
        `link:bank:${GOLDEN_LOTUS_BANK}>tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo`,
      ].sort(),
    );
    // Traced amounts of at least 15,000 in each asset's own units (15,000.00 EUR, 15,000.000000 USDT).
    expect(await filter({ min: '15000' })).toEqual([15, 16]);
    expect(trace.edges.filter((e) => Number(e.traced) >= 15000)).toHaveLength(15);
    // EUR up to 10,000.00: transfers 2, 19, 20, 9 and 10 over five accounts; transfer 10 reached the
    // OTC desk's bank account, so its conversion edge brings in the desk's wallet.
    expect(await filter({ asset: 'EUR', max: '10,000' })).toEqual([6, 6]);
    // A bad amount is refused, the canvas kept as it was.
    expect(await filter({ asset: 'EUR', min: 'ten' })).toEqual([6, 6]);
    expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.error)).toBe('min amount: an amount, 2000 or 2000.50');
    await page.click('#filter-reset');
    await settle(page);
    expect(await shape()).toEqual([21, 28]);

    // Colour by role: the 3 victims, 3 endpoints, 7 accounts still holding traced money, 8 intermediaries.
    await page.selectOption('#colour-by', 'role');
    const colours = await page.evaluate(() => {
      const g = (globalThis as unknown as Hooked).__hoptrace.graph;
      const count: Record<string, number> = {};
      for (const node of g.nodes()) {
        const colour = g.getNodeAttribute(node, 'color');
        count[colour] = (count[colour] ?? 0) + 1;
      }
      return count;
    });
    expect(colours).toEqual({ '#283593': 3, '#c62828': 3, '#e65100': 7, '#78909c': 8 });
    expect(trace.held).toHaveLength(7);
    expect(trace.endpoints).toHaveLength(3);

    // The view as a PNG: the canvas's size, painted (not one colour), the held accounts in orange.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(download.suggestedFilename()).toBe('hoptrace-view.png');
    const png = readPng(readFileSync((await download.path())!));
    // The size of sigma's canvas layers: the stage's box (1280 − the 480-pixel side panel) at the device's pixel ratio.
    const size = await page
      .locator('#graph canvas')
      .first()
      .evaluate((layer: { width: number; height: number }) => [layer.width, layer.height]);
    expect([png.width, png.height]).toEqual(size);
    expect(size).toEqual(
      await page.locator('#graph').evaluate((stage: { offsetWidth: number; offsetHeight: number }) => [stage.offsetWidth, stage.offsetHeight]),
    );
    expect(size[0]).toBe(800);
    const painted = png.width * png.height - countColour(png, '#ffffff', 2);
    expect(painted).toBeGreaterThan(3000);
    expect(countColour(png, '#e65100', 12)).toBeGreaterThan(7 * 60);
    expect(countColour(png, '#283593', 12)).toBeGreaterThan(3 * 60);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("with --write, asserts two accounts one operator's from the panel; the assertion stays in the case", async () => {
    const copy = join(tempDir('hoptrace-browser-assert-'), 'case.db');
    copyFileSync(db, copy);
    const writable = await startServer({ casePath: copy, host: '127.0.0.1', port: 0, write: true, token: TOKEN });
    const page = await browser.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const url = `http://127.0.0.1:${writable.port}/?token=${TOKEN}&account=${encodeURIComponent(`bank:${KEVIN}`)}`;
      await page.goto(url);
      await settle(page);
      expect(await page.locator('ul.assertions li').count()).toBe(0);
      await page.fill('#assert-other', 'tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK');
      await page.selectOption('#assert-same', 'same');
      await page.fill('#assert-reason', 'Kevin named the wallet in his interview');
      await page.click('#assert-add');
      await page.waitForSelector('ul.assertions li');
      await settle(page);
      const shown = `bank:${KEVIN} is the same operator as tron:TH7ikk3oGfix6eMEFRB519CN5mMu8HnuWK — Kevin named the wallet in his interview`;
      expect(await page.locator('ul.assertions li').allTextContents()).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}: /)]);
      expect((await page.locator('ul.assertions li').textContent())!.slice(18)).toBe(shown);
      // An unknown account is refused and said so; nothing is added.
      await page.fill('#assert-other', 'bank:DE00000000000000000000');
      await page.fill('#assert-reason', 'x');
      await page.click('#assert-add');
      await settle(page);
      expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.error)).toBe('no account bank:DE00000000000000000000 in the case file');
      // Reopened, the panel reads it back from the case file.
      await page.goto(url);
      await settle(page);
      expect((await page.locator('ul.assertions li').allTextContents()).map((t) => t.slice(18))).toEqual([shown]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await writable.close();
    }
  }, 90_000);

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
    expect(await page.locator('table.history tbody tr').evaluateAll((trs) => trs.map((tr) => tr.lastElementChild?.textContent))).toEqual([
      '19400.00',
      '9300.00',
    ]);
    expect(new URL(page.url()).searchParams.get('account')).toBe(`bank:${KEVIN}`);
    expect(await page.evaluate(() => (globalThis as unknown as Hooked).__hoptrace.graph.order)).toBe(1);

    await page.click('#expand');
    await page.waitForFunction(() => (globalThis as unknown as Hooked).__hoptrace.graph.order > 1);
    await settle(page);
    const graph = await page.evaluate(() => ({
      nodes: (globalThis as unknown as Hooked).__hoptrace.graph.nodes().sort(),
      edges: (globalThis as unknown as Hooked).__hoptrace.graph.edges().sort(),
    }));
    // Kevin, his five counterparties, and the OTC desk's wallet at the end of the conversion edge.
    expect(graph.nodes).toEqual(
      [
        `bank:${KEVIN}`,
        `bank:${ANNA}`,
        'bank:DE94370400440532013007',
        'bank:DE65370501980001112223',
        'bank:DE68100500000445566778',
        `bank:${GOLDEN_LOTUS_BANK}`,
        'tron:TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo',
      ].sort(),
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
    expect(graphml).toContain(
      `<edge id="flow:bank:${KEVIN}&gt;bank:${GOLDEN_LOTUS_BANK}:EUR" source="bank:${KEVIN}" target="bank:${GOLDEN_LOTUS_BANK}"><data key="kind">flow</data><data key="asset">EUR</data><data key="amount">44000.00</data>`,
    );
    const unescapeXml = (text: string) =>
      text
        .replace(/&gt;/g, '>')
        .replace(/&lt;/g, '<')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&');
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
    writeFileSync(
      csv,
      `chain,address,category,label,confidence,source\nbank,${KEVIN},mule,"<img src=x onerror=""document.title='pwned'"">",50,"<script>document.title='pwned'</script>"\n`,
    );
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
