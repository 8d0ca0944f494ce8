// usePhone.js — true on a phone-sized screen (≤ 768 px wide), kept current as the window changes.
import { ref, onMounted, onBeforeUnmount } from 'vue';

export function usePhone() {
  const phone = ref(false);
  const mq = window.matchMedia('(max-width: 768px)');
  const sync = () => { phone.value = mq.matches; };
  sync();
  onMounted(() => mq.addEventListener('change', sync));
  onBeforeUnmount(() => mq.removeEventListener('change', sync));
  return phone;
}
