// The explorer page: routes by URL (/ui/keys/<key path>, /ui/search, /ui/cluster, /ui/config), keeps the
// tree and the open view in step with the store through one recursive watch. With auth on it asks for a
// sign-in when the guest may not read, keeps it for the tab, and shows who is signed in.
import * as access from './access.js';
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
    this.watches = [];
  }

  async start() {
    const info = await api.info();
    this.settings.readOnly = info.readOnly;
    document.body.classList.toggle('read-only', info.readOnly);
    document.getElementById('read-only-badge').hidden = !info.readOnly;
    document.title = `KvDirectory explorer — ${info.name}`;
    document.getElementById('login-title').textContent = `Sign in to ${info.name}`;
    this.wireChrome();
    this.wireLogin();
    access.onDenied((error, key, write) => this.denied(error, key, write));
    setInterval(() => this.view?.tick?.(), 250);
    await this.begin();
  }

  /**
   * (Re)starts with the tab's credentials: who they are, then the tree, the view the URL names and the watches.
   * With a reason (signed out, a refused sign-in) or a guest who may read nothing, the sign-in form instead.
   */
  async begin(reason = null) {
    this.stopWatches();
    let session;
    try {
      session = await api.session();
    } catch (error) {
      if (!access.isDenied(error)) throw error;
      const user = api.rememberedUser();
      api.forget();
      return this.begin(`The sign-in of ${user} is no longer accepted (${error.message}).`);
    }
    access.setSession(session);
    this.showUser();
    if (session.authEnabled && !session.user && (reason || !access.mayReadAnything())) {
      return this.showLogin(reason ?? 'Authentication is on and the guest may not read any key here.');
    }
    this.hideLogin();
    // The watches start from the index before anything is read: no change in between is missed.
    const { etcdIndex } = await api.info();
    await Promise.all([this.tree.reset(), this.route()]);
    if (this.signedOut) return;
    const onEvent = (event) => this.onEvent(event);
    this.watches = access.watchTargets().map((target) =>
      api.watch(target, etcdIndex + 1, onEvent, () => this.reloadAll(), (state) => this.setLive(state)));
  }

  stopWatches() {
    for (const stop of this.watches) stop();
    this.watches = [];
  }

  showUser() {
    const box = document.getElementById('user-box');
    box.hidden = !access.authEnabled();
    const user = access.signedInUser();
    document.getElementById('user-name').replaceChildren(...(user ? ['Signed in as ', h('b', {}, user)] : ['Guest']));
    const sign = document.getElementById('sign-button');
    sign.textContent = user ? 'Sign out' : 'Sign in';
    const importButton = document.getElementById('open-import');
    importButton.disabled = !access.mayWriteUnder('/');
    importButton.title = importButton.disabled ? `${user ?? 'The guest'} may not write any key` : '';
  }

  wireLogin() {
    const form = document.getElementById('login-form');
    const error = document.getElementById('login-error');
    document.getElementById('sign-button').addEventListener('click', () => {
      if (access.signedInUser()) {
        const user = access.signedInUser();
        api.forget();
        this.begin(`${user} signed out.`);
      } else {
        this.showLogin('Sign in to see and change what your user may.');
      }
    });
    document.getElementById('login-guest').addEventListener('click', () => {
      this.guestChosen = true;
      this.begin();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const user = form.elements.username.value.trim();
      const password = form.elements.password.value;
      const submit = document.getElementById('login-submit');
      submit.disabled = true;
      error.hidden = true;
      try {
        await api.session(user, password);
        api.remember(user, password);
        form.elements.password.value = '';
        await this.begin();
      } catch (failure) {
        error.textContent = access.isDenied(failure)
          ? `Wrong user name or password. The server answered: ${failure.message}`
          : `Could not sign in: ${failure.message}`;
        error.hidden = false;
        form.elements.password.select();
      } finally {
        submit.disabled = false;
      }
    });
  }

  /** The sign-in form in place of the page; the URL stays, so after signing in the same key opens. */
  showLogin(reason) {
    this.stopWatches();
    this.view?.dispose?.();
    this.view = null;
    this.viewRoot.replaceChildren();
    document.body.classList.add('signed-out');
    document.getElementById('login').hidden = false;
    document.getElementById('login-reason').textContent = reason;
    document.getElementById('login-error').hidden = true;
    document.getElementById('login-guest').hidden = !(access.authEnabled() && !access.signedInUser() && access.mayReadAnything());
    const form = document.getElementById('login-form');
    form.elements.password.value = '';
    (form.elements.username.value ? form.elements.password : form.elements.username).focus();
  }

  get signedOut() {
    return document.body.classList.contains('signed-out');
  }

  hideLogin() {
    document.body.classList.remove('signed-out');
    document.getElementById('login').hidden = true;
  }

  /** The server refused a request: the guest is offered the sign-in, a user is told what was refused. */
  denied(error, key, write) {
    if (access.authEnabled() && !access.signedInUser()) {
      this.showLogin(`${access.deniedText(key, write)}: sign in as a user who may. (${error.message})`);
      return;
    }
    toast(`${access.deniedText(key, write)}: the server refused (${error.message}). Nothing was changed.`, true);
  }

  /** A key or directory the user may not read: said plainly, with where they may go instead. */
  showReadDenied(key, error) {
    const guest = access.authEnabled() && !access.signedInUser();
    // The guest is asked to sign in, unless it chose to go on as the guest or may read elsewhere than the root it opened.
    if (guest && !this.guestChosen && !(key === '/' && access.mayReadAnything())) {
      this.showLogin(`Sign in to open ${key}: the guest may not read it.`);
      return;
    }
    const entries = access.entryPoints();
    this.viewRoot.replaceChildren(
      h('h1', { id: 'view-title' }, 'No permission'),
      h('p', { class: 'error', 'data-testid': 'denied' }, `${access.deniedText(key, false)}. The server answered: ${error.message}`),
      entries.length ? h('p', {}, 'You may read:') : null,
      entries.length ? h('ul', { class: 'entry-points' }, entries.map((entry) => h('li', {}, h('a', { href: keyHref(entry.key), 'data-nav': '' }, entry.key + (entry.dir ? '/' : ''))))) : null,
      h('p', {}, h('button', { type: 'button', onclick: () => this.showLogin(`Sign in as a user who may read ${key}.`) }, guest ? 'Sign in' : 'Sign in as another user')));
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
      // The tree row of the key the URL names too: the row marked current may still be the previous view's.
      else if (event.key === 't' && !event.ctrlKey && !event.metaKey) { event.preventDefault(); this.tree.focusRow(location.pathname.startsWith('/ui/keys') ? keyFromPath(location.pathname) : null); }
      else if (event.key === 'l' && !event.ctrlKey && !event.metaKey) { event.preventDefault(); this.view?.focusFirst?.(); }
    });
  }

  setLive(state) {
    const live = document.getElementById('live-state');
    live.textContent = state === 'live' ? 'live' : state === 'refused' ? 'live updates refused' : 'offline, retrying';
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
    if (this.signedOut) return;
    this.view?.dispose?.();
    // Until the next view is on screen no view follows events: a removal of the old view's key (a rename's delete)
    // must not send the page to that key's parent instead of the URL being loaded.
    this.view = null;
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
        if (access.isDenied(error)) return this.showReadDenied(key, error);
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
      if (access.isDenied(error)) return this.showReadDenied(view.key ?? view.prefix ?? '/', error);
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
