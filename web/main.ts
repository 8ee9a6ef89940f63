import { ApiFailure, accountPath, get, post } from './api.js';
import { append, clear, h } from './dom.js';
import { viewPng } from './exportImage.js';
import { parseFilter } from './filter.js';
import { Canvas } from './graph.js';
import { showAccount, table } from './panel.js';
import type { Neighbours, SearchResult, TraceResult } from './types.js';

/**
 * The workbench page: search, account panel, graph canvas, trace. Views are addressable:
 * `?account=RAIL:IDENT` and `?trace=SEED,SEED&rule=fifo&maxHops=N` open as if run from the page.
 */
declare global {
  interface Window {
    __hoptrace: { graph: Canvas['graph']; state: string; trace: TraceResult | null; error: string | null };
  }
}

const RULES = ['fifo', 'lifo', 'pro-rata', 'libr', 'poison'];
const write = document.body.dataset['write'] === 'true';

const status = h('span', { id: 'status' });
const searchInput = h('input', { id: 'search', type: 'search', placeholder: 'IBAN, address, tx hash, bank reference, holder, tag label', autocomplete: 'off' });
const results = h('div', { id: 'results' });
const panel = h('section', { id: 'panel' });
const seedsInput = h('textarea', { id: 'seeds', rows: '3', placeholder: 'seeds, one per line: tx hash, bank reference, account:IDENT, transfer:ID' });
const ruleSelect = h('select', { id: 'rule' }, ...RULES.map((r) => h('option', { value: r }, r)));
const maxHops = h('input', { id: 'max-hops', type: 'number', min: '1', placeholder: 'max hops' });
const minAmount = h('input', { id: 'min-amount', placeholder: 'min amount' });
const traceBox = h('section', { id: 'trace-result' });
const compareBox = h('section', { id: 'compare' });
const reportFormat = h('select', { id: 'report-format' }, ...['html', 'md', 'csv', 'json'].map((f) => h('option', { value: f }, f)));
const filterAsset = h('select', { id: 'filter-asset' }, h('option', { value: '' }, 'all assets'));
const filterFrom = h('input', { id: 'filter-from', type: 'date', title: 'from (UTC day)' });
const filterTo = h('input', { id: 'filter-to', type: 'date', title: 'to (UTC day)' });
const filterMin = h('input', { id: 'filter-min', placeholder: 'min amount', size: '9' });
const filterMax = h('input', { id: 'filter-max', placeholder: 'max amount', size: '9' });
const colourBy = h(
  'select',
  { id: 'colour-by', onchange: () => canvas.setColourBy(colourBy.value === 'role' ? 'role' : 'category') },
  h('option', { value: 'category' }, 'colour by category'),
  h('option', { value: 'role' }, 'colour by role'),
);
const filterForm = h(
  'form',
  {
    id: 'filter',
    onsubmit: (e: Event) => {
      e.preventDefault();
      void applyFilter();
    },
  },
  'Show ',
  filterAsset,
  ' ',
  filterFrom,
  '–',
  filterTo,
  ' ',
  filterMin,
  '–',
  filterMax,
  ' ',
  h('button', { id: 'filter-apply', type: 'submit' }, 'Filter'),
  h(
    'button',
    {
      id: 'filter-reset',
      type: 'button',
      onclick: () => {
        for (const input of [filterFrom, filterTo, filterMin, filterMax]) input.value = '';
        filterAsset.value = '';
        void applyFilter();
      },
    },
    'All',
  ),
  ' ',
  colourBy,
);
const stage = h('div', { id: 'graph' });

append(
  document.body,
  h(
    'header',
    {},
    h('strong', {}, 'hoptrace'),
    h(
      'form',
      {
        id: 'search-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void search(searchInput.value);
        },
      },
      searchInput,
      h('button', { type: 'submit' }, 'Search'),
    ),
    h('button', { id: 'export', onclick: () => exportGraph() }, 'Export graphology JSON'),
    h('button', { id: 'export-graphml', onclick: () => exportGraphml() }, 'Export GraphML'),
    h('button', { id: 'export-png', onclick: () => void exportPng() }, 'Export PNG'),
    h(
      'button',
      {
        onclick: () => {
          canvas.clear();
          setUrl({});
        },
      },
      'Clear',
    ),
    status,
  ),
  results,
  filterForm,
  h(
    'main',
    {},
    stage,
    h(
      'aside',
      {},
      h(
        'section',
        { id: 'trace-form' },
        h('h3', {}, 'Trace'),
        seedsInput,
        h(
          'div',
          {},
          ruleSelect,
          maxHops,
          minAmount,
          h('button', { id: 'run-trace', onclick: () => void runTrace() }, 'Run trace'),
          h('button', { id: 'compare-rules', onclick: () => void compareRules() }, 'Compare rules'),
          reportFormat,
          h('button', { id: 'write-report', onclick: () => void downloadReport() }, 'Write report'),
        ),
        compareBox,
        traceBox,
      ),
      panel,
    ),
  ),
);

const canvas = new Canvas(stage, (rail, ident) => void select(rail, ident));
window.__hoptrace = { graph: canvas.graph, state: 'idle', trace: null, error: null };

