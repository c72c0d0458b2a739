import type { Ref } from 'vue';

/** Keeps `theme` on the visitor's colour scheme, as it changes; answers the function that stops. */
export function followColorScheme(theme: Ref<'light' | 'dark'>): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const query = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => (theme.value = query.matches ? 'dark' : 'light');
  apply();
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
