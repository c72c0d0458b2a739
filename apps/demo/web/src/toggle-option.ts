/** The `showToggleButton` option from the page's `?toggle=true|false`; absent: follow the server. */
export const TOGGLE_PARAM = 'toggle';

export function toggleOption(): boolean | undefined {
  const value = new URLSearchParams(window.location.search).get(TOGGLE_PARAM);
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** Reloads the page with another `showToggleButton` option. */
export function reloadWithToggleOption(option: boolean | undefined): void {
  const url = new URL(window.location.href);
  if (option === undefined) url.searchParams.delete(TOGGLE_PARAM);
  else url.searchParams.set(TOGGLE_PARAM, String(option));
  window.location.assign(url.href);
}
