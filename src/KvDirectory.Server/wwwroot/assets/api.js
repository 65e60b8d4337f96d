// Talks to the server: /v2/keys for every read of a whole value and every write (each write is an
// ordinary replicated etcd write, conditional on the index the user saw), /ui/api for the views
// the v2 API has no answer for (paged listings, search, history, dry runs). With auth on, every request
// carries the signed-in user's credentials as HTTP Basic; they live in this tab's sessionStorage only.
import { pathFor } from './access.js';

const CREDENTIALS = 'kvdirectory.credentials';

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

function basicToken(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function stored() {
  try { return JSON.parse(sessionStorage.getItem(CREDENTIALS) || 'null'); } catch { return null; }
}

/** Keeps a sign-in for this tab only (sessionStorage: gone when the tab closes, never shared with other tabs). */
export function remember(user, password) {
  sessionStorage.setItem(CREDENTIALS, JSON.stringify({ user, token: basicToken(user, password) }));
}

export function forget() {
  sessionStorage.removeItem(CREDENTIALS);
}

export const rememberedUser = () => stored()?.user ?? null;

function authorization(token = stored()?.token) {
  return token ? { Authorization: `Basic ${token}` } : {};
}

/** fetch with the tab's credentials (every /v2 and /ui/api request goes through here). */
function send(url, init = {}) {
  return fetch(url, { ...init, headers: { ...authorization(), ...(init.headers || {}) } });
}

async function answer(response) {
  const text = await response.text();
  let body;
  try { body = text ? JSON.parse(text) : {}; } catch { body = { message: text.trim() || response.statusText }; }
  if (!response.ok || body.errorCode) throw new EtcdError(body, response.status);
  return { body, index: Number(response.headers.get('X-Etcd-Index') || 0), headers: response.headers };
}

export async function getKey(key) {
  return answer(await send(`/v2/keys${encodeKey(pathFor(key))}?quorum=false`, { cache: 'no-store' }));
}

/** PUT /v2/keys with form fields; conditions (prevIndex, prevExist) go in the query as etcd reads them. */
export async function putKey(key, fields, conditions = {}) {
  const query = new URLSearchParams(conditions).toString();
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, String(value));
  return answer(await send(`/v2/keys${encodeKey(pathFor(key, { write: true }))}${query ? `?${query}` : ''}`, { method: 'PUT', body: form }));
}

export async function deleteKey(key, conditions = {}) {
  const query = new URLSearchParams(conditions).toString();
  const recursive = conditions.recursive === true || conditions.recursive === 'true';
  return answer(await send(`/v2/keys${encodeKey(pathFor(key, { write: true, recursive }))}${query ? `?${query}` : ''}`, { method: 'DELETE' }));
}

async function ui(path, params = {}, init = {}) {
  const query = new URLSearchParams(params).toString();
  return (await answer(await send(`/ui/api/${path}${query ? `?${query}` : ''}`, { cache: 'no-store', ...init }))).body;
}

export const info = () => ui('info');
/** Who the stored credentials (or the ones given, to check a sign-in before keeping it) are, and what they may do. */
export const session = (user, password) =>
  ui('session', {}, user === undefined ? {} : { headers: authorization(basicToken(user, password)) });
export const list = (path, offset, limit, hidden) => ui('list', { path: pathFor(path), offset, limit, hidden });
export const count = (path) => ui('count', { path: pathFor(path, { recursive: true }) });
export const history = (path) => ui('history', { path: pathFor(path, { recursive: true }), limit: 25 });
export const configPreview = (path, expandJson) => ui('config', { path: pathFor(path, { recursive: true }), expandJson });
export const planImport = (dumpText, target) =>
  ui('import/plan', target ? { target } : {}, { method: 'POST', body: dumpText, headers: { 'Content-Type': 'application/json' } });
export const exportUrl = (path) => `/ui/api/export?${new URLSearchParams({ path: pathFor(path, { recursive: true }) })}`;
export const exportDump = (path) => ui('export', { path: pathFor(path, { recursive: true }) });

/** A signed-in user's download: a plain link cannot carry the credentials, so the file is fetched and handed over. */
export async function download(url) {
  const response = await send(url, { cache: 'no-store' });
  if (!response.ok) await answer(response);
  const name = fileNameOf(response.headers.get('Content-Disposition') || '');
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await response.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/** RFC 6266: the UTF-8 `filename*` when given (a key may hold any character), else the plain or quoted `filename`. */
function fileNameOf(disposition) {
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  if (extended) {
    try { return decodeURIComponent(extended); } catch { /* a malformed escape: fall back to the plain name */ }
  }
  return /filename="([^"]+)"/.exec(disposition)?.[1] || /filename=([^;\s]+)/.exec(disposition)?.[1] || 'export.json';
}

/** Reads any other /v2 endpoint (members, stats) with the tab's credentials. */
export const fetchV2 = (url) => send(url, { cache: 'no-store' });

/** Streams search results: calls onMatches for every batch the server sends, resolves with the last line. */
export async function search(params, onMatches, signal) {
  const response = await send(`/ui/api/search?${new URLSearchParams(params)}`, { signal, cache: 'no-store' });
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
 * One watch (recursive on the whole tree, or on what the user may read), resumed from the next index after
 * every event. When the history no longer holds that index (error 401, HTTP 400), onCleared reloads what is
 * shown and the watch restarts from the store's current index. A refused watch (HTTP 401: permissions
 * changed) says so and retries slowly.
 */
export function watch({ key, recursive }, fromIndex, onEvent, onCleared, onState) {
  const controller = new AbortController();
  let next = fromIndex;
  const path = encodeKey(key);
  (async () => {
    for (;;) {
      try {
        const response = await send(`/v2/keys${path}?wait=true${recursive ? '&recursive=true' : ''}&waitIndex=${next}`, { signal: controller.signal, cache: 'no-store' });
        // A watch answers its headers at once: from here on nothing is missed.
        if (response.ok) onState('live');
        const { body } = await answer(response);
        if (!body.node) continue;
        next = body.node.modifiedIndex + 1;
        onEvent(body);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof EtcdError && error.code === 401 && error.status !== 401) {
          next = (error.index || 0) + 1;
          onCleared();
          continue;
        }
        const refused = error instanceof EtcdError && error.status === 401;
        onState(refused ? 'refused' : 'offline');
        await new Promise((resolve) => setTimeout(resolve, refused ? 5000 : 1000));
      }
    }
  })();
  return () => controller.abort();
}
