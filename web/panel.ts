import { accountPath, get, post } from './api.js';
import { append, clear, h } from './dom.js';
import type { AccountSummary, CaseAssertion, ClusterDetails, TransferPage, TransferRow } from './types.js';

/** The account panel: balances per asset, counts, tags with sources, cluster and its evidence, findings, notes, transfers paged. */
export interface PanelActions {
  expand(rail: string, ident: string): void;
  addSeed(seed: string): void;
  select(rail: string, ident: string): void;
  /** Runs a change the panel asks for, with the page's status (busy, ready, error). */
  run(what: string, task: () => Promise<void>): void;
  write: boolean;
}

export async function showAccount(panel: HTMLElement, rail: string, ident: string, actions: PanelActions): Promise<AccountSummary> {
  const a = await get<AccountSummary>(accountPath(rail, ident));
  clear(panel);
  append(
    panel,
    h('h2', { class: 'ident', 'data-ident': a.ident }, `${a.rail}:${a.ident}`),
    a.holder ? h('p', { class: 'holder' }, a.holder, a.bank ? ` (${a.bank})` : '') : null,
    h(
      'p',
      {},
      `${a.transfers.in} in, ${a.transfers.out} out, ${a.transfers.counterparties}${a.transfers.counterpartiesInLatest ? `+ counterparties (in the latest ${a.transfers.counterpartiesInLatest} each way)` : ' counterparties'}; ${a.first ?? '–'} to ${a.last ?? '–'}`,
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { id: 'expand', onclick: () => actions.expand(a.rail, a.ident) }, 'Expand counterparties'),
      h('button', { onclick: () => actions.addSeed(`account:${a.ident}`) }, 'Trace from here'),
    ),
    h('h3', {}, 'Balances'),
    table(
      ['asset', 'opening', 'received', 'sent', 'balance'],
      a.balances.map((b) => [b.asset, b.opening, b.received, b.sent, b.balance]),
      'balances',
    ),
  );
  const history = await get<{ asset: string; month: string; received: string; sent: string; balance: string }[]>(`${accountPath(a.rail, a.ident)}/history`);
  if (history.length > 0)
    append(
      panel,
      h('h3', {}, 'Balance by month (UTC)'),
      table(
        ['asset', 'month', 'received', 'sent', 'balance at month end'],
        history.map((m) => [m.asset, m.month, m.received, m.sent, m.balance]),
        'history',
      ),
    );
  if (a.tags.length > 0)
    append(
      panel,
      h('h3', {}, 'Tags'),
      h(
        'ul',
        { class: 'tags' },
        ...a.tags.map((t) =>
          h('li', {}, h('b', {}, t.category), `: ${t.label} — ${t.origin}, confidence ${t.confidence}${t.sourcePath ? `, ${t.sourcePath}` : ''}`),
        ),
      ),
    );
  if (a.cluster) {
    const box = h('div', { class: 'cluster' });
    append(
      panel,
      h('h3', {}, `Cluster ${a.cluster.id} (${a.cluster.size} accounts)`),
      h('button', { onclick: () => void showCluster(box, a.cluster!.id, actions) }, 'Show the evidence'),
      box,
    );
  }
  if (a.findings.length > 0)
    append(
      panel,
      h('h3', {}, 'Findings'),
      h('ul', {}, ...a.findings.map((f) => h('li', {}, `${f.typology} (score ${f.score}): ${f.accounts.map((x) => x.ident).join(', ')}`))),
    );
  const notes = h('ul', { class: 'notes' }, ...a.notes.map((n) => h('li', {}, `${n.createdAt}: ${n.text}`)));
  append(panel, h('h3', {}, 'Notes'), notes);
  if (actions.write) {
    const text = h('textarea', { rows: '2', placeholder: 'a note on this account (stored in the case file)' });
    append(
      panel,
      text,
      h(
        'button',
        {
          onclick: () =>
            actions.run('storing the note…', async () => {
              const n = await post<{ createdAt: string; text: string }>('/api/notes', { account: `${a.rail}:${a.ident}`, text: text.value });
              append(notes, h('li', {}, `${n.createdAt}: ${n.text}`));
              text.value = '';
            }),
        },
        'Add note',
      ),
    );
  }
  append(panel, ...assertionSection(a, actions));
  const list = h('tbody');
  const more = h('button', {}, 'More');
  let order: 'asc' | 'desc' = 'asc';
  let cursor: string | null = null;
  const load = async (reset: boolean) => {
    if (reset) {
      clear(list);
      cursor = null;
    }
    const page = await get<TransferPage>(
      `${accountPath(a.rail, a.ident)}/transfers?limit=25&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const t of page.transfers) list.appendChild(transferRow(t, a.ident, actions));
    cursor = page.next;
    more.hidden = page.next === null;
  };
  more.addEventListener('click', () => void load(false));
  const sort = h('button', { title: 'oldest or newest first' }, 'time ↑↓');
  sort.addEventListener('click', () => {
    order = order === 'asc' ? 'desc' : 'asc';
    void load(true);
  });
  append(
    panel,
    h('h3', {}, 'Transfers ', sort),
    h('table', { class: 'transfers' }, h('thead', {}, h('tr', {}, ...['time', 'amount', '', 'counterparty', 'reference'].map((c) => h('th', {}, c)))), list),
    more,
  );
  await load(true);
  return a;
}

function transferRow(t: TransferRow, ident: string, actions: PanelActions): HTMLTableRowElement {
  const out = t.from.ident === ident;
  const other = out ? t.to : t.from;
  const link = h(
    'a',
    {
      href: '#',
      onclick: (e: Event) => {
        e.preventDefault();
        actions.select(other.rail, other.ident);
      },
    },
    other.holder ? `${other.holder} ${other.ident}` : other.ident,
  );
  return h(
    'tr',
    {},
    h('td', {}, t.time.slice(0, 19).replace('T', ' ')),
    h('td', { class: 'num' }, `${out ? '−' : '+'}${t.amount} ${t.asset}`),
    h('td', {}, out ? '→' : '←'),
    h('td', {}, link),
    h('td', { title: `${t.source.path}:${t.source.line}` }, t.ref),
  );
}

async function showCluster(box: HTMLElement, id: number, actions: PanelActions): Promise<void> {
  const c = await get<ClusterDetails>(`/api/clusters/${id}`);
  clear(box);
  append(
    box,
    h(
      'ul',
      {},
      ...c.accounts.map((m) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: '#',
              onclick: (e: Event) => {
                e.preventDefault();
                actions.select(m.rail, m.ident);
              },
            },
            `${m.rail}:${m.ident}`,
          ),
        ),
      ),
    ),
    h('ol', {}, ...c.merges.map((m) => h('li', {}, `${m.a} = ${m.b}: ${m.heuristic} (confidence ${m.confidence}) — ${m.reason}; ${m.transfers.join(', ')}`))),
  );
  if (c.assertions.length > 0)
    append(
      box,
      h('p', {}, "Investigators' assertions (hoptrace cluster applies them):"),
      h('ol', { class: 'cluster-assertions' }, ...c.assertions.map((s) => h('li', {}, assertionText(s)))),
    );
}

export const assertionText = (s: CaseAssertion): string =>
  `${s.createdAt.slice(0, 16).replace('T', ' ')}: ${s.a} ${s.same ? 'is the same operator as' : 'is never the same operator as'} ${s.b} — ${s.reason}`;

/** The account's cluster assertions and, with --write, a form to add one (applied by the next hoptrace cluster). */
function assertionSection(a: AccountSummary, actions: PanelActions): HTMLElement[] {
  const list = h('ul', { class: 'assertions' }, ...a.assertions.map((s) => h('li', {}, assertionText(s))));
  const out: HTMLElement[] = [h('h3', {}, 'Cluster assertions'), list];
  if (!actions.write) return out;
  const other = h('input', { id: 'assert-other', placeholder: 'the other account, RAIL:IDENT' });
  const same = h('select', { id: 'assert-same' }, h('option', { value: 'same' }, 'same operator'), h('option', { value: 'not' }, 'never the same operator'));
  const reason = h('input', { id: 'assert-reason', placeholder: 'reason: what shows it' });
  const add = h('button', { id: 'assert-add' }, 'Assert');
  add.addEventListener('click', () =>
    actions.run('storing the assertion…', async () => {
      const stored = await post<CaseAssertion>('/api/assertions', {
        a: `${a.rail}:${a.ident}`,
        b: other.value.trim(),
        same: same.value === 'same',
        reason: reason.value,
      });
      append(list, h('li', {}, assertionText(stored)));
      other.value = '';
      reason.value = '';
    }),
  );
  out.push(h('div', { class: 'assert' }, other, same, reason, add));
  return out;
}

export function table(head: string[], rows: (string | number)[][], className: string): HTMLTableElement {
  return h(
    'table',
    { class: className },
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}
