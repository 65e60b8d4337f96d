// A directory: its children as a virtual list (only the rows on screen exist, pages of rows are
// fetched as they scroll into view), so a directory with 100,000 children opens as fast as a small one.
import * as access from './access.js';
import * as api from './api.js';
import { h, keyHref, toast } from './dom.js';
import { breadcrumbs, button, countdown, tickCountdowns } from './common.js';

const PAGE = 200;
const OVERSCAN = 8;

export class DirectoryView {
  static PAGE = PAGE;

  /** firstPage: the listing the router already read (offset 0), so opening a directory costs one request. */
  constructor(container, key, app, firstPage = null) {
    this.firstPage = firstPage;
    this.container = container;
    this.key = key;
    this.app = app;
    this.pages = new Map();
    this.loading = new Set();
    this.flashes = new Map();
    this.total = 0;
  }

  get rowHeight() {
    return parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--row')) || 34;
  }

  async load() {
    const page = this.firstPage ?? await api.list(this.key, 0, PAGE, this.app.settings.hidden);
    this.firstPage = null;
    this.node = page.node;
    this.pages.set(0, page.children);
    this.total = page.total;
    this.render();
  }

  /** A view replaced by another never draws again (a late page or watch event must not paint over the new one). */
  dispose() {
    this.disposed = true;
  }

