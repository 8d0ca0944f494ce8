// session.js — sign-in, sign-out, the session after a page reload, tokens (docs/api.md).
import { get, post } from './http';

export const login = (name, password) => post('/api/login', { name, password });
export const logout = () => post('/api/logout', {});
export const currentSession = () => get('/api/session', undefined, { quiet401: true });
export const me = () => get('/api/me');                                   // user.me
