import nodemailer from 'nodemailer';
import type { ResolvedEmailOptions } from '../email/email.options.js';

/**
 * Connects to the auto-reply SMTP server, greets it and logs in, then hangs up: nothing is sent.
 * Answers null when it answered, else the error's code only (a message could quote the server's
 * reply, and the check's answer may be public).
 */
export async function probeSmtp(
  smtp: ResolvedEmailOptions['smtp'],
  timeoutMs: number,
): Promise<string | null> {
  const timeouts = {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
  const transport = nodemailer.createTransport(
    typeof smtp === 'string' ? { url: smtp, ...timeouts } : { ...smtp, ...timeouts, pool: false },
  );
  try {
    await transport.verify();
    return null;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : 'unreachable';
  } finally {
    transport.close();
  }
}
