// session.js — the signed-in user (from /api/login or, after a reload, /api/session), kept in
// memory with its CSRF token; `can(perm)` reads the permissions the API reported for the role.
import { reactive } from 'vue';
import * as api from '../api/session';
import { setCsrf } from '../api/http';

export const session = reactive({ user: null, checked: false });

function take(reply) {
  session.user = reply ? reply.user : null;
  setCsrf(reply ? reply.csrf : null);
  session.checked = true;
}

/** After a page load: the session the cookie names, or nobody. */
export async function restoreSession() {
  if (session.checked) return session.user;
  try { take(await api.currentSession()); } catch { take(null); }
  return session.user;
}

export async function signIn(name, password) {
  take(await api.login(name, password));
  return session.user;
}

export async function signOut() {
  try { await api.logout(); } finally { take(null); }
}

/** Forget the user locally (the server said 401). */
export function dropSession() { take(null); }

export function can(perm) {
  return !!session.user && (session.user.permissions || []).includes(perm);
}
