import type { InboundMessage } from './parse.js';

const domainOf = (address: string): string =>
  address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * Whom an automatic email answers: the From address, which was authenticated. A Reply-To counts
 * only within the From's own domain: anyone can write any Reply-To, and answering it would make
 * the support address send mail to a third party of the sender's choosing (a spam relay).
 */
export function replyRecipient(message: Pick<InboundMessage, 'from' | 'replyTo'>): string {
  const { replyTo, from } = message;
  return replyTo !== null && domainOf(replyTo) === domainOf(from.address) ? replyTo : from.address;
}
