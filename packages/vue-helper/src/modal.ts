import { onScopeDispose, ref, watch, type Ref } from 'vue';

/** Below this width the panel covers the screen, and so is modal. See docs/widget.md#accessibility. */
export const SMALL_SCREEN = '(max-width: 480px)';

/** Whether the screen is small, following resizes and rotations. */
export function useSmallScreen(): Ref<boolean> {
  const small = ref(false);
  if (typeof matchMedia !== 'function') return small;
  const query = matchMedia(SMALL_SCREEN);
  const apply = () => (small.value = query.matches);
  apply();
  query.addEventListener('change', apply);
  onScopeDispose(() => query.removeEventListener('change', apply));
  return small;
}

/**
 * While `active`, everything on the page but `element` is `inert`: no focus, no clicks, hidden
 * from assistive technology. Elements the host made inert itself stay as they were afterwards.
 */
export function useInertPage(element: Ref<HTMLElement | null>, active: Ref<boolean>): void {
  let made: Element[] = [];
  const release = () => {
    for (const other of made) other.removeAttribute('inert');
    made = [];
  };
  watch(
    [element, active],
    ([target, on]) => {
      release();
      if (!target || !on) return;
      // Every sibling of the element and of each of its ancestors, up to <body>.
      for (let node: Element = target; node.parentElement; node = node.parentElement) {
        for (const other of node.parentElement.children) {
          if (other === node || other.hasAttribute('inert')) continue;
          other.setAttribute('inert', '');
          made.push(other);
        }
        if (node.parentElement === document.body) break;
      }
    },
    { flush: 'post' },
  );
  onScopeDispose(release);
}

/**
 * Tab and Shift+Tab wrap around inside `container`, so focus never leaves a modal dialog. What Tab
 * reaches is what has a `tabIndex` of 0 or more (the browser's default for links and controls, or
 * a `tabindex` attribute), is enabled and is shown.
 */
export function keepTabInside(event: KeyboardEvent, container: HTMLElement): void {
  const focusable = [...container.querySelectorAll<HTMLElement>('*')].filter(
    (candidate) =>
      candidate.tabIndex >= 0 &&
      !(candidate as HTMLButtonElement).disabled &&
      (candidate.offsetParent !== null || candidate === document.activeElement),
  );
  const first = focusable[0];
  const last = focusable.at(-1);
  if (!first || !last) return event.preventDefault();
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === container)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}
