import { describe, expect, it } from '@jest/globals';
import { ownedBodyMatcher } from '../../src/http/owned-body-paths.js';

describe('which upload requests read their own bodies', () => {
  const isOwned = ownedBodyMatcher('helper', () => '');

  it.each([
    '/helper/conversations/c_abc/attachments',
    '/helper/conversations/:id/attachments',
    '/helper/staff/conversations/c_abc/attachments?mailbox=sales',
  ])('takes POST %s', (path) => {
    expect(isOwned('POST', path)).toBe(true);
  });

  it.each([
    ['POST', '/helper/conversations/c_abc/messages'],
    ['POST', '/helper/conversations/c_abc/attachments/extra'],
    ['POST', '/helperx/conversations/c_abc/attachments'],
    ['GET', '/helper/conversations/c_abc/attachments'],
    ['GET', '/helper/attachments/a_abc'],
  ])('leaves %s %s to the host’s parsers', (method, path) => {
    expect(isOwned(method, path)).toBe(false);
  });

  it('knows the upload routes under a dotted prefix and the host’s global prefix', () => {
    const dotted = ownedBodyMatcher('api/v1.2', () => '/global/');
    expect(dotted('POST', '/global/api/v1.2/conversations/c_x/attachments')).toBe(true);
    expect(dotted('POST', '/global/api/v1x2/conversations/c_x/attachments')).toBe(false);
  });
});
