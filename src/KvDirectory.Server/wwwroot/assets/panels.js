// The views beside the tree: search results as they stream in, import with its dry run, the cluster
// panel and the configuration preview.
import * as access from './access.js';
import * as api from './api.js';
import { h, keyHref, openDialog, toast } from './dom.js';
import { applyItems } from './edits.js';

export class SearchView {
  constructor(container, params, app) {
    this.container = container;
    this.params = params;
    this.app = app;
    this.controller = new AbortController();
  }

  async load() {
    const { mode, text } = this.params;
    const list = h('ul', { class: 'results', 'aria-label': 'Search results' });
    const status = h('p', { class: 'meta', role: 'status', 'data-testid': 'search-status' }, 'Searching…');
    let found = 0;
    this.container.replaceChildren(
      h('h1', { id: 'view-title' }, mode === 'prefix' ? `Keys starting with ${text}` : `Keys and values containing “${text}”`),
      status,
      h('section', { class: 'card' }, list));
    const query = { [mode]: text, hidden: this.app.settings.hidden };
    try {
      const last = await api.search(query, (matches) => {
        found += matches.length;
        list.append(...matches.map((entry) => this.result(entry, mode === 'q' ? text : null)));
        status.textContent = `${found} found so far…`;
      }, this.controller.signal);
      // A restricted search keeps only the keys the user may read and does not say how many others it walked.
      const scope = last?.restricted ? 'among the keys you may read' : `${last?.visited ?? 0} keys looked at`;
      status.textContent = `${found} ${found === 1 ? 'match' : 'matches'}${last?.truncated ? ' (first ones only: narrow the search)' : ''}, ${scope}.`;
      if (found === 0) list.append(h('li', { class: 'empty' }, 'Nothing matches.'));
    } catch (error) {
      if (!this.controller.signal.aborted) status.textContent = access.isDenied(error) ? `${access.deniedText('the whole tree', false)}, so it cannot be searched (${error.message}).` : error.message;
    }
  }

  result(entry, text) {
    return h('li', { 'data-testid': 'search-result' },
      h('a', { href: keyHref(entry.key), 'data-nav': '' }, highlight(entry.key + (entry.dir ? '/' : ''), text)),
      h('span', { class: 'value mono' }, entry.dir ? `${entry.childCount} children` : highlight(entry.value + (entry.truncated ? '…' : ''), text)));
  }

  dispose() {
    this.controller.abort();
  }
}

function highlight(text, needle) {
  if (!needle) return text;
  const at = text.toLowerCase().indexOf(needle.toLowerCase());
  if (at < 0) return text;
  return h('span', {}, text.slice(0, at), h('mark', {}, text.slice(at, at + needle.length)), text.slice(at + needle.length));
}

/** Import: paste or pick a dump, see the dry run (added / changed / unchanged / conflicting), then apply. */
export async function importDialog(currentDir, onDone) {
  await openDialog((form, close) => {
    const file = h('input', { type: 'file', accept: '.json,application/json', 'aria-label': 'Dump file' });
    const text = h('textarea', { class: 'mono', 'aria-label': 'Dump JSON', placeholder: '{"format":"kvdirectory-dump", …}', rows: 8 });
    const target = h('input', { 'aria-label': 'Import under (empty: the dump\'s own keys)', placeholder: 'the dump\'s own keys' });
    const output = h('div', { 'data-testid': 'import-plan' });
    const apply = h('button', { type: 'button', class: 'primary', disabled: true }, 'Apply');
    file.onchange = async () => { text.value = await file.files[0].text(); };
    let plan = null;
    const dryRun = async () => {
      try {
        plan = await api.planImport(text.value, target.value.trim());
        output.replaceChildren(planTable(plan));
        const writes = plan.added + plan.changed;
        apply.disabled = writes === 0;
        apply.textContent = `Apply ${writes} ${writes === 1 ? 'change' : 'changes'}`;
      } catch (error) {
        output.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
      }
    };
    apply.onclick = async () => {
      apply.disabled = true;
      const results = await applyItems(plan.items, (n) => { apply.textContent = `Writing… ${n}`; });
      const failed = results.filter((r) => !r.ok);
      output.replaceChildren(h('p', { role: 'status', 'data-testid': 'import-result' },
        `Imported ${results.length - failed.length} of ${results.length} changes.`),
      failed.length ? h('ul', {}, failed.map((r) => h('li', { class: 'error' }, `${r.key}: ${r.message} (${r.denied ? access.deniedText(r.key, true) : 'changed since the dry run'})`))) : null);
      apply.textContent = 'Done';
      toast(`Imported ${results.length - failed.length} keys`);
      onDone();
    };
    form.append(
      h('h2', { id: 'dialog-title' }, 'Import keys'),
      h('p', {}, 'A dump as kvctl export or the explorer\'s Export writes it. The dry run shows what would change; nothing is written until you apply.'),
      h('label', {}, 'Dump file', file),
      h('label', {}, 'or paste it', text),
      h('label', {}, 'Import under', target),
      output,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', onclick: () => close() }, 'Close'),
        h('button', { type: 'button', onclick: dryRun }, 'Dry run'),
        apply));
    if (currentDir !== '/') target.placeholder = `the dump's own keys (e.g. ${currentDir})`;
  }, { wide: true });
}

