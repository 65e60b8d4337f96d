// The explorer page: routes by URL (/ui/keys/<key path>, /ui/search, /ui/cluster, /ui/config), keeps the
// tree and the open view in step with the store through one recursive watch.
import * as api from './api.js';
import { h, isDialogOpen, keyHref, toast } from './dom.js';
import * as edits from './edits.js';
import { KeyTree } from './tree.js';
import { DirectoryView } from './dirview.js';
import { KeyView } from './keyview.js';
import { ClusterView, ConfigView, SearchView, importDialog } from './panels.js';

const REMOVALS = ['delete', 'expire', 'compareAndDelete'];

class ExplorerApp {
  constructor() {
    this.settings = { hidden: localStorage.getItem('kvdirectory.hidden') === 'true', readOnly: false };
    this.viewRoot = document.getElementById('view');
    this.tree = new KeyTree(document.getElementById('tree'), this.settings);
    this.view = null;
    this.pendingView = null;
    this.actions = this.makeActions();
  }

  async start() {
    const info = await api.info();
    this.settings.readOnly = info.readOnly;
    document.body.classList.toggle('read-only', info.readOnly);
    document.getElementById('read-only-badge').hidden = !info.readOnly;
    document.title = `KvDirectory explorer — ${info.name}`;
    this.wireChrome();
    await Promise.all([this.tree.reset(), this.route()]);
    api.watchAll(info.etcdIndex + 1, (event) => this.onEvent(event), () => this.reloadAll(), (state) => this.setLive(state));
    setInterval(() => this.view?.tick?.(), 250);
  }

