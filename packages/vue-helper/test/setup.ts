import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';

enableAutoUnmount(afterEach);

beforeEach(() => {
  if (typeof window === 'undefined') return; // the SSR test runs without a DOM
  localStorage.clear();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
});

afterEach(() => {
  vi.useRealTimers();
});
