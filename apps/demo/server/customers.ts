import type { IncomingMessage } from 'node:http';
import type { HostCustomer } from '@helperkit/nest';

/** The demo's login cookie: its value is the logged-in customer's email; none is anonymous. */
export const LOGIN_COOKIE = 'demo_user';

/** The mailbox's own address: inbound test emails go to it, auto-replies come from it. */
export const SUPPORT_ADDRESS = 'support@demo.localhost';
/** The sales mailbox's own address: mail to it lands in that mailbox. */
export const SALES_ADDRESS = 'sales@demo.localhost';

export interface DemoCustomer extends HostCustomer {
  name: string;
  value: number;
}

/**
 * The host application's customers, as its own database would know them. Their revenue values
 * straddle any threshold worth trying, so revenue-based visibility shows for some and not others.
 */
export const DEMO_CUSTOMERS: readonly DemoCustomer[] = Object.freeze(
  [
    { slug: 'ann', name: 'Ann Lee', value: 50 },
    { slug: 'bob', name: 'Bob Stone', value: 500 },
    { slug: 'carol', name: 'Carol Diaz', value: 5000 },
  ].map(({ slug, name, value }) => ({
    email: `${slug}@demo.localhost`,
    name,
    value,
    links: {
      'CRM profile': `https://crm.example.com/customers/${slug}`,
      Orders: `https://shop.example.com/admin/orders?customer=${slug}`,
    },
  })),
);

export function findCustomer(email: string | null | undefined): DemoCustomer | null {
  if (email === null || email === undefined) return null;
  return DEMO_CUSTOMERS.find((customer) => customer.email === email.toLowerCase()) ?? null;
}

/** A cookie's value from a request's `Cookie` header. */
export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const pair of request.headers.cookie?.split(';') ?? []) {
    const [key, ...value] = pair.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * helperkit's `resolveCustomer` hook: who is logged in, from the demo's login cookie. A real host
 * reads its own session here; the value, name and links it answers are trusted by helperkit.
 */
export const resolveDemoCustomer = (request: IncomingMessage): DemoCustomer | null =>
  findCustomer(cookieValue(request, LOGIN_COOKIE));
