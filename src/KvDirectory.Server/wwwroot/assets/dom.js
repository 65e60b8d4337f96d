// Small DOM helpers shared by the views: element building, toasts and the one modal dialog.

/** h('button', {class: 'x', onclick}, 'text', child…): attributes starting with "on" are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function toast(message, bad = false) {
  const element = h('div', { class: bad ? 'toast bad' : 'toast' }, message);
  document.getElementById('toasts').append(element);
  setTimeout(() => element.remove(), bad ? 8000 : 4000);
}

/** The link every key has: /ui/keys/<key path>, each segment escaped. */
export function keyHref(key) {
  return '/ui/keys' + (key === '/' ? '/' : key.split('/').map(encodeURIComponent).join('/'));
}

/**
 * Opens the modal dialog with the given content. build(form, close) fills it; the promise resolves
 * with what close was called with (undefined when dismissed with Escape).
 */
export function openDialog(build, { wide = false } = {}) {
  const dialog = document.getElementById('dialog');
  const form = document.getElementById('dialog-form');
  form.replaceChildren();
  dialog.classList.toggle('wide', wide);
  return new Promise((resolve) => {
    let settled = false;
    const close = (result) => {
      if (settled) return;
      settled = true;
      dialog.close();
      resolve(result);
    };
    dialog.onclose = () => close(undefined);
    build(form, close);
    dialog.showModal();
    const first = form.querySelector('[autofocus], textarea, input:not([type=checkbox]), select, button.primary');
    first?.focus();
  });
}

export function isDialogOpen() {
  return document.getElementById('dialog').open;
}
