import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, writeReport } from '../../src/report/writeReport.js';
import { chromium as launch } from './chromium.js';
import { tempDir } from '../support/cli.js';
import { hoptraceAsync } from '../support/usdtCase.js';
import { countColour, readPng } from '../support/png.js';
import { HOSTILE_TAG_LABEL, hostileTrace } from '../support/reportFixtures.js';

/**
 * The HTML report in a real headless Chromium (installed by .ci/run: apt-get install -y chromium).
 * The HTML report is a required component, so a missing browser fails the test, never skips it.
 * The hostile trace (a label `<img src=x onerror=alert(1)>` and markup in every input field) has
 * seven accounts: its first hop was made a bank payment, so bank:V1 → bank:M, then on Tron the
 * victim V2, the mule M, wallets W1 and W2 and the exchange E.
 */
const ACCOUNTS = 7;
const SIZE = { width: 1280, height: 4000 };
let dir: string;
let html: string;

const chromium = (args: readonly string[], profile: string): ReturnType<typeof launch> => launch(dir, args, profile);

beforeAll(() => {
  dir = tempDir('hoptrace-browser-');
  html = join(dir, 'report.html');
  writeFileSync(html, writeReport(hostileTrace(), 'html', { timestamp: null }));
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify(hostileTrace()));
});

describe('the HTML report in headless Chromium', () => {
  it('renders the SVG with one box per account, shows hostile labels as text, screenshots and prints to PDF', async () => {
    expect(existsSync(CHROMIUM), `Chromium is missing at ${CHROMIUM}: run the install step of .ci/run (apt-get update && apt-get install -y chromium)`).toBe(
      true,
    );
    const png = join(dir, 'shot.png');
    const pdf = join(dir, 'report.pdf');
    const [dom, shot, print] = await Promise.all([
      chromium(['--dump-dom', `file://${html}`], 'profile-dom'),
      chromium([`--screenshot=${png}`, `--window-size=${SIZE.width},${SIZE.height}`, '--hide-scrollbars', `file://${html}`], 'profile-shot'),
      hoptraceAsync(['report', join(dir, 'hostile.json'), '--format', 'html', '--out', join(dir, 'cli.html'), '--no-timestamp', '--pdf', pdf]),
    ]);

    // The DOM after load: the diagram's boxes, and no element the inputs tried to inject.
    expect(dom.status, dom.stderr).toBe(0);
    expect(dom.stdout.match(/<rect class="account"/g)).toHaveLength(ACCOUNTS);
    expect(dom.stdout).toContain(`data-accounts="${ACCOUNTS}"`);
    expect(dom.stdout).not.toMatch(/<img|<script|<iframe|<object|<embed/i);
    expect(dom.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(dom.stdout).toContain('&lt;/style&gt;&lt;script&gt;alert(4)&lt;/script&gt;');
    expect(dom.stdout).toContain(`data-ident="TT5KmRkH7rQieGc9v9uCEk68wMZhdDdbnw"`);
    expect(HOSTILE_TAG_LABEL).toBe('<img src=x onerror=alert(1)>');

    // The screenshot: a PNG of the window's size on which the boxes were painted in their colours.
    expect(shot.status, shot.stderr).toBe(0);
    const image = readPng(readFileSync(png));
    expect([image.width, image.height]).toEqual([SIZE.width, SIZE.height]);
    const box = 210 * 48;
    expect(countColour(image, '#283593')).toBeGreaterThan(2 * box * 0.6); // two victims
    // W1, W2 and the Tron M hold traced money, but a TronScan export is no one's own history (DESIGN rule 10):
    // they are drawn as last seen, and nothing as a freeze candidate.
    expect(countColour(image, '#a1887f')).toBeGreaterThan(3 * box * 0.6); // three holders last seen
    expect(countColour(image, '#e65100')).toBe(0);
    // The exchange's category was made hostile ("exchange<script>"): unknown, it is drawn grey like bank:M.
    expect(countColour(image, '#616161')).toBeGreaterThan(2 * box * 0.6);

    // --pdf through the real CLI.
    expect(print.status, print.stderr).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    expect(bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g)!.length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('report --pdf that cannot be written', () => {
  it('writes neither the PDF nor the report (before, the report was written and the command failed)', async () => {
    const out = join(dir, 'unprinted.html');
    const run = await hoptraceAsync(['report', join(dir, 'hostile.json'), '--format', 'html', '--out', out, '--no-timestamp', '--pdf', '/proc/hoptrace.pdf']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('hoptrace: /proc/hoptrace.pdf: cannot write the PDF');
    expect(existsSync(out)).toBe(false);
  });
});
