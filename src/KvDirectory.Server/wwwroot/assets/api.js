// Talks to the server: /v2/keys for every read of a whole value and every write (each write is an
// ordinary replicated etcd write, conditional on the index the user saw), /ui/api for the views
// the v2 API has no answer for (paged listings, search, history, dry runs).

/** A v2 error answer ({errorCode, message, cause, index}) as an exception. */
export class EtcdError extends Error {
  constructor(body, status) {
    super(`${body.message || 'error'}${body.cause ? ` (${body.cause})` : ''}`);
    this.code = body.errorCode;
    this.cause = body.cause;
    this.index = body.index;
    this.status = status;
  }
}

/** Path segments escaped one by one: a key may hold any character but '/'. */
export function encodeKey(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

export function parentOf(key) {
  const at = key.lastIndexOf('/');
  return at <= 0 ? '/' : key.slice(0, at);
}

export function nameOf(key) {
  return key === '/' ? '/' : key.slice(key.lastIndexOf('/') + 1);
}

export function joinKey(dir, name) {
  return (dir === '/' ? '' : dir) + '/' + name.replace(/^\/+/, '');
}

async function answer(response) {
  const text = await response.text();
  let body;
  try { body = text ? JSON.parse(text) : {}; } catch { body = { message: text.trim() || response.statusText }; }
  if (!response.ok || body.errorCode) throw new EtcdError(body, response.status);
  return { body, index: Number(response.headers.get('X-Etcd-Index') || 0), headers: response.headers };
}

export async function getKey(key) {
  return answer(await fetch(`/v2/keys${encodeKey(key)}?quorum=false`, { cache: 'no-store' }));
}

/** PUT /v2/keys with form fields; conditions (prevIndex, prevExist) go in the query as etcd reads them. */
export async function putKey(key, fields, conditions = {}) {
  const query = new URLSearchParams(conditions).toString();
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, String(value));
  return answer(await fetch(`/v2/keys${encodeKey(key)}${query ? `?${query}` : ''}`, { method: 'PUT', body: form }));
}

export async function deleteKey(key, conditions = {}) {
  const query = new URLSearchParams(conditions).toString();
  return answer(await fetch(`/v2/keys${encodeKey(key)}${query ? `?${query}` : ''}`, { method: 'DELETE' }));
}

async function ui(path, params = {}, init = {}) {
  const query = new URLSearchParams(params).toString();
  return (await answer(await fetch(`/ui/api/${path}${query ? `?${query}` : ''}`, { cache: 'no-store', ...init }))).body;
}

export const info = () => ui('info');
export const list = (path, offset, limit, hidden) => ui('list', { path, offset, limit, hidden });
export const count = (path) => ui('count', { path });
export const history = (path) => ui('history', { path, limit: 25 });
export const configPreview = (path, expandJson) => ui('config', { path, expandJson });
export const planImport = (dumpText, target) =>
  ui('import/plan', target ? { target } : {}, { method: 'POST', body: dumpText, headers: { 'Content-Type': 'application/json' } });
export const exportUrl = (path) => `/ui/api/export?${new URLSearchParams({ path })}`;
export const exportDump = (path) => ui('export', { path });

/** Streams search results: calls onMatches for every batch the server sends, resolves with the last line. */
export async function search(params, onMatches, signal) {
  const response = await fetch(`/ui/api/search?${new URLSearchParams(params)}`, { signal, cache: 'no-store' });
  if (!response.ok) await answer(response);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let last = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      onMatches(line.matches);
      last = line;
    }
  }
  return last;
}

/**
 * One recursive watch on the whole tree, resumed from the next index after every event. When the
 * history no longer holds that index (401), onCleared reloads what is shown and the watch restarts
 * from the store's current index.
 */
export function watchAll(fromIndex, onEvent, onCleared, onState) {
  const controller = new AbortController();
  let next = fromIndex;
  (async () => {
    for (;;) {
      try {
        const response = await fetch(`/v2/keys/?wait=true&recursive=true&waitIndex=${next}`, { signal: controller.signal, cache: 'no-store' });
        // A watch answers its headers at once: from here on nothing is missed.
        if (response.ok) onState('live');
        const { body } = await answer(response);
        if (!body.node) continue;
        next = body.node.modifiedIndex + 1;
        onEvent(body);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof EtcdError && error.code === 401) {
          next = (error.index || 0) + 1;
          onCleared();
          continue;
        }
        onState('offline');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  return () => controller.abort();
}
