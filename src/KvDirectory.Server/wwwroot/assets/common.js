// Pieces both the directory and the key view show.
import { h, keyHref } from './dom.js';
import { formatSeconds, secondsLeft } from './format.js';

export function breadcrumbs(key) {
  const parts = key === '/' ? [] : key.split('/').slice(1);
  const items = [h('li', {}, h('a', { href: keyHref('/'), 'data-nav': '', 'aria-current': parts.length === 0 ? 'page' : null }, 'root'))];
  let path = '';
  parts.forEach((part, i) => {
    path += '/' + part;
    const last = i === parts.length - 1;
    items.push(h('li', {}, h('a', { href: keyHref(path), 'data-nav': '', 'aria-current': last ? 'page' : null }, part)));
  });
  return h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumbs' }, h('ol', {}, items));
}

/** A TTL that counts down by itself (see tickCountdowns); empty for a permanent node. */
export function countdown(expiration) {
  if (!expiration) return h('span', { class: 'countdown' }, '');
  const left = secondsLeft(expiration);
  return h('span', { class: left <= 5 ? 'countdown low' : 'countdown', 'data-expiration': expiration, 'aria-label': 'Time to live' }, formatSeconds(left));
}

export function tickCountdowns(root) {
  for (const element of root.querySelectorAll('[data-expiration]')) {
    const left = secondsLeft(element.dataset.expiration);
    element.textContent = formatSeconds(left);
    element.classList.toggle('low', left <= 5);
    element.closest('.list-row')?.classList.toggle('expiring', left <= 0);
  }
}

/** options.write: a change (hidden when the explorer is read-only); options.denied: why this user may not (disabled). */
export function button(label, onclick, options = {}) {
  return h('button', {
    type: 'button', onclick, 'aria-label': options.label || label, 'data-write': options.write ? '' : null, class: options.class,
    disabled: Boolean(options.denied), title: options.denied || null,
  }, label);
}
