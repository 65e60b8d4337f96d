// Every edit the explorer makes: compare-and-swap on the index the user saw, through /v2/keys.
// When someone else changed the key meanwhile, the user sees both versions side by side and chooses;
// nothing is ever overwritten silently.
import * as access from './access.js';
import * as api from './api.js';
import { h, openDialog, toast } from './dom.js';
import { secondsLeft } from './format.js';

const field = (label, control) => h('label', {}, label, control);
const buttons = (...items) => h('div', { class: 'buttons' }, ...items);
const cancel = (close) => h('button', { type: 'button', onclick: () => close(undefined) }, 'Cancel');

function ttlField(value) {
  return h('input', { name: 'ttl', type: 'number', min: '1', step: '1', value: value || '', placeholder: 'permanent', 'aria-label': 'TTL in seconds (empty: permanent)' });
}

function readTtl(form) {
  const text = form.elements.ttl.value.trim();
  if (text === '') return '';
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error('TTL must be a whole number of seconds, at least 1');
  return seconds;
}

async function currentNode(key) {
  try {
    return (await api.getKey(key)).body.node;
  } catch (error) {
    if (error instanceof api.EtcdError && error.code === 100) return null;
    throw error;
  }
}

/** The side-by-side view: what the user wanted and what is there now. Resolves 'mine' or 'theirs'. */
export function conflictDialog(key, mine, theirs, verb = 'Save mine') {
  return openDialog((form, close) => {
    const theirsText = theirs === null ? '(deleted)' : theirs.dir ? '(a directory)' : theirs.value;
    form.append(
      h('h2', { id: 'dialog-title' }, 'Someone else changed this key'),
      h('p', {}, 'While you were looking, ', h('code', {}, key), ' was changed by another client. Nothing was written. Choose which version to keep.'),
      h('div', { class: 'side-by-side', role: 'group', 'aria-label': 'Both versions' },
        h('section', { 'aria-label': 'Your version' },
          h('h3', {}, 'Your version'),
          h('pre', { class: 'mono', 'data-testid': 'conflict-mine' }, mine === null ? '(delete the key)' : mine)),
        h('section', { 'aria-label': 'Current version on the server' },
          h('h3', {}, theirs ? `Now on the server (modifiedIndex ${theirs.modifiedIndex})` : 'Now on the server'),
          h('pre', { class: 'mono', 'data-testid': 'conflict-theirs' }, theirsText))),
      buttons(
        h('button', { type: 'button', onclick: () => close('theirs') }, 'Keep theirs'),
        theirs?.dir ? null : h('button', { type: 'button', class: mine === null ? 'primary danger' : 'primary', onclick: () => close('mine') }, verb)));
  }, { wide: true });
}

/**
 * Runs a conditional write; on a failed condition shows both versions and, when the user keeps theirs,
 * retries on the index they have now seen. write(index) gets 0 for "must not exist".
 */
async function writeResolvingConflicts(key, mine, seenIndex, write, verb) {
  let index = seenIndex;
  for (;;) {
    try {
      return await write(index);
    } catch (error) {
      const conflict = error instanceof api.EtcdError && (error.code === 101 || error.code === 105 || (error.code === 100 && index > 0));
      if (!conflict) throw error;
      const theirs = await currentNode(key);
      if (await conflictDialog(key, mine, theirs, verb) !== 'mine') {
        toast(`Kept the current version of ${key}`);
        return null;
      }
      if (theirs?.dir) return null;
      if (theirs === null && mine === null) return null;
      index = theirs ? theirs.modifiedIndex : 0;
    }
  }
}

const condition = (index) => (index > 0 ? { prevIndex: index } : { prevExist: false });

function reportError(form, error) {
  let line = form.querySelector('.error');
  if (!line) {
    line = h('p', { class: 'error', role: 'alert' });
    form.querySelector('.buttons').before(line);
  }
  line.textContent = error.message;
}

