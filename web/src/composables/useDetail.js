// useDetail.js — one record opened in a drawer: {open, data, error, show(arg)}; show opens the
// drawer at once and fills it when the fetch answers (the error, if any, shows in the drawer).
import { ref, shallowRef } from 'vue';

export function useDetail(fetcher) {
  const open = ref(false);
  const data = shallowRef(null);
  const error = ref(null);
  async function show(arg) {
    open.value = true;
    data.value = null;
    error.value = null;
    try { data.value = await fetcher(arg); } catch (e) { error.value = e; }
  }
  return { open, data, error, show };
}
