// What the signed-in user (or the guest) may read and write, as the server's /ui/api/session tells it, checked
// with etcd's v2 rules: a pattern ending in '*' covers every key starting with the rest, any other pattern only
// that exact key (and never a recursive request). Used to disable what the server would refuse and to say why;
// the server still decides every request.

let session = { authEnabled: false, user: null, root: false, read: ['/*'], write: ['/*'] };
let deniedHandler = () => {};

export function setSession(value) {
  session = value;
}

export const authEnabled = () => session.authEnabled;
export const signedInUser = () => session.user;
/** Who the requests are, for messages: the user's name, or "the guest". */
export const who = () => (session.user ? session.user : 'the guest');

function allowed(patterns, key, recursive) {
  if (session.root) return true;
  return patterns.some((pattern) => pattern.length > 0 && (pattern.endsWith('*')
    ? key.startsWith(pattern.slice(0, -1))
    : !recursive && key === pattern));
}

export const mayRead = (key, recursive = false) => allowed(session.read, key, recursive);
export const mayWrite = (key, recursive = false) => allowed(session.write, key, recursive);
export const mayReadAnything = () => session.root || session.read.some((pattern) => pattern.length > 0);

/** Whether key may be changed, asked for as pathFor would (a directory "/app" under "/app/*" included). */
export const canWrite = (key, recursive = false) => mayWrite(key, recursive) || (key !== '/' && mayWrite(key + '/', recursive));

/** Why a change of key is refused, or null when it is allowed (for a disabled button's title). */
export const writeDenied = (key, recursive = false) => (canWrite(key, recursive) ? null : deniedText(key, true));

/** Whether some key beneath dir may be written (what "New key" in dir needs). */
export function mayWriteUnder(dir) {
  if (session.root) return true;
  const below = dir === '/' ? '/' : dir + '/';
  return session.write.some((pattern) => {
    const base = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
    return base.length > 0 && (base.startsWith(below) || (pattern.endsWith('*') && below.startsWith(base)));
  });
}

/**
 * The path to ask the server about key: etcd checks the path as sent, so a directory a user may only see the
 * inside of ("/app/*") is asked for as "/app/" (the server reads the same node).
 */
export function pathFor(key, { write = false, recursive = false } = {}) {
  const check = write ? mayWrite : mayRead;
  if (key === '/' || check(key, recursive) || !check(key + '/', recursive)) return key;
  return key + '/';
}

/**
 * Where a user who may not read the root starts: the keys and directories the read patterns name
 * ("/app/*" → the directory /app, "/cfg/db" → that key).
 */
export function entryPoints() {
  const seen = new Map();
  for (const pattern of session.read) {
    if (!pattern || pattern === '*') continue;
    const prefix = pattern.endsWith('*');
    const key = (prefix ? pattern.slice(0, -1) : pattern).replace(/\/+$/, '');
    if (!key.startsWith('/') || key === '') continue;
    const dir = prefix && pattern.endsWith('/*');
    if (!seen.has(key) || dir) seen.set(key, { key, name: key.slice(1), dir, childCount: null, entryPoint: true });
  }
  return [...seen.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** Patterns to watch for live updates: the whole tree when it may be read, otherwise each readable prefix or key. */
export function watchTargets() {
  if (mayRead('/', true)) return [{ key: '/', recursive: true }];
  return session.read.filter((pattern) => pattern.startsWith('/')).map((pattern) => (pattern.endsWith('*')
    ? { key: pattern.slice(0, -1), recursive: true }
    : { key: pattern, recursive: false }));
}

/** The server refused a request (401/403): the app shows why and, for the guest, the sign-in. */
export function isDenied(error) {
  return error?.status === 401 || error?.status === 403;
}

export function onDenied(handler) {
  deniedHandler = handler;
}

export function reportDenied(error, key, write) {
  deniedHandler(error, key, write);
}

export function deniedText(key, write) {
  return `${who() === 'the guest' ? 'The guest' : who()} may not ${write ? 'change' : 'read'} ${key}`;
}
