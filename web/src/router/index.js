// router — one lazy-loaded route per page (each page its own chunk).  meta.perm names the
// permission the page's operations need; the menu offers a page only to roles that hold it and a
// direct visit without it shows 403 (the API refuses anyway: this only spares a useless request).
import { createRouter, createWebHistory } from 'vue-router';
import Layout from '../layout/Layout.vue';
import { session, restoreSession, can } from '../stores/session';

export const menuRoutes = [
  { path: 'overview', name: 'overview', component: () => import('../views/overview/index.vue'), meta: { title: 'menu.overview', perm: 'eval.read', icon: 'DataBoard' } },
  { path: 'evaluation', name: 'evaluation', component: () => import('../views/evaluation/index.vue'), meta: { title: 'menu.evaluation', perm: 'eval.read', icon: 'TrendCharts' } },
  { path: 'race', name: 'race', component: () => import('../views/race/index.vue'), meta: { title: 'menu.race', perm: 'eval.read', icon: 'Trophy' } },
  { path: 'lists', name: 'lists', component: () => import('../views/lists/index.vue'), meta: { title: 'menu.lists', perm: 'items.read', icon: 'Tickets' } },
  { path: 'problems', name: 'problems', component: () => import('../views/problems/index.vue'), meta: { title: 'menu.problems', perm: 'items.read', icon: 'Warning' } },
  { path: 'households', name: 'households', component: () => import('../views/households/index.vue'), meta: { title: 'menu.households', perm: 'households.read', icon: 'House' } },
  { path: 'distribution', name: 'distribution', component: () => import('../views/distribution/index.vue'), meta: { title: 'menu.distribution', perm: 'eval.read', icon: 'PieChart' } },
  { path: 'entry', name: 'entry', component: () => import('../views/entry/index.vue'), meta: { title: 'menu.entry', perm: 'values.write', icon: 'EditPen' } },
  { path: 'approvals', name: 'approvals', component: () => import('../views/entry/approvals.vue'), meta: { title: 'menu.approvals', perm: 'values.approve', icon: 'Stamp' } },
  { path: 'collective', name: 'collective', component: () => import('../views/collective/index.vue'), meta: { title: 'menu.collective', perm: 'values.read', icon: 'Coin' } },
  { path: 'pairing', name: 'pairing', component: () => import('../views/pairing/index.vue'), meta: { title: 'menu.pairing', perm: 'values.read', icon: 'Connection' } },
  { path: 'cases', name: 'cases', component: () => import('../views/cases/index.vue'), meta: { title: 'menu.cases', perm: 'read', icon: 'Reading' } },
  { path: 'suggestions', name: 'suggestions', component: () => import('../views/suggestions/index.vue'), meta: { title: 'menu.suggestions', perm: 'publish', icon: 'ChatLineSquare' } },
  { path: 'admin/users', name: 'users', component: () => import('../views/admin/users.vue'), meta: { title: 'menu.users', perm: 'users', icon: 'User', group: 'menu.admin' } },
  { path: 'admin/units', name: 'units', component: () => import('../views/admin/units.vue'), meta: { title: 'menu.units', perm: 'config', icon: 'OfficeBuilding', group: 'menu.admin' } },
  { path: 'admin/framework', name: 'framework', component: () => import('../views/admin/framework.vue'), meta: { title: 'menu.framework', perm: 'config', icon: 'Share', group: 'menu.admin' } },
  { path: 'admin/imports', name: 'imports', component: () => import('../views/admin/imports.vue'), meta: { title: 'menu.imports', perm: 'config', icon: 'Upload', group: 'menu.admin' } },
];

const detailRoutes = [
  { path: 'lists/:code', name: 'item', component: () => import('../views/lists/item.vue'), meta: { title: 'menu.item', perm: 'items.read', parent: 'lists' } },
  { path: 'households/:code', name: 'household', component: () => import('../views/households/household.vue'), meta: { title: 'menu.household', perm: 'households.read', parent: 'households' } },
  { path: 'forbidden', name: 'forbidden', component: () => import('../views/error/forbidden.vue'), meta: { title: 'menu.forbidden' } },
];

const routes = [
  { path: '/login', name: 'login', component: () => import('../views/login/index.vue'), meta: { public: true, title: 'menu.login' } },
  { path: '/public', name: 'public', component: () => import('../views/public/index.vue'), meta: { public: true, title: 'menu.public' } },
  { path: '/', component: Layout, redirect: () => ({ name: homeRoute() }), children: [...menuRoutes, ...detailRoutes] },
  { path: '/:rest(.*)*', name: 'notFound', component: () => import('../views/error/notFound.vue'), meta: { public: true, title: 'menu.notFound' } },
];

/** The first page of the menu the signed-in role may open. */
export function homeRoute() {
  const r = menuRoutes.find((m) => can(m.meta.perm));
  return r ? r.name : 'forbidden';
}

export const router = createRouter({ history: createWebHistory(), routes, scrollBehavior: () => ({ top: 0 }) });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  await restoreSession();
  if (!session.user) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : undefined };
  if (to.meta.perm && !can(to.meta.perm)) return { name: 'forbidden', query: { from: to.fullPath } };
  return true;
});
