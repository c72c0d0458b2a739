import { RequestMethod } from '@nestjs/common';
import { underPrefix } from './route-prefix.js';

/** Where inbound email arrives; every POST on this path and below reads its own body. */
export const INBOUND_EMAIL_PATH = 'email/inbound';

/** Where files are uploaded, as multipart bodies the module reads with its own size limit. */
export const UPLOAD_PATHS = [
  'conversations/:id/attachments',
  'staff/conversations/:id/attachments',
];

/** The routes that read their own bodies as Nest middleware routes (`forRoutes`). */
export const ownedBodyRoutes = (routePrefix: string): { path: string; method: RequestMethod }[] =>
  [INBOUND_EMAIL_PATH, `${INBOUND_EMAIL_PATH}/*path`, ...UPLOAD_PATHS].map((path) => ({
    path: underPrefix(routePrefix, path),
    method: RequestMethod.POST,
  }));

/** Found in every path the matcher below accepts: the inbound route's and the upload routes'. */
const MAY_OWN_BODY = /inbound|attachments/i;

const normalise = (path: string): string => {
  const pathname = path.split('?', 1)[0]!.toLowerCase();
  return pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
};

/**
 * Whether a POST to `path` goes to an inbound email route or an upload route (as requested, or as
 * Fastify declares it, `:id`), with or without the host's global prefix, which is read on each
 * call since the host may set it after the module is created.
 */
export function ownedBodyMatcher(
  routePrefix: string,
  globalPrefix: () => string,
): (method: string | undefined, path: string) => boolean {
  const inbound = underPrefix(routePrefix, INBOUND_EMAIL_PATH).toLowerCase();
  const upload = new RegExp(
    `^${underPrefix(routePrefix, '').replace(/[.]/g, '\\.')}(staff/)?conversations/[^/]+/attachments$`,
    'i',
  );
  return (method, path) => {
    if (method?.toUpperCase() !== 'POST') return false;
    // Every request passes here: most are decided by this look for either route's last word.
    if (!MAY_OWN_BODY.test(path)) return false;
    const global = globalPrefix()
      .replace(/^\/+|\/+$/g, '')
      .toLowerCase();
    let normalised = normalise(path);
    if (global !== '' && normalised.startsWith(`/${global}/`)) {
      normalised = normalised.slice(global.length + 1);
    }
    return (
      normalised === inbound || normalised.startsWith(`${inbound}/`) || upload.test(normalised)
    );
  };
}
