import type { HelperEmailOptions } from '../../src/index.js';
import { INBOUND_SECRET, MAILBOX } from '../email/support.js';
import { StaffTokenGuard, helperModules, testDatabase } from './app.js';
import { SECRET } from './secrets.js';

/**
 * The three modules of a host that receives email, on a fresh database. The auto-reply stays off
 * (the settings' default), so nothing is ever sent to the SMTP server named here.
 */
export async function inboundModules(email: Partial<HelperEmailOptions> = {}) {
  return helperModules(
    { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: await testDatabase() },
    {
      address: MAILBOX,
      smtp: { host: '127.0.0.1', port: 9, secure: false, ignoreTLS: true },
      inboundSecret: INBOUND_SECRET,
      ...email,
    },
  );
}
