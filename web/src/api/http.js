// http.js — the one way the dashboard talks to `gongfu serve`: JSON in and out, the session
// cookie (sent by the browser), the CSRF token kept in memory and sent on every write, the
// language of labels, and errors as ApiError {status, code, message, field}.
import { ref } from 'vue';

let csrf = null;
let lang = 'zh-CN';
let onUnauthenticated = () => {};

/** Requests in flight: the page's main region is aria-busy while any is (Layout.vue). */
export const pending = ref(0);

export function setCsrf(token) { csrf = token || null; }
export function setLang(l) { lang = l; }
/** Called with no arguments when a request answers 401 (the session ended): go to sign-in. */
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http';
    this.field = e.field || null;
  }
}

function url(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** request(method, path, {query, body, raw, contentType, quiet401}) → the parsed JSON body. */
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang.startsWith('en') ? 'en' : 'zh' };
  let body;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.contentType || 'text/csv';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  pending.value++;
  try {
    const res = await fetch(url(path, opts.query), { method, headers, body, credentials: 'same-origin' });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!res.ok) {
      const err = new ApiError(res.status, json);
      if (res.status === 401 && !opts.quiet401) onUnauthenticated();
      throw err;
    }
    return json;
  } finally {
    // counted down after the caller's continuation has run, so a request it makes next (a
    // page's second request waits for its first) keeps the count above zero
    setTimeout(() => { pending.value--; }, 0);
  }
}

export const get = (path, query, opts = {}) => request('GET', path, { ...opts, query });
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
