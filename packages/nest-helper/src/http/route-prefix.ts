import { HelperConfigurationError } from '../configuration-error.js';

/** The normalised route prefix, e.g. `helper` or `api/support` ('' for none). */
export const HELPER_ROUTE_PREFIX = 'HELPER_ROUTE_PREFIX';
export const DEFAULT_ROUTE_PREFIX = 'helper';

const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** `/api/support/` → `api/support`; refuses anything that is not a plain path. */
export function normalizeRoutePrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_ROUTE_PREFIX;
  if (typeof prefix !== 'string')
    throw new HelperConfigurationError('routePrefix must be a string.');
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  if (
    segments.some((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..')
  ) {
    throw new HelperConfigurationError(
      `routePrefix "${prefix}" is not a plain path: use letters, digits, ".", "_", "~" and "-" ` +
        'between slashes, e.g. "helper" or "api/support".',
    );
  }
  return segments.join('/');
}

/** `/<prefix>/<path>`, for middleware routes. */
export const underPrefix = (prefix: string, path: string): string =>
  prefix === '' ? `/${path}` : `/${prefix}/${path}`;
