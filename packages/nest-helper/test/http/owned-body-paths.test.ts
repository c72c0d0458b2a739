import { describe, expect, it } from '@jest/globals';
import { ownedBodyMatcher } from '../../src/http/owned-body-paths.js';

describe('which requests read their own bodies', () => {
  const isOwned = ownedBodyMatcher('helper', () => '');

  it.each([
    '/helper/email/inbound',
    '/helper/email/inbound/',
    '/helper/email/inbound?mailbox=sales',
    '/helper/email/inbound/postmark',
    '/helper/email/inbound/mailgun/mime',
    '/Helper/Email/Inbound/SendGrid',
  ])('takes POST %s', (path) => {
    expect(isOwned('POST', path)).toBe(true);
  });

  it.each([
    ['POST', '/helper/email/inboundx'],
    ['POST', '/helper/email'],
    ['POST', '/helper/conversations'],
    ['POST', '/email/inbound'],
    ['POST', '/other/helper/email/inbound'],
    ['GET', '/helper/email/inbound'],
    ['PUT', '/helper/email/inbound'],
    [undefined, '/helper/email/inbound'],
  ])('leaves %s %s to the host’s parsers', (method, path) => {
    expect(isOwned(method, path)).toBe(false);
  });

  it('follows the host’s global prefix, read when asked', () => {
    let global = '';
    const underGlobal = ownedBodyMatcher('api/support', () => global);
    expect(underGlobal('POST', '/api/support/email/inbound')).toBe(true);
    global = '/v1/';
    expect(underGlobal('POST', '/v1/api/support/email/inbound/postmark')).toBe(true);
    expect(underGlobal('POST', '/v2/api/support/email/inbound/postmark')).toBe(false);
  });

  it('knows the inbound route without a route prefix', () => {
    expect(ownedBodyMatcher('', () => '')('POST', '/email/inbound/sendgrid')).toBe(true);
  });
});
