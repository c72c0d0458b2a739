import { describe, expect, it } from '@jest/globals';
import { ownedBodyMatcher } from '../../src/http/owned-body-paths.js';

describe('which requests read their own bodies', () => {
  const isOwned = ownedBodyMatcher('helper', () => '');

  it('takes POSTs to the inbound route and the routes below it', () => {
    for (const path of [
      '/helper/email/inbound',
      '/helper/email/inbound/',
      '/helper/email/inbound?mailbox=sales',
      '/helper/email/inbound/postmark',
      '/helper/email/inbound/mailgun/mime',
      '/Helper/Email/Inbound/SendGrid',
    ]) {
      expect([path, isOwned('POST', path)]).toEqual([path, true]);
    }
  });

  it('leaves every other request to the host’s parsers', () => {
    expect(isOwned('GET', '/helper/email/inbound')).toBe(false);
    expect(isOwned('PUT', '/helper/email/inbound')).toBe(false);
    expect(isOwned(undefined, '/helper/email/inbound')).toBe(false);
    for (const path of [
      '/helper/email/inboundx',
      '/helper/email',
      '/helper/conversations',
      '/email/inbound',
      '/other/helper/email/inbound',
    ]) {
      expect([path, isOwned('POST', path)]).toEqual([path, false]);
    }
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
