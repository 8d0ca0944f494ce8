// users.js — users, roles and scopes (user.*).
import { get, post, put } from './http';

export const listUsers = (q) => get('/api/users', { paging: false, ...q });            // user.list
export const addUser = (b) => post('/api/users', b);                                   // user.add
export const setRole = (name, b) => put(`/api/users/${encodeURIComponent(name)}/role`, b);         // user.role
export const setPassword = (name, b) => put(`/api/users/${encodeURIComponent(name)}/password`, b); // user.passwd
export const disableUser = (name) => post(`/api/users/${encodeURIComponent(name)}/disable`, {});   // user.disable
export const enableUser = (name) => post(`/api/users/${encodeURIComponent(name)}/enable`, {});     // user.enable
