// useLoad.js — load what a page shows from one operation: {data, error, loading, available,
// reload}.  An operation the server does not offer is never called: `available` is false and
// the page says which operation is missing (components/Unavailable.vue).
import { ref, shallowRef } from 'vue';
import { hasOp, loadCapabilities } from '../api/capabilities';

export function useLoad(op, fetcher, { immediate = true } = {}) {
  const data = shallowRef(null);
  const error = ref(null);
  const loading = ref(false);
  const available = ref(true);
  let seq = 0;
  async function reload() {
    const my = ++seq;
    loading.value = true;
    error.value = null;
    try {
      await loadCapabilities();
      if (!hasOp(op)) { available.value = false; data.value = null; return null; }
      available.value = true;
      const d = await fetcher();
      if (my === seq) data.value = d;
      return d;
    } catch (e) {
      if (my === seq) { error.value = e; data.value = null; }
      return null;
    } finally {
      if (my === seq) loading.value = false;
    }
  }
  if (immediate) reload();
  return { data, error, loading, available, reload, op };
}