/** Create a key or directory inside dir. */
export async function createIn(dir, onDone, asDir = false) {
  let seenAbsent = false;
  const result = await openDialog((form, close) => {
    const name = h('input', { name: 'name', required: true, autofocus: true, 'aria-label': 'Name', placeholder: 'name or a/b/c' });
    const isDir = h('input', { type: 'checkbox', name: 'dir', 'aria-label': 'Create a directory' });
    isDir.checked = asDir;
    const value = h('textarea', { name: 'value', class: 'mono', 'aria-label': 'Value' });
    const sync = () => { value.closest('label').hidden = isDir.checked; };
    isDir.addEventListener('change', sync);
    form.append(
      h('h2', { id: 'dialog-title' }, `New ${asDir ? 'directory' : 'key'} in ${dir}`),
      field('Name', name),
      h('label', { class: 'inline' }, isDir, 'Directory'),
      field('Value', value),
      field('TTL (seconds)', ttlField()),
      buttons(cancel(close), h('button', { type: 'submit', class: 'primary' }, 'Create')));
    sync();
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        const key = api.joinKey(dir, name.value.trim());
        const ttl = readTtl(form);
        seenAbsent = true;
        const fields = isDir.checked ? { dir: true, ttl: ttl || undefined } : { value: value.value, ttl: ttl || undefined };
        close({ key, fields, dir: isDir.checked });
      } catch (error) {
        reportError(form, error);
      }
    };
  });
  if (!result || !seenAbsent) return;
  await run(result.key, async () => {
    const written = await writeResolvingConflicts(result.key, result.dir ? '(a directory)' : result.fields.value, 0,
      (index) => api.putKey(result.key, index > 0 ? { value: result.fields.value, ttl: result.fields.ttl } : result.fields, condition(index)), 'Replace theirs');
    if (written) toast(`Created ${result.key}`);
    onDone(result.key);
  });
}

/** Edit a key's value (and TTL) as the user saw it at node.modifiedIndex. */
export async function editValue(node, onDone) {
  const remaining = node.expiration ? secondsLeft(node.expiration) : '';
  const result = await openDialog((form, close) => {
    const value = h('textarea', { name: 'value', class: 'mono', autofocus: true, 'aria-label': 'Value', rows: 12 });
    value.value = node.value;
    form.append(
      h('h2', { id: 'dialog-title' }, `Edit ${node.key}`),
      h('p', {}, `Saved only if the key is still at modifiedIndex ${node.modifiedIndex}.`),
      field('Value', value),
      field('TTL (seconds)', ttlField(remaining)),
      buttons(cancel(close), h('button', { type: 'submit', class: 'primary' }, 'Save')));
    form.onsubmit = (event) => {
      event.preventDefault();
      try { close({ value: value.value, ttl: readTtl(form) }); } catch (error) { reportError(form, error); }
    };
  });
  if (!result) return;
  await run(node.key, async () => {
    const written = await writeResolvingConflicts(node.key, result.value, node.modifiedIndex,
      (index) => api.putKey(node.key, { value: result.value, ttl: result.ttl }, condition(index)));
    if (written) toast(`Saved ${node.key}`);
    onDone();
  });
}

/** Set or clear a TTL. A key keeps its value (written back only if unchanged); a directory keeps its children. */
export async function changeTtl(node, onDone) {
  const result = await openDialog((form, close) => {
    form.append(
      h('h2', { id: 'dialog-title' }, `TTL of ${node.key}`),
      field('Seconds to live (empty: permanent)', ttlField(node.expiration ? secondsLeft(node.expiration) : '')),
      buttons(cancel(close),
        node.expiration ? h('button', { type: 'button', onclick: () => close({ ttl: '' }) }, 'Clear TTL') : null,
        h('button', { type: 'submit', class: 'primary' }, 'Set TTL')));
    form.onsubmit = (event) => {
      event.preventDefault();
      try { close({ ttl: readTtl(form) }); } catch (error) { reportError(form, error); }
    };
  });
  if (!result) return;
  await run(node.key, async () => {
    if (node.dir) {
      await api.putKey(node.key, { dir: true, ttl: result.ttl }, { prevExist: true });
    } else {
      const written = await writeResolvingConflicts(node.key, node.value, node.modifiedIndex,
        (index) => api.putKey(node.key, { value: node.value, ttl: result.ttl }, condition(index)));
      if (!written) return onDone();
    }
    toast(result.ttl === '' ? `${node.key} is permanent now` : `${node.key} expires in ${result.ttl}s`);
    onDone();
  });
}

/** Deletes a key if it is still what the user saw, or a directory with everything beneath it after naming the count. */
export async function remove(node, onDone) {
  if (!node.dir) {
    const ok = await openDialog((form, close) => {
      form.append(h('h2', { id: 'dialog-title' }, `Delete ${node.key}?`),
        h('p', {}, 'Deleted only if it is still at modifiedIndex ', String(node.modifiedIndex), '.'),
        buttons(cancel(close), h('button', { type: 'button', class: 'primary danger', autofocus: true, onclick: () => close(true) }, 'Delete key')));
    });
    if (!ok) return;
    await run(node.key, async () => {
      const done = await writeResolvingConflicts(node.key, null, node.modifiedIndex,
        (index) => api.deleteKey(node.key, { prevIndex: index }), 'Delete anyway');
      if (done) toast(`Deleted ${node.key}`);
      onDone(done ? api.parentOf(node.key) : node.key);
    });
    return;
  }
  await run(node.key, async () => {
    let size = await api.count(node.key);
    for (;;) {
      const seen = size;
      const ok = await openDialog((form, close) => {
        form.append(h('h2', { id: 'dialog-title' }, `Delete ${node.key} and everything in it?`),
          h('p', { 'data-testid': 'delete-count' }, `This deletes ${seen.keys} ${seen.keys === 1 ? 'key' : 'keys'} in ${seen.dirs} ${seen.dirs === 1 ? 'directory' : 'directories'} (hidden keys included).`),
          buttons(cancel(close), h('button', { type: 'button', class: 'primary danger', onclick: () => close(true) }, `Delete ${seen.keys} ${seen.keys === 1 ? 'key' : 'keys'}`)));
      });
      if (!ok) return;
      // The v2 API has no condition for a recursive delete: check that nothing beneath changed since the count was shown.
      size = await api.count(node.key);
      if (size.changedIndex === seen.changedIndex) break;
      toast(`${node.key} changed meanwhile: look at the new count`, true);
    }
    await api.deleteKey(node.key, { dir: true, recursive: true });
    toast(`Deleted ${node.key} (${size.keys} keys)`);
    onDone(api.parentOf(node.key));
  });
}