const actions = {
  write,
  expand: (rail: string, ident: string) => void expand(rail, ident),
  addSeed: (seed: string) => {
    const seeds = seedsInput.value
      .split(/\n/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!seeds.includes(seed)) seeds.push(seed);
    seedsInput.value = seeds.join('\n');
  },
  select: (rail: string, ident: string) => void select(rail, ident),
  run: (what: string, task: () => Promise<void>) => void busy(what, task),
};

async function busy<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
  window.__hoptrace.state = 'busy';
  status.textContent = what;
  try {
    const value = await run();
    status.textContent = '';
    window.__hoptrace.state = 'ready';
    return value;
  } catch (error) {
    const message = error instanceof ApiFailure || error instanceof Error ? error.message : String(error);
    status.textContent = message;
    window.__hoptrace.error = message;
    window.__hoptrace.state = 'error';
    return undefined;
  }
}

async function search(text: string): Promise<void> {
  await busy('searching…', async () => {
    const r = await get<SearchResult>(`/api/search?q=${encodeURIComponent(text)}`);
    clear(results);
    if (r.accounts.length === 0 && r.transfers.length === 0) append(results, h('p', {}, `nothing matches ${text}`));
    append(
      results,
      h(
        'ul',
        {},
        ...r.accounts.map((a) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: '#',
                class: 'hit',
                'data-key': `${a.rail}:${a.ident}`,
                onclick: (e: Event) => {
                  e.preventDefault();
                  clear(results);
                  void select(a.rail, a.ident);
                },
              },
              `${a.rail}:${a.ident}`,
            ),
            a.holder ? ` ${a.holder}` : '',
            a.label ? ` [${a.label}]` : '',
          ),
        ),
      ),
      h(
        'ul',
        {},
        ...r.transfers.map((t) =>
          h(
            'li',
            {},
            h(
              'a',
              {
                href: '#',
                onclick: (e: Event) => {
                  e.preventDefault();
                  actions.addSeed(`transfer:${t.id}`);
                },
              },
              `${t.ref}`,
            ),
            ` ${t.amount} ${t.asset} ${t.from.ident} → ${t.to.ident} (add as seed)`,
          ),
        ),
      ),
    );
  });
}

async function select(rail: string, ident: string): Promise<void> {
  await busy('loading account…', async () => {
    const a = await showAccount(panel, rail, ident, actions);
    canvas.addAccount(a.rail, a.ident, { holder: a.holder, category: a.tags[0]?.category ?? null });
    setUrl({ account: `${a.rail}:${a.ident}` });
  });
}

async function expand(rail: string, ident: string): Promise<void> {
  await busy('expanding…', async () => {
    canvas.expand(await get<Neighbours>(`${accountPath(rail, ident)}/neighbours`));
    refreshAssets();
  });
}

async function runTrace(): Promise<void> {
  const seeds = seedsInput.value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  await busy('tracing…', async () => {
    const body: Record<string, unknown> = { seeds, rule: ruleSelect.value };
    if (maxHops.value) body['maxHops'] = maxHops.value;
    if (minAmount.value) body['minAmount'] = minAmount.value;
    const trace = await post<TraceResult>('/api/trace', body);
    window.__hoptrace.trace = trace;
    canvas.showTrace(trace);
    refreshAssets();
    showTraceSummary(trace);
    setUrl({
      trace: seeds.join(','),
      rule: ruleSelect.value,
      ...(maxHops.value ? { maxHops: maxHops.value } : {}),
      ...(minAmount.value ? { minAmount: minAmount.value } : {}),
    });
  });
}

