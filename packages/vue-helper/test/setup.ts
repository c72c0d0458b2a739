import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, vi } from 'vitest';

enableAutoUnmount(afterEach);

beforeEach(() => {
  if (typeof window === 'undefined') return; // the SSR test runs without a DOM
  localStorage.clear();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
  // happy-dom has no requestIdleCallback: here the browser's first idle moment comes at once, so
  // the widget starts as the tests mount it (deferred-start.test.ts controls it instead).
  vi.stubGlobal('requestIdleCallback', (task: () => void) => void Promise.resolve().then(task));
});

afterEach(() => {
  vi.useRealTimers();
});