  render() {
    if (this.disposed) return;
    const node = this.node;
    const actions = this.app.actions;
    const createDenied = access.mayWriteUnder(this.key) ? null : access.deniedText(this.key === '/' ? '/' : this.key + '/…', true);
    const denied = access.writeDenied(this.key);
    const deleteDenied = access.writeDenied(this.key, true);
    this.heading = h('h1', { id: 'view-title' }, this.key === '/' ? 'root' : api.nameOf(this.key) + '/');
    this.totalText = h('span', { class: 'badge', 'data-testid': 'child-count' }, `${this.total.toLocaleString('en-US')} ${this.total === 1 ? 'child' : 'children'}`);
    this.body = h('div', { class: 'list-body', role: 'list', 'aria-label': `Children of ${this.key}`, tabindex: '-1' });
    this.spacer = h('div', { style: 'height:0' });
    this.layer = h('div');
    this.body.append(this.spacer, this.layer);
    this.body.addEventListener('scroll', () => this.paint());
    this.body.addEventListener('keydown', (event) => this.onKey(event));
    const meta = this.key === '/' ? null : h('div', { class: 'meta' },
      h('span', {}, 'createdIndex ', h('b', {}, String(node.createdIndex))),
      h('span', {}, 'modifiedIndex ', h('b', {}, String(node.modifiedIndex))),
      node.expiration ? h('span', {}, 'TTL ', countdown(node.expiration)) : null);
    this.container.replaceChildren(
      breadcrumbs(this.key),
      h('div', { class: 'title-row' }, this.heading, this.totalText),
      meta,
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Directory actions' },
        button('New key', () => actions.create(this.key, false), { write: true, class: 'primary', denied: createDenied }),
        button('New directory', () => actions.create(this.key, true), { write: true, denied: createDenied }),
        this.key === '/' ? null : button('Set TTL', () => actions.ttl(node), { write: true, denied }),
        this.key === '/' ? null : button('Copy / rename', () => actions.copy(node), { write: true, denied: access.mayWriteUnder('/') ? null : denied }),
        this.key === '/' ? null : button('Delete directory', () => actions.remove(node), { write: true, class: 'danger', denied: deleteDenied }),
        h('a', { href: api.exportUrl(this.key), download: '', class: 'button-link', 'aria-label': `Export ${this.key} as JSON`, onclick: (event) => this.exportSignedIn(event) }, h('button', { type: 'button', tabindex: '-1' }, 'Export')),
        button('Configuration preview', () => actions.config(this.key))),
      h('div', { class: 'card dir-card' },
        h('div', { class: 'list-head', 'aria-hidden': 'true' }, h('span', {}, 'Name'), h('span', {}, 'Value'), h('span', { class: 'ttl' }, 'TTL'), h('span', { class: 'index' }, 'Modified')),
        this.total === 0 ? h('div', { class: 'empty' }, 'This directory is empty.') : this.body));
    this.paint();
  }

  /** A signed-in user's export is fetched with the credentials; the guest's is the plain link. */
  exportSignedIn(event) {
    if (!api.rememberedUser()) return;
    event.preventDefault();
    api.download(event.currentTarget.getAttribute('href')).catch((error) => toast(error.message, true));
  }

  /** Draws the rows in view (and a few around), fetching the pages they sit on. */
  paint() {
    if (this.disposed) return;
    const row = this.rowHeight;
    this.spacer.style.height = `${this.total * row}px`;
    const top = this.body.scrollTop;
    const height = this.body.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / row) - OVERSCAN);
    const last = Math.min(this.total - 1, Math.ceil((top + height) / row) + OVERSCAN);
    const rows = [];
    for (let i = first; i <= last; i++) {
      const pageIndex = Math.floor(i / PAGE);
      const entry = this.pages.get(pageIndex)?.[i - pageIndex * PAGE];
      if (!entry) this.fetchPage(pageIndex);
      rows.push(this.row(i, entry, row));
    }
    const focused = document.activeElement?.closest?.('.list-row')?.dataset.index;
    this.layer.replaceChildren(...rows);
    if (focused !== undefined) this.layer.querySelector(`.list-row[data-index="${focused}"] a`)?.focus({ preventScroll: true });
  }

  row(index, entry, height) {
    const style = `top:${index * height}px`;
    if (!entry) return h('div', { class: 'list-row placeholder', role: 'listitem', style, 'data-index': index }, h('span', { class: 'name' }));
    const flashed = (this.flashes.get(entry.key) || 0) > Date.now();
    return h('div', {
      class: `list-row${flashed ? ' flash' : ''}`, role: 'listitem', style, 'data-index': index, 'data-key': entry.key,
      'aria-setsize': this.total, 'aria-posinset': index + 1,
    },
    h('span', { class: 'name' }, h('span', { class: entry.dir ? 'icon dir' : 'icon file', 'aria-hidden': 'true' }),
      h('a', { href: keyHref(entry.key), 'data-nav': '', 'aria-label': `${entry.dir ? 'Directory' : 'Key'} ${entry.name}` }, entry.name + (entry.dir ? '/' : ''))),
    h('span', { class: 'value mono' }, entry.dir ? `${entry.childCount} ${entry.childCount === 1 ? 'child' : 'children'}` : entry.value + (entry.truncated ? '…' : '')),
    h('span', { class: 'ttl' }, countdown(entry.expiration)),
    h('span', { class: 'index' }, String(entry.modifiedIndex)));
  }

  async fetchPage(pageIndex) {
    if (this.loading.has(pageIndex)) return;
    this.loading.add(pageIndex);
    try {
      const page = await api.list(this.key, pageIndex * PAGE, PAGE, this.app.settings.hidden);
      this.pages.set(pageIndex, page.children);
      this.setTotal(page.total);
      this.paint();
    } catch (error) {
      toast(error.message, true);
    } finally {
      this.loading.delete(pageIndex);
    }
  }

  setTotal(total) {
    if (total === this.total) return;
    const wasEmpty = this.total === 0;
    this.total = total;
    this.totalText.textContent = `${total.toLocaleString('en-US')} ${total === 1 ? 'child' : 'children'}`;
    if (wasEmpty || total === 0) this.render();
  }

  /** Something in this directory changed: the pages on screen are read again and the row flashes. */
  async changed(key, removed) {
    if (this.disposed) return;
    if (!removed) this.flashes.set(key, Date.now() + 2000);
    const first = Math.floor(this.body.scrollTop / this.rowHeight / PAGE);
    const last = Math.floor((this.body.scrollTop + (this.body.clientHeight || 600)) / this.rowHeight / PAGE);
    this.pages.clear();
    for (let p = first; p <= last; p++) await this.fetchPage(p);
    if (this.total > 0 && !this.body.isConnected) this.render();
  }

  tick() {
    tickCountdowns(this.container);
  }

  onKey(event) {
    const row = document.activeElement?.closest?.('.list-row');
    if (!row) return;
    const index = Number(row.dataset.index);
    const perScreen = Math.max(1, Math.floor(this.body.clientHeight / this.rowHeight) - 1);
    const target = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + perScreen, PageUp: index - perScreen, Home: 0, End: this.total - 1 }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.focusRow(Math.max(0, Math.min(this.total - 1, target)));
  }

  focusRow(index) {
    const row = this.rowHeight;
    const top = index * row;
    if (top < this.body.scrollTop) this.body.scrollTop = top;
    else if (top + row > this.body.scrollTop + this.body.clientHeight) this.body.scrollTop = top + row - this.body.clientHeight;
    this.paint();
    this.layer.querySelector(`.list-row[data-index="${index}"] a`)?.focus({ preventScroll: true });
  }

  focusFirst() {
    if (this.total > 0) this.focusRow(0);
  }
}
