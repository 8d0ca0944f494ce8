// index.js — vue-i18n with zh-CN by default and English by the toggle (kept in localStorage).
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';
import { setLang } from '../api/http';

const KEY = 'gongfu.lang';
const saved = (typeof localStorage !== 'undefined' && localStorage.getItem(KEY)) || 'zh-CN';
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});
setLang(i18n.global.locale.value);
document.documentElement.lang = i18n.global.locale.value;

export function setLocale(l) {
  i18n.global.locale.value = l;
  localStorage.setItem(KEY, l);
  setLang(l);
  document.documentElement.lang = l;
}