  wireChrome() {
    document.addEventListener('click', (event) => {
      const link = event.target.closest?.('a[data-nav]');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      this.go(link.getAttribute('href'));
    });
    window.addEventListener('popstate', () => this.route());
    const hidden = document.getElementById('hidden-toggle');
    hidden.checked = this.settings.hidden;
    hidden.addEventListener('change', () => {
      this.settings.hidden = hidden.checked;
      localStorage.setItem('kvdirectory.hidden', String(hidden.checked));
      this.reloadAll();
    });
    document.getElementById('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = document.getElementById('search-input').value.trim();
      if (!text) return;
      const mode = document.getElementById('search-mode').value;
      this.go(`/ui/search?${new URLSearchParams({ mode, text })}`);
    });
    document.getElementById('open-cluster').addEventListener('click', () => this.go('/ui/cluster'));
    document.getElementById('open-config').addEventListener('click', () => this.actions.config(this.currentDir()));
    document.getElementById('open-import').addEventListener('click', () => this.actions.import());
    const toggle = document.getElementById('tree-toggle');
    toggle.addEventListener('click', () => {
      const narrow = matchMedia('(max-width: 760px)').matches;
      document.body.classList.toggle(narrow ? 'tree-open' : 'tree-hidden');
      const shown = narrow ? document.body.classList.contains('tree-open') : !document.body.classList.contains('tree-hidden');
      toggle.setAttribute('aria-expanded', String(shown));
    });
    if (matchMedia('(max-width: 760px)').matches) toggle.setAttribute('aria-expanded', 'false');
    document.addEventListener('keydown', (event) => {
      if (isDialogOpen() || event.target.closest?.('input, textarea, select')) return;
      if (event.key === '/') { event.preventDefault(); document.getElementById('search-input').focus(); }
      // Up from the key the URL names, not the view on screen: that may still be the previous one while the new one loads.
      else if (event.key === 'Backspace' && location.pathname.startsWith('/ui/keys') && keyFromPath(location.pathname) !== '/') { event.preventDefault(); this.go(keyHref(api.parentOf(keyFromPath(location.pathname)))); }
      else if (event.key === 't' && !event.ctrlKey && !event.metaKey) { event.preventDefault(); (document.querySelector('.tree-row.current a') ?? document.querySelector('.tree-row a'))?.focus(); }
      else if (event.key === 'l' && !event.ctrlKey && !event.metaKey) { event.preventDefault(); this.view?.focusFirst?.(); }
    });
  }

  setLive(state) {
    const live = document.getElementById('live-state');
    live.textContent = state === 'live' ? 'live' : 'offline, retrying';
    live.className = `live ${state === 'live' ? 'on' : 'off'}`;
  }

  go(href, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', href); else history.pushState(null, '', href);
    document.body.classList.remove('tree-open');
    return this.route();
  }

  navigate(key, options) {
    return this.go(keyHref(key), options);
  }

  currentDir() {
    const key = this.view?.key ?? '/';
    return this.view instanceof KeyView ? api.parentOf(key) : key;
  }

  /** Shows what the URL names. */
  async route() {
    this.view?.dispose?.();
    clearTimeout(this.pendingView);
    // Only the latest navigation may show its view: an older one still loading gives way.
    const turn = this.routeTurn = (this.routeTurn ?? 0) + 1;
    const url = new URL(location.href);
    const path = url.pathname.replace(/\/+$/, '');
    let view;
    if (path === '/ui/search') {
      view = new SearchView(this.viewRoot, { mode: url.searchParams.get('mode') === 'prefix' ? 'prefix' : 'q', text: url.searchParams.get('text') ?? '' }, this);
    } else if (path === '/ui/cluster') {
      view = new ClusterView(this.viewRoot);
    } else if (path === '/ui/config') {
      view = new ConfigView(this.viewRoot, url.searchParams.get('path') || '/');
    } else {
      const key = keyFromPath(path);
      try {
        // One listing tells a directory from a key and is already the directory's first page.
        const page = await api.list(key, 0, DirectoryView.PAGE, this.settings.hidden);
        view = page.node.dir ? new DirectoryView(this.viewRoot, key, this, page) : new KeyView(this.viewRoot, key, this);
      } catch (error) {
        if (turn !== this.routeTurn) return;
        this.view = null;
        this.viewRoot.replaceChildren(h('h1', { id: 'view-title' }, error.code === 100 ? 'Not found' : 'Error'),
          h('p', {}, error.code === 100 ? `${key} does not exist (any more).` : error.message),
          h('p', {}, h('a', { href: keyHref(api.parentOf(key)), 'data-nav': '' }, `Go to ${api.parentOf(key)}`)));
        return;
      }
    }
    if (turn !== this.routeTurn) return;
    this.view = view;
    try {
      await view.load();
    } catch (error) {
      toast(error.message, true);
    }
    // The tree follows once the view is on screen: a huge directory's rows come first.
    if (view.key) this.tree.reveal(view.key, view instanceof DirectoryView);
  }

  async reloadAll() {
    await Promise.all([this.tree.reset(), this.route()]);
    if (this.view?.key) await this.tree.reveal(this.view.key);
  }

  /** One event of the recursive watch: the tree and the open view follow it. */
  onEvent(event) {
    const key = event.node.key;
    const removed = REMOVALS.includes(event.action);
    this.tree.changed(key, removed);
    const view = this.view;
    if (!view?.key) return;
    if (removed && (view.key === key || view.key.startsWith(key + '/'))) {
      if (view instanceof KeyView && view.key === key) view.changed(event);
      else this.navigate(api.parentOf(key), { replace: true });
      return;
    }
    if (view instanceof KeyView && view.key === key) view.changed(event);
    else if (view instanceof DirectoryView && (view.key === '/' || key.startsWith(view.key + '/'))) {
      const child = view.key === '/' ? '/' + key.split('/')[1] : view.key + '/' + key.slice(view.key.length + 1).split('/')[0];
      clearTimeout(this.pendingView);
      this.pendingView = setTimeout(() => view.changed(child, removed && child === key), 60);
    }
  }

  makeActions() {
    const guard = (action) => (...args) => {
      if (this.settings.readOnly) { toast('The explorer is read-only on this server', true); return undefined; }
      return action(...args);
    };
    const refresh = () => this.route();
    return {
      create: guard((dir, asDir) => edits.createIn(dir, (key) => this.navigate(asDir ? key : dir), asDir)),
      edit: guard((node) => edits.editValue(node, refresh)),
      ttl: guard((node) => edits.changeTtl(node, refresh)),
      remove: guard((node) => edits.remove(node, (next) => this.navigate(next))),
      copy: guard((node) => edits.copyOrMove(node, (target) => this.navigate(target))),
      restore: guard((node, value) => edits.restore(node, value, refresh)),
      import: guard(() => importDialog(this.currentDir(), () => this.reloadAll())),
      config: (prefix) => this.go(`/ui/config?${new URLSearchParams({ path: prefix })}`),
    };
  }
}

function keyFromPath(path) {
  const rest = path.startsWith('/ui/keys') ? path.slice('/ui/keys'.length) : '';
  const parts = rest.split('/').filter((part) => part.length > 0).map(decodeURIComponent);
  return parts.length === 0 ? '/' : '/' + parts.join('/');
}

new ExplorerApp().start().catch((error) => {
  document.getElementById('view').replaceChildren(h('h1', {}, 'The explorer could not start'), h('p', {}, error.message));
});
