// A key: its whole value (raw, or pretty for JSON/YAML, with validation — display only), its indexes,
// a live TTL countdown, and its recent history with a diff per change and "restore this value".
import * as access from './access.js';
import * as api from './api.js';
import { h, toast } from './dom.js';
import { breadcrumbs, button, countdown, tickCountdowns } from './common.js';
import { diffLines, inspectValue } from './format.js';

export class KeyView {
  constructor(container, key, app) {
    this.container = container;
    this.key = key;
    this.app = app;
    this.mode = 'pretty';
  }

  async load() {
    const [read, history] = await Promise.all([api.getKey(this.key), api.history(this.key).catch(() => null)]);
    this.node = read.body.node;
    this.history = history;
    this.render();
  }

  dispose() {
    this.disposed = true;
  }

  render() {
    if (this.disposed) return;
    const node = this.node;
    const actions = this.app.actions;
    const look = inspectValue(node.value ?? '');
    const denied = access.writeDenied(this.key);
    const badge = look.kind === 'text'
      ? h('span', { class: 'badge' }, 'Text')
      : h('span', { class: `badge ${look.valid ? 'ok' : 'bad'}`, 'data-testid': 'validation', title: look.error || '' },
        `${look.kind.toUpperCase()} ${look.valid ? 'valid' : `invalid: ${look.error}`}`);
    const pretty = look.kind !== 'text' && look.valid;
    const showPretty = pretty && this.mode === 'pretty';
    const tab = (mode, label) => h('button', {
      type: 'button', role: 'tab', 'aria-selected': String((mode === 'pretty') === showPretty),
      onclick: () => { this.mode = mode; this.render(); },
    }, label);
    this.container.replaceChildren(
      breadcrumbs(this.key),
      h('div', { class: 'title-row' }, h('h1', { id: 'view-title' }, api.nameOf(this.key)), node.expiration ? h('span', { class: 'badge warn' }, 'expires') : null,
        denied && !this.app.settings.readOnly ? h('span', { class: 'badge warn', 'data-testid': 'no-write', title: denied }, `Read-only for ${access.who()}`) : null),
      h('div', { class: 'meta', 'aria-label': 'Key details' },
        h('span', {}, 'createdIndex ', h('b', { 'data-testid': 'created-index' }, String(node.createdIndex))),
        h('span', {}, 'modifiedIndex ', h('b', { 'data-testid': 'modified-index' }, String(node.modifiedIndex))),
        h('span', {}, 'TTL ', node.expiration ? h('b', { 'data-testid': 'ttl' }, countdown(node.expiration)) : h('b', {}, 'permanent')),
        node.expiration ? h('span', {}, 'expires ', h('b', {}, new Date(node.expiration).toLocaleString())) : null,
        h('span', {}, 'size ', h('b', {}, `${new TextEncoder().encode(node.value ?? '').length} B`))),
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Key actions' },
        button('Edit', () => actions.edit(node), { write: true, class: 'primary', denied }),
        button(node.expiration ? 'Change TTL' : 'Set TTL', () => actions.ttl(node), { write: true, denied }),
        button('Copy / rename', () => actions.copy(node), { write: true, denied: access.mayWriteUnder('/') ? null : denied }),
        button('Delete', () => actions.remove(node), { write: true, class: 'danger', denied }),
        button('Copy value', () => navigator.clipboard?.writeText(node.value).then(() => toast('Value copied'), () => toast('The clipboard is not available here', true)))),
      h('section', { class: 'card value-card', 'aria-label': 'Value' },
        h('div', { class: 'value-tabs', role: 'tablist', 'aria-label': 'Value view' },
          pretty ? tab('pretty', 'Pretty') : null, tab('raw', 'Raw'), badge),
        h('pre', { class: 'value mono', 'data-testid': 'value', tabindex: '0', 'aria-label': 'Stored value' }, showPretty ? look.pretty : node.value)),
      this.renderHistory());
  }

  renderHistory() {
    const history = this.history;
    if (!history) return null;
    const events = history.events;
    return h('section', { class: 'card history', 'aria-label': 'History' },
      h('h2', {}, `Recent history (${events.length})`),
      events.length === 0
        ? h('p', { class: 'empty' }, `No changes since index ${history.oldestIndex} (the history holds the last events only).`)
        : h('ol', {}, events.map((event) => this.historyItem(event))));
  }

  historyItem(event) {
    const value = event.node?.value ?? null;
    const previous = event.prevNode?.value ?? null;
    const removed = ['delete', 'expire', 'compareAndDelete'].includes(event.action);
    const restorable = !removed && value !== null && value !== this.node.value && !this.node.dir;
    const restorePrev = removed && previous !== null;
    const lines = removed ? diffLines(previous, null) : diffLines(previous, value ?? '');
    return h('li', { 'data-testid': 'history-item' },
      h('div', { class: 'head' },
        h('b', {}, event.action), h('span', { class: 'badge' }, `index ${event.node.modifiedIndex}`),
        event.node.key !== this.key ? h('span', {}, `(${event.node.key})`) : null,
        restorable ? button('Restore this value', () => this.app.actions.restore(this.node, value), { write: true, label: `Restore the value of index ${event.node.modifiedIndex}`, denied: access.writeDenied(this.key) }) : null,
        restorePrev ? button('Restore the deleted value', () => this.app.actions.restore(this.node, previous), { write: true, denied: access.writeDenied(this.key) }) : null),
      h('pre', { class: 'diff mono', 'aria-label': `Change at index ${event.node.modifiedIndex}` },
          lines.map((line) => h('div', { class: line.op === '+' ? 'add' : line.op === '-' ? 'del' : '' }, `${line.op} ${line.text}`))));
  }

  async changed(event) {
    if (this.disposed) return;
    const removed = ['delete', 'expire', 'compareAndDelete'].includes(event.action);
    if (removed) {
      toast(`${this.key} was ${event.action === 'expire' ? 'expired' : 'deleted'} at index ${event.node.modifiedIndex}`);
      this.app.navigate(api.parentOf(this.key), { replace: true });
      return;
    }
    await this.load();
    this.container.querySelector('.value-card')?.classList.add('flash');
  }

  tick() {
    tickCountdowns(this.container);
  }
}