function planTable(plan) {
  const rows = plan.items.map((item) => h('tr', {},
    h('td', { class: `status-${item.status.toLowerCase()}` }, item.status.toLowerCase()),
    h('td', { class: 'mono' }, item.key + (item.dir ? '/' : '')),
    h('td', { class: 'mono' }, item.status === 'Changed' ? `${item.currentValue} → ${item.value}` : item.reason || (item.value ?? ''))));
  return h('div', {},
    h('p', { role: 'status' },
      h('b', { class: 'status-added' }, `${plan.added} added`), ', ',
      h('b', { class: 'status-changed' }, `${plan.changed} changed`), ', ',
      h('b', { class: 'status-unchanged' }, `${plan.unchanged} unchanged`), ', ',
      h('b', { class: 'status-conflicting' }, `${plan.conflicting} conflicting`), ' (conflicting keys are skipped)'),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'What'), h('th', {}, 'Key'), h('th', {}, 'Value'))), h('tbody', {}, rows)));
}

/** Members, leader, term and index, health per member and the store's counters. */
export class ClusterView {
  constructor(container) {
    this.container = container;
  }

  dispose() {
    this.disposed = true;
  }

  async load() {
    const get = async (url) => { const r = await api.fetchV2(url); return r.ok ? r.json() : null; };
    const [members, self, store, keys] = await Promise.all([get('/v2/members'), get('/v2/stats/self'), get('/v2/stats/store'), api.fetchV2('/v2/keys/?quorum=false')]);
    const term = keys.headers.get('X-Raft-Term');
    const raftIndex = keys.headers.get('X-Raft-Index');
    const etcdIndex = keys.headers.get('X-Etcd-Index');
    const leaderId = self?.leaderInfo?.leader;
    const cards = (members?.members ?? []).map((member) => {
      const health = h('span', { class: 'badge', 'data-testid': 'member-health' }, 'checking…');
      this.checkHealth(member, health);
      return h('section', { class: 'card member', 'aria-label': `Member ${member.name}` },
        h('b', {}, member.name || '(not started)', member.id === leaderId ? ' ★ leader' : ''),
        h('span', { class: 'mono' }, member.id),
        h('span', {}, 'client ', (member.clientURLs || []).join(', ') || '—'),
        h('span', {}, 'peer ', (member.peerURLs || []).join(', ')),
        health);
    });
    if (this.disposed) return;
    const storeStats = Object.entries(store ?? {}).map(([name, value]) => h('span', {}, `${name} `, h('b', {}, String(value))));
    this.container.replaceChildren(
      h('h1', { id: 'view-title' }, 'Cluster'),
      h('div', { class: 'meta' },
        h('span', {}, 'leader ', h('b', { 'data-testid': 'leader' }, (members?.members ?? []).find((m) => m.id === leaderId)?.name ?? leaderId ?? 'none')),
        h('span', {}, 'term ', h('b', { 'data-testid': 'term' }, term ?? '?')),
        h('span', {}, 'raft index ', h('b', {}, raftIndex ?? '?')),
        h('span', {}, 'etcd index ', h('b', {}, etcdIndex ?? '?')),
        h('span', {}, 'this member ', h('b', {}, `${self?.name ?? '?'} (${self?.state ?? '?'})`))),
      h('div', { class: 'members' }, cards),
      h('section', { class: 'card panel', 'aria-label': 'Store statistics' }, h('h2', {}, 'Store statistics'), h('div', { class: 'body stats' }, storeStats)));
  }

  async checkHealth(member, badge) {
    const url = member.clientURLs?.[0];
    if (!url) { badge.textContent = 'no client URL'; return; }
    try {
      const response = await fetch(`${url.replace(/\/$/, '')}/health`, { cache: 'no-store', signal: AbortSignal.timeout(3000) });
      const body = await response.json();
      const healthy = body.health === 'true' || body.health === true;
      badge.textContent = healthy ? 'healthy' : 'unhealthy';
      badge.className = `badge ${healthy ? 'ok' : 'bad'}`;
    } catch {
      badge.textContent = 'unreachable';
      badge.className = 'badge bad';
    }
  }
}

/** What the .NET configuration provider reads from a prefix: Section:Key = value, and the key it came from. */
export class ConfigView {
  constructor(container, prefix) {
    this.container = container;
    this.prefix = prefix;
    this.expand = false;
  }

  dispose() {
    this.disposed = true;
  }

  async load() {
    const preview = await api.configPreview(this.prefix, this.expand);
    if (this.disposed) return;
    const prefixInput = h('input', { value: this.prefix, 'aria-label': 'Configuration prefix' });
    const expand = h('input', { type: 'checkbox', 'aria-label': 'Expand JSON values into sections' });
    expand.checked = this.expand;
    const reload = () => { this.prefix = prefixInput.value.trim() || '/'; this.expand = expand.checked; this.load().catch((e) => toast(e.message, true)); };
    expand.onchange = reload;
    prefixInput.onkeydown = (event) => { if (event.key === 'Enter') reload(); };
    this.container.replaceChildren(
      h('h1', { id: 'view-title' }, 'Configuration preview'),
      h('p', { class: 'meta' }, 'What the .NET configuration provider (KvDirectory.Extensions.Configuration) reads from this prefix: hidden keys are left out, section paths are case-insensitive.'),
      h('div', { class: 'toolbar' }, prefixInput, h('button', { type: 'button', onclick: reload }, 'Show'),
        h('label', { class: 'toggle' }, expand, 'Expand JSON values')),
      h('section', { class: 'card' },
        preview.values.length === 0 ? h('p', { class: 'empty' }, 'No values under this prefix.') :
          h('table', { 'aria-label': 'Configuration values' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Configuration path'), h('th', {}, 'Value'), h('th', {}, 'From key'))),
            h('tbody', {}, preview.values.map((value) => h('tr', {},
              h('td', { class: 'mono' }, value.path), h('td', { class: 'mono' }, value.value ?? '(null)'),
              h('td', {}, h('a', { href: keyHref(value.storeKey), 'data-nav': '' }, value.storeKey))))))));
  }
}
