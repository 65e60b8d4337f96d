// The key tree: directories load their children when opened, a page at a time, with child counts.
import * as access from './access.js';
import * as api from './api.js';
import { h, keyHref, toast } from './dom.js';

const PAGE = 200;

export class KeyTree {
  constructor(root, settings) {
    this.root = root;
    this.settings = settings;
    this.items = new Map();
    root.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** Starts again from the root; reveal waits for it, so the page and the tree can load side by side. */
  reset() {
    this.items.clear();
    const top = this.item({ key: '/', name: '/', dir: true, childCount: 0 });
    top.querySelector('a').textContent = '/ (root)';
    this.root.replaceChildren(top);
    this.ready = this.expand('/');
    return this.ready;
  }

  item(entry) {
    const twisty = entry.dir
      ? h('button', { type: 'button', class: 'twisty', tabindex: '-1', 'aria-label': `Open ${entry.key}`, onclick: () => this.toggle(entry.key) }, '▸')
      : h('span', { class: 'spacer' });
    const link = h('a', { href: keyHref(entry.key), 'data-nav': '', title: entry.key }, entry.name + (entry.dir ? '/' : ''));
    const row = h('div', { class: 'tree-row' }, twisty, link,
      entry.dir ? h('span', { class: 'count', 'aria-label': entry.childCount === null ? null : `${entry.childCount} children` }, entry.childCount === null ? '' : entry.childCount.toLocaleString('en-US')) : null);
    const li = h('li', { role: 'treeitem', 'data-key': entry.key, 'aria-label': entry.key === '/' ? 'root' : entry.name }, row);
    if (entry.dir) {
      li.setAttribute('aria-expanded', 'false');
      li.append(h('ul', { role: 'group' }));
    }
    this.items.set(entry.key, li);
    return li;
  }

  toggle(key) {
    const li = this.items.get(key);
    return li?.getAttribute('aria-expanded') === 'true' ? this.collapse(key) : this.expand(key);
  }

  collapse(key) {
    const li = this.items.get(key);
    if (!li) return;
    li.setAttribute('aria-expanded', 'false');
    li.querySelector(':scope > .tree-row .twisty').textContent = '▸';
    li.querySelector(':scope > ul').replaceChildren();
    for (const k of [...this.items.keys()]) if (k.startsWith(key === '/' ? '/' : key + '/') && k !== key) this.items.delete(k);
  }

  /** Loads (again) the first pages of a directory's children; keeps what was open beneath it open. */
  async expand(key, shown = PAGE) {
    const li = this.items.get(key);
    if (!li || !li.hasAttribute('aria-expanded')) return;
    const group = li.querySelector(':scope > ul');
    const openBelow = [...group.querySelectorAll(':scope > li[aria-expanded=true]')].map((child) => child.dataset.key);
    // Re-rendering replaces the rows: a row that had the keyboard focus gets it back, so a live change never steals it.
    const focusedKey = group.contains(document.activeElement) ? document.activeElement.closest('li[role=treeitem]')?.dataset.key : null;
    let page;
    try {
      page = await api.list(key, 0, Math.min(Math.max(shown, PAGE), 1000), this.settings.hidden);
    } catch (error) {
      if (error.code === 100) { li.remove(); this.items.delete(key); return; }
      if (access.isDenied(error)) { this.denied(li, key); return; }
      toast(error.message, true);
      return;
    }
    li.setAttribute('aria-expanded', 'true');
    li.querySelector(':scope > .tree-row .twisty').textContent = '▾';
    this.setCount(li, page.total);
    group.replaceChildren(...page.children.map((child) => this.item(child)));
    this.addMore(group, key, page);
    this.refocus(focusedKey);
    for (const child of openBelow) if (this.items.has(child)) await this.expand(child);
    this.markCurrent(this.current);
    this.refocus(focusedKey);
  }

  /** Focuses the row for key again if the focus fell to the page when its old row was replaced. */
  refocus(key) {
    if (!key || (document.activeElement && document.activeElement !== document.body)) return;
    this.items.get(key)?.querySelector(':scope > .tree-row a')?.focus({ preventScroll: true });
  }

  /** A directory the user may not list: the root shows where they may go, any other says it is closed to them. */
  denied(li, key) {
    const row = li.querySelector(':scope > .tree-row');
    if (key === '/') {
      li.setAttribute('aria-expanded', 'true');
      row.querySelector('.twisty').textContent = '▾';
      row.title = `${access.deniedText('/', false)}: the keys you may read`;
      row.querySelector('.count').textContent = '';
      li.querySelector(':scope > ul').replaceChildren(...access.entryPoints().map((entry) => this.item(entry)));
      return;
    }
    row.classList.add('denied');
    row.title = access.deniedText(key, false);
  }

  addMore(group, key, page) {
    const left = page.total - page.offset - page.children.length;
    if (left <= 0) return;
    const more = h('button', { type: 'button', class: 'tree-more', 'aria-label': `Show more children of ${key}` }, `Show more (${left} more)`);
    more.onclick = async () => {
      const next = await api.list(key, page.offset + page.children.length, PAGE, this.settings.hidden);
      more.replaceWith(...next.children.map((child) => this.item(child)));
      this.addMore(group, key, next);
    };
    group.append(h('li', { role: 'none' }, more));
  }

  setCount(li, total) {
    const count = li.querySelector(':scope > .tree-row .count');
    if (count) { count.textContent = total.toLocaleString('en-US'); count.setAttribute('aria-label', `${total} children`); }
  }

  /** Opens every directory on the way to key and marks it as the one shown. */
  async reveal(key, open = false) {
    this.current = key;
    await this.ready;
    const parts = key === '/' ? [] : key.split('/').slice(1);
    let path = '';
    for (let i = 0; i < parts.length - 1; i++) {
      path += '/' + parts[i];
      if (this.items.get(path)?.getAttribute('aria-expanded') !== 'true') await this.expand(path);
    }
    if (open && key !== '/' && this.items.get(key)?.getAttribute('aria-expanded') !== 'true') await this.expand(key);
    this.markCurrent(key);
  }

  /** Focuses key's row if the tree shows it, else the current row, else the first. */
  focusRow(key) {
    const link = (key && this.items.get(key)?.querySelector(':scope > .tree-row a'))
      ?? this.root.querySelector('.tree-row.current a') ?? this.root.querySelector('.tree-row a');
    link?.focus();
  }

  markCurrent(key) {
    for (const row of this.root.querySelectorAll('.tree-row.current')) {
      row.classList.remove('current');
      row.querySelector('a')?.removeAttribute('aria-current');
    }
    const li = this.items.get(key);
    li?.querySelector(':scope > .tree-row').classList.add('current');
    li?.querySelector(':scope > .tree-row a').setAttribute('aria-current', 'page');
  }

  /** A change at key: its directory's listing (if open) is read again and the row flashes. */
  async changed(key, removed) {
    const parent = api.parentOf(key);
    const li = this.items.get(parent);
    if (li?.getAttribute('aria-expanded') === 'true') {
      const shown = li.querySelectorAll(':scope > ul > li[role=treeitem]').length;
      await this.expand(parent, shown + 1);
      if (!removed) this.items.get(key)?.querySelector(':scope > .tree-row').classList.add('flash');
    } else if (li) {
      api.list(parent, 0, 0, this.settings.hidden).then((page) => this.setCount(li, page.total), () => {});
    }
  }

  onKey(event) {
    const links = [...this.root.querySelectorAll('.tree-row a')].filter((a) => a.offsetParent !== null);
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    const li = links[at].closest('li');
    const move = (index) => { links[Math.max(0, Math.min(links.length - 1, index))]?.focus(); event.preventDefault(); };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'ArrowRight' && li.hasAttribute('aria-expanded')) {
      event.preventDefault();
      if (li.getAttribute('aria-expanded') !== 'true') this.expand(li.dataset.key); else move(at + 1);
    } else if (event.key === 'ArrowLeft') {
      event.preventDefault();
      if (li.getAttribute('aria-expanded') === 'true') this.collapse(li.dataset.key);
      else li.parentElement.closest('li')?.querySelector(':scope > .tree-row a').focus();
    }
  }
}
