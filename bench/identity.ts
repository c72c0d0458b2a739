// Identity signing and verification against a bare HMAC computed in the same run (issue: verify
// at 0.8 of the baseline or better; the HMAC itself is the limit).
import { signIdentity, verifyIdentity } from '@helperkit/core/node';
import { createHmac } from 'node:crypto';
import { compareRates, printRates } from './lib/measure.js';

const secret = 'bench-secret-0123456789abcdef0123456789';
const previous = 'bench-previous-0123456789abcdef01234567';
const email = 'customer.with.a.typical.address@example.com';
const now = Date.now();
const signed = signIdentity({ email, timestamp: now }, secret);
const signedWithPrevious = signIdentity({ email, timestamp: now }, previous);
const message = `${email}:${now}`;
// As a server holds them: the configured list, and the default clock.
const secrets = [secret, previous];

const rates = compareRates({
  'baseline: createHmac().update().digest(hex)': () =>
    createHmac('sha256', secret).update(message).digest('hex'),
  signIdentity: () => signIdentity({ email, timestamp: now }, secret),
  'verifyIdentity (current secret)': () => verifyIdentity(signed, secrets),
  'verifyIdentity (previous secret, 2 HMACs)': () => verifyIdentity(signedWithPrevious, secrets),
});

printRates('identity (core)', rates, {
  name: 'verifyIdentity (current secret)',
  ratio: 0.8,
});
