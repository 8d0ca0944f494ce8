// main.js — the dashboard: Vue, the router, vue-i18n; a 401 from any request returns to sign-in.
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { i18n } from './locales';
import { setUnauthenticatedHandler } from './api/http';
import { dropSession } from './stores/session';
import { focusableScrollRegions } from './a11y';
import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';
import './styles.css';

setUnauthenticatedHandler(() => {
  dropSession();
  const here = router.currentRoute.value;
  if (!here.meta.public) router.replace({ name: 'login', query: { next: here.fullPath } });
});

createApp(App).use(router).use(i18n).mount('#app');
focusableScrollRegions();
