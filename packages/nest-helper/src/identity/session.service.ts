import { HttpStatus, Injectable } from '@nestjs/common';
import {
  DEFAULT_TITLE,
  isWidgetVisible,
  validateCustomerMetadata,
  type CustomerMetadata,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { explainMalformedIdentity, verifyIdentity } from '@helperkit/core/node';
import { HelperHttpError, validationFailed } from '../errors.js';
import { definedFields } from '../validation/defined-fields.js';
import type { HostCustomer } from '../helper.options.js';
import { InjectCustomerStorage } from '../storage/storage.tokens.js';
import { clientIpKey } from '../limits/client-ip.js';
import { RateLimits } from '../limits/rate-limits.service.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { SettingsService } from '../settings/settings.service.js';
import type { CustomerRecord, CustomerStorage } from './customer.storage.js';
import { HostCustomerService } from './host-customer.service.js';
import type { WidgetSessionDto } from './session.dto.js';
import { SessionTokens, type WidgetSession } from './session-tokens.js';

const IDENTITY_MESSAGES = {
  expired: 'The identity has expired: sign it again (timestamps are valid for a limited time).',
  future: "The identity's timestamp is in the future: check the server's clock.",
  mismatch: 'The identity does not verify: the emailHash does not match the email and timestamp.',
} as const;

/** Starts widget sessions: verifies the identity, records the customer, decides visibility. */
@Injectable()
export class SessionService {
  constructor(
    @InjectCustomerStorage() private readonly storage: CustomerStorage,
    private readonly settings: SettingsService,
    private readonly tokens: SessionTokens,
    private readonly hostCustomers: HostCustomerService,
    private readonly mailboxes: HelperMailboxes,
    private readonly limits: RateLimits,
  ) {}

  async start(body: WidgetSessionDto, request: unknown): Promise<WidgetSessionResponse> {
    const { slug: mailbox, hmacSecrets } = this.mailboxes.get(body.mailbox);
    const settings = await this.settings.get(mailbox);
    const email = this.verifiedEmail(body, hmacSecrets);

    if (email === null) {
      if (body.customerMetadata !== undefined) {
        throw validationFailed(
          [
            {
              field: 'customerMetadata',
              code: 'required',
              message:
                'customerMetadata is accepted only with a verified identity (email, emailHash, timestamp).',
            },
          ],
          'customerMetadata needs a verified identity.',
        );
      }
      if (!settings.allowAnonymous) {
        throw new HelperHttpError(
          HttpStatus.FORBIDDEN,
          'anonymous_not_allowed',
          'This mailbox does not allow anonymous visitors: identify the customer first.',
        );
      }
      const previous = this.tokens.tryVerify(body.currentToken);
      const session: WidgetSession =
        previous?.kind === 'anonymous' && previous.mailbox === mailbox
          ? previous
          : await this.newAnonymous(mailbox, request);
      return this.answer(session, isWidgetVisible(settings, null), settings.title, null);
    }

    const hostCustomer = await this.trustedHostCustomer(request, email);
    const customer = await this.recordCustomer(mailbox, email, {
      // Checked and normalised (the name trimmed) by the DTO, with core's metadata rules.
      ...(body.customerMetadata ? definedFields(body.customerMetadata) : {}),
      ...hostMetadata(hostCustomer),
    });
    const showWidget = isWidgetVisible(settings, { value: customer.value ?? undefined });
    return this.answer({ kind: 'identified', mailbox, email }, showWidget, settings.title, {
      name: customer.name,
    });
  }

  /** A new anonymous visitor: only these count against the per-IP session limit. */
  private async newAnonymous(mailbox: string, request: unknown): Promise<WidgetSession> {
    await this.limits.take('sessions', clientIpKey((request as { ip?: string } | undefined)?.ip));
    return this.tokens.newAnonymous(mailbox);
  }

  /** The stored customer with this metadata, written only when something changed. */
  private async recordCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
  ): Promise<CustomerRecord> {
    const stored = await this.storage.getCustomer(mailbox, email);
    if (stored && isRecorded(stored, metadata)) return stored;
    return this.storage.upsertCustomer(mailbox, email, metadata);
  }

  /** The verified email, `null` for an anonymous visitor; throws 400 or 401 for a bad identity. */
  private verifiedEmail(body: WidgetSessionDto, secrets: readonly string[]): string | null {
    const { email, emailHash, timestamp } = body;
    if (email === undefined && emailHash === undefined && timestamp === undefined) return null;
    const result = verifyIdentity({ email, emailHash, timestamp }, secrets);
    if (result.ok) return result.email;
    if (result.reason === 'malformed') {
      throw new HelperHttpError(
        HttpStatus.BAD_REQUEST,
        'malformed',
        'The identity is malformed.',
        explainMalformedIdentity({ email, emailHash, timestamp }),
      );
    }
    throw new HelperHttpError(
      HttpStatus.UNAUTHORIZED,
      result.reason,
      IDENTITY_MESSAGES[result.reason],
    );
  }

  /** The host's own customer for this request, trusted only when it is the verified customer. */
  private async trustedHostCustomer(request: unknown, email: string): Promise<HostCustomer | null> {
    const customer = await this.hostCustomers.resolve(request);
    return customer?.email === email ? customer : null;
  }

  private answer(
    session: WidgetSession,
    showWidget: boolean,
    title: string,
    customer: { name: string | null } | null,
  ): WidgetSessionResponse {
    const { token, expiresAt } = this.tokens.issue(session);
    return {
      token,
      showWidget,
      title: title || DEFAULT_TITLE,
      customer,
      expiresAt: expiresAt.toISOString(),
    };
  }
}

/** The host's fields win over what the widget sent: the host's server is the trusted source. */
function hostMetadata(customer: HostCustomer | null): CustomerMetadata {
  if (!customer) return {};
  const result = validateCustomerMetadata({
    ...(customer.value !== undefined ? { value: customer.value } : {}),
    ...(customer.name !== undefined ? { name: customer.name } : {}),
    ...(customer.links !== undefined ? { links: customer.links } : {}),
  });
  // A host hook answering invalid metadata is a host bug; it must not break the customer's chat.
  return result.ok ? result.value : {};
}

/** Whether every given metadata field already has this value on the stored customer. */
function isRecorded(stored: CustomerRecord, metadata: CustomerMetadata): boolean {
  return (
    (metadata.name === undefined || metadata.name === stored.name) &&
    (metadata.value === undefined || metadata.value === stored.value) &&
    (metadata.links === undefined ||
      JSON.stringify(metadata.links) === JSON.stringify(stored.links))
  );
}
