// Display helpers: the pretty view and validation of JSON and YAML values (display only: the stored
// bytes are never rewritten), line diffs, and TTL text.

/** What a value looks like: {kind: 'json'|'yaml'|'text', valid, pretty, error}. */
export function inspectValue(value) {
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed) || /^"/.test(trimmed)) {
    try {
      return { kind: 'json', valid: true, pretty: JSON.stringify(JSON.parse(value), null, 2) };
    } catch (error) {
      return { kind: 'json', valid: false, error: error.message };
    }
  }
  if (looksLikeYaml(value)) {
    const error = checkYaml(value);
    return { kind: 'yaml', valid: !error, pretty: value, error };
  }
  return { kind: 'text', valid: true };
}

function looksLikeYaml(value) {
  if (!value.includes('\n') && !/^---/.test(value)) return false;
  return value.split('\n').some((line) => /^\s*(- |[^\s#:][^:]*:(\s|$))/.test(line));
}

/**
 * A structural check of block YAML: no tabs in indentation, every line a mapping entry, a list item, a
 * comment or the continuation of a block scalar, and indentation that only deepens after a line that
 * opens a block. Returns an error message naming the line, or null.
 */
export function checkYaml(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const stack = [0];
  let opensBlock = false;
  let blockScalarIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*$/.test(line)) continue;
    const indent = line.match(/^ */)[0].length;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    if (/^ *\t/.test(line)) return `line ${i + 1}: tabs are not allowed in indentation`;
    const body = line.slice(indent);
    const top = stack[stack.length - 1];
    if (indent > top) {
      if (!opensBlock) return `line ${i + 1}: unexpected indentation`;
      stack.push(indent);
    } else {
      while (stack.length > 1 && indent < stack[stack.length - 1]) stack.pop();
      if (indent !== stack[stack.length - 1]) return `line ${i + 1}: indentation does not match any outer level`;
    }
    const item = body.startsWith('- ') || body === '-';
    const content = item ? body.replace(/^-\s*/, '') : body;
    const entry = content.match(/^("[^"]*"|'[^']*'|[^\s#:'"][^:#]*?)\s*:(\s+(.*))?$/);
    if (!item && !entry) return `line ${i + 1}: expected "key: value" or "- item"`;
    const rest = entry ? (entry[3] || '').trim() : content.trim();
    if (/^[|>][-+]?\d*$/.test(rest)) blockScalarIndent = indent;
    if (/^["']/.test(rest) && rest[0] !== rest[rest.length - 1]) return `line ${i + 1}: unterminated quoted string`;
    opensBlock = (entry && rest === '') || (item && content === '') || (item && !!entry);
    if (item && entry && rest === '') opensBlock = true;
  }
  return null;
}

/** A line diff (longest common subsequence): [{op: ' '|'-'|'+', text}]. */
export function diffLines(before, after) {
  const a = before == null ? [] : comparable(before, after).split('\n');
  const b = after == null ? [] : comparable(after, before).split('\n');
  if (a.length * b.length > 4_000_000) {
    return [...a.map((text) => ({ op: '-', text })), ...b.map((text) => ({ op: '+', text }))];
  }
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i][j] = a[i] === b[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { out.push({ op: ' ', text: a[i] }); i++; j++; }
    // Removed lines before added ones, as diff tools show them.
    else if (i < a.length && (j === b.length || lengths[i + 1][j] >= lengths[i][j + 1])) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  return out;
}

/** Two JSON documents are compared in their pretty form, so a one-line value shows what changed inside it. */
function comparable(value, other) {
  if (other == null) return value;
  try {
    const pretty = JSON.stringify(JSON.parse(value), null, 2);
    JSON.parse(other);
    return /^[[{]/.test(value.trim()) ? pretty : value;
  } catch {
    return value;
  }
}

/** Seconds left until an ISO expiration, rounded up as etcd rounds its ttl. */
export function secondsLeft(expiration) {
  return Math.max(0, Math.ceil((Date.parse(expiration) - Date.now()) / 1000));
}

export function formatSeconds(total) {
  if (total <= 0) return 'expiring';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}