/** The evidence report of the trace in the form (as `trace --report` writes it), downloaded. */
async function downloadReport(): Promise<void> {
  const seeds = seedsInput.value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  await busy('writing the report…', async () => {
    const body: Record<string, unknown> = { seeds, rule: ruleSelect.value, format: reportFormat.value };
    if (maxHops.value) body['maxHops'] = maxHops.value;
    if (minAmount.value) body['minAmount'] = minAmount.value;
    const response = await fetch('/api/report', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new ApiFailure(response.status, ((await response.json()) as { error?: string }).error ?? `HTTP ${response.status}`);
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? 'hoptrace-report';
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
}

/** The same seeds and limits under every rule, side by side: where each rule says the money went. */
async function compareRules(): Promise<void> {
  const seeds = seedsInput.value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  await busy('tracing under every rule…', async () => {
    const rows: (string | number)[][] = [];
    for (const rule of RULES) {
      const body: Record<string, unknown> = { seeds, rule };
      if (maxHops.value) body['maxHops'] = maxHops.value;
      if (minAmount.value) body['minAmount'] = minAmount.value;
      const t = await post<TraceResult>('/api/trace', body);
      for (const a of t.totals.byAsset) rows.push([rule, a.asset, a.seeded, a.atEndpoints, a.held, t.endpoints.filter((e) => e.asset === a.asset).length]);
    }
    clear(compareBox);
    append(compareBox, h('h3', {}, 'Rules side by side'), table(['rule', 'asset', 'seeded', 'at endpoints', 'held', 'endpoints'], rows, 'compare'));
  });
}

/** The filter's asset choice: the assets on the canvas, keeping the one chosen. */
function refreshAssets(): void {
  const chosen = filterAsset.value;
  clear(filterAsset);
  append(filterAsset, h('option', { value: '' }, 'all assets'), ...canvas.assets().map((a) => h('option', { value: a }, a)));
  filterAsset.value = canvas.assets().includes(chosen) ? chosen : '';
}

/** Filters the canvas by asset, time (whole UTC days) and amount (in each asset's own units). */
async function applyFilter(): Promise<void> {
  await busy('filtering…', async () => {
    canvas.setFilter(
      parseFilter({ asset: filterAsset.value, from: filterFrom.value, to: filterTo.value, minAmount: filterMin.value, maxAmount: filterMax.value }),
    );
  });
}

function showTraceSummary(t: TraceResult): void {
  clear(traceBox);
  append(
    traceBox,
    h('p', {}, `${t.rule}: ${t.totals.edges} edges, ${t.totals.accountsReached} accounts reached, ${t.totals.conserved ? 'conserved' : 'NOT conserved'}`),
    table(
      ['asset', 'seeded', 'at endpoints', 'held'],
      t.totals.byAsset.map((a) => [a.asset, a.seeded, a.atEndpoints, a.held]),
      'totals',
    ),
    h('h3', {}, 'Endpoints'),
    table(
      ['category', 'account', 'amount'],
      t.endpoints.map((e) => [e.category ?? '', e.ident, `${e.amount} ${e.asset}`]),
      'endpoints',
    ),
    h('h3', {}, 'Timeline'),
    table(
      ['time', 'hop', 'traced', 'from', 'to'],
      [...t.edges]
        .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.transfer - b.transfer))
        .map((e) => [e.time.slice(0, 19).replace('T', ' '), e.hop, `${e.traced} ${e.asset}`, e.from, e.to]),
      'timeline',
    ),
  );
}

/** The canvas as it is drawn now (layers composited on white), as a PNG download. */
async function exportPng(): Promise<void> {
  await busy('exporting PNG…', async () => download(await viewPng(canvas.sigma), 'hoptrace-view.png'));
}

function exportGraph(): void {
  download(new Blob([JSON.stringify(canvas.graph.export(), null, 2)], { type: 'application/json' }), 'hoptrace-view.graphology.json');
}

/** The current view as GraphML (yEd, Gephi, Cytoscape): accounts and edges with their attributes. */
function exportGraphml(): void {
  const g = canvas.graph;
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    '  <key id="rail" for="node" attr.name="rail" attr.type="string"/>',
    '  <key id="ident" for="node" attr.name="ident" attr.type="string"/>',
    '  <key id="label" for="all" attr.name="label" attr.type="string"/>',
    '  <key id="category" for="node" attr.name="category" attr.type="string"/>',
    '  <key id="kind" for="edge" attr.name="kind" attr.type="string"/>',
    '  <key id="asset" for="edge" attr.name="asset" attr.type="string"/>',
    '  <key id="amount" for="edge" attr.name="amount" attr.type="string"/>',
    '  <graph id="hoptrace" edgedefault="directed">',
  ];
  g.forEachNode((key, a) => {
    lines.push(
      `    <node id="${esc(key)}"><data key="rail">${esc(a.rail)}</data><data key="ident">${esc(a.ident)}</data><data key="label">${esc(a.label)}</data>${a.category ? `<data key="category">${esc(a.category)}</data>` : ''}</node>`,
    );
  });
  g.forEachEdge((key, a, source, target) => {
    lines.push(
      `    <edge id="${esc(key)}" source="${esc(source)}" target="${esc(target)}"><data key="kind">${a.kind}</data>${a.asset ? `<data key="asset">${esc(a.asset)}</data>` : ''}${a.amount ? `<data key="amount">${esc(a.amount)}</data>` : ''}${a.label ? `<data key="label">${esc(a.label)}</data>` : ''}</edge>`,
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  download(new Blob([lines.join('\n')], { type: 'application/graphml+xml' }), 'hoptrace-view.graphml');
}

function download(blob: Blob, name: string): void {
  const link = h('a', { href: URL.createObjectURL(blob), download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

function setUrl(params: Record<string, string>): void {
  const query = new URLSearchParams(params).toString();
  history.replaceState(null, '', query ? `/?${query}` : '/');
}

async function openFromUrl(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const trace = params.get('trace');
  const account = params.get('account');
  if (trace) {
    seedsInput.value = trace.split(',').join('\n');
    ruleSelect.value = RULES.includes(params.get('rule') ?? '') ? params.get('rule')! : 'fifo';
    maxHops.value = params.get('maxHops') ?? '';
    minAmount.value = params.get('minAmount') ?? '';
    await runTrace();
  } else if (account) {
    const at = account.indexOf(':');
    await select(account.slice(0, at), account.slice(at + 1));
  } else window.__hoptrace.state = 'ready';
}

void openFromUrl();
