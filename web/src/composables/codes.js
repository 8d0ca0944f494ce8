// codes.js — the API speaks in stable codes (state `found`, list `red`); pages show them as words
// in the chosen language, and the code itself when no word is known.
import { useI18n } from 'vue-i18n';

export function useCodes() {
  const { t, te } = useI18n();
  const code = (kind, v) => (v === null || v === undefined || v === '' ? '—'
    : te(`codes.${kind}.${v}`) ? t(`codes.${kind}.${v}`) : String(v));
  const num = (v, digits = 2) => (v === null || v === undefined || v === '' || Number.isNaN(Number(v)) ? '—'
    : Number(v).toLocaleString(undefined, { maximumFractionDigits: digits }));
  const pct = (v, digits = 1) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(digits)}%`);
  return { code, num, pct };
}

/** The rows of a list reply ({NAME: [...], pager}) whatever its name. */
export function rowsOf(reply, name) {
  if (!reply) return [];
  if (name && Array.isArray(reply[name])) return reply[name];
  for (const [k, v] of Object.entries(reply)) if (k !== 'pager' && Array.isArray(v)) return v;
  return [];
}
