// items.js — the four lists (items.*).
import { get, post } from './http';

export const listItems = (q) => get('/api/items', q);                                      // items.list
export const itemFlags = (q) => get('/api/items/flags', { paging: false, ...q });         // items.flags
export const showItem = (code) => get(`/api/items/${encodeURIComponent(code)}`);          // items.show
export const reportProgress = (code, b) => post(`/api/items/${encodeURIComponent(code)}/progress`, b); // items.progress