/**
 * Writes the items of an import plan: added ones only if still absent, changed ones only if still at the
 * index the dry run saw; unchanged and conflicting ones are left alone. Returns [{key, ok, message}].
 */
export async function applyItems(items, progress = () => {}) {
  const results = [];
  for (const item of items) {
    if (item.status === 'Unchanged' || item.status === 'Conflicting') continue;
    const fields = item.dir ? { dir: true } : { value: item.value };
    if (item.ttl > 0) fields.ttl = item.ttl;
    try {
      if (item.status === 'Added') await api.putKey(item.key, fields, { prevExist: false });
      else if (!item.dir) await api.putKey(item.key, fields, { prevIndex: item.currentModifiedIndex });
      results.push({ key: item.key, ok: true });
    } catch (error) {
      results.push({ key: item.key, ok: false, message: error.message, denied: access.isDenied(error) });
    }
    progress(results.length);
  }
  return results;
}

/** Copies (or moves) a subtree: only into free space, each key created only if still absent. */
export async function copyOrMove(node, onDone) {
  const result = await openDialog((form, close) => {
    const target = h('input', { name: 'target', required: true, autofocus: true, value: `${node.key}-copy`, 'aria-label': 'Destination path' });
    form.append(h('h2', { id: 'dialog-title' }, `Copy or rename ${node.key}`),
      field('Destination', target),
      buttons(cancel(close),
        h('button', { type: 'button', onclick: () => close({ target: target.value.trim(), move: true }) }, 'Rename (move)'),
        h('button', { type: 'submit', class: 'primary' }, 'Copy')));
    form.onsubmit = (event) => { event.preventDefault(); close({ target: target.value.trim(), move: false }); };
  });
  if (!result || !result.target) return;
  await run(result.target, async () => {
    const target = '/' + result.target.replace(/^\/+|\/+$/g, '');
    const dump = await api.exportDump(node.key);
    const plan = await api.planImport(JSON.stringify(dump), target);
    const taken = plan.items.filter((item) => item.status !== 'Added' && !(item.dir && item.status === 'Unchanged' && item.key === target));
    if (taken.length > 0) throw new Error(`${taken.length} of the destination's keys exist already (${taken[0].key}); nothing was copied`);
    if (node.dir && !plan.items.some((item) => item.key === target)) plan.items.unshift({ key: target, dir: true, status: 'Added' });
    const failed = (await applyItems(plan.items)).filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`${failed.length} keys could not be written: ${failed[0].key}: ${failed[0].message}`);
    if (!result.move) {
      toast(`Copied ${node.key} to ${target}`);
      return onDone(target);
    }
    if (node.dir) {
      const now = await api.count(node.key);
      if (now.changedIndex > dump.etcdIndex) throw new Error(`${node.key} changed while it was copied; the copy is at ${target}, the original was kept`);
      await api.deleteKey(node.key, { dir: true, recursive: true });
    } else {
      await api.deleteKey(node.key, { prevIndex: dump.nodes[0].modifiedIndex });
    }
    toast(`Renamed ${node.key} to ${target}`);
    onDone(target);
  });
}

/** Runs a change of key; a refusal for lack of permission is said as such (and offers the guest a sign-in). */
async function run(key, action) {
  try {
    await action();
  } catch (error) {
    if (access.isDenied(error)) access.reportDenied(error, key, true);
    else toast(error.message, true);
  }
}

/** Writes an old value back, conditional on the key still being at the index shown. */
export async function restore(node, value, onDone) {
  await run(node.key, async () => {
    const written = await writeResolvingConflicts(node.key, value, node.modifiedIndex,
      (index) => api.putKey(node.key, { value, ttl: node.expiration ? secondsLeft(node.expiration) || undefined : undefined }, condition(index)));
    if (written) toast(`Restored ${node.key}`);
    onDone();
  });
}
