// frameworks.js — indicator frameworks: the tree, targets, editing a node (frameworks.*).
import { get, put } from './http';

export const listFrameworks = () => get('/api/frameworks', { paging: false });            // frameworks.list
export const showFramework = (code) => get(`/api/frameworks/${encodeURIComponent(code)}`, { paging: false }); // frameworks.show
export const setNode = (fw, code, b) =>
  put(`/api/frameworks/${encodeURIComponent(fw)}/nodes/${encodeURIComponent(code)}`, b);  // frameworks.node
