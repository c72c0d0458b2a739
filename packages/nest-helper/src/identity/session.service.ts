import { HttpStatus, Injectable } from '@nestjs/common';
import {
  DEFAULT_TITLE,
  isWidgetVisible,
  validateCustomerMetadata,
  type CustomerMetadata,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { explainMalformedIdentity, verifyIdentity, verifyMetadataHash } from '@helperkit/core/node';
import { HelperHttpError, validationFailed } from '../errors.js';
import { definedFields } from '../validation/defined-fields.js';
import type { HostCustomer, ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { InjectCustomerStorage } from '../storage/storage.tokens.js';
import { clientIpKey } from '../limits/client-ip.js';
import { RateLimits } from '../limits/rate-limits.service.js';
import { nativeRequest } from '../http/native-request.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { HelperObserver, identityChecked } from '../observability/helper-observer.js';
import { SettingsService } from '../settings/settings.service.js';
import type { CustomerRecord, CustomerStorage, MetadataSource } from './customer.storage.js';
import { HostCustomerService, hostCustomerMetadata } from './host-customer.service.js';
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
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    private readonly limits: RateLimits,
    private readonly observer: HelperObserver,
  ) {}

  async start(body: WidgetSessionDto, request: unknown): Promise<WidgetSessionResponse> {
    const { slug: mailbox, hmacSecrets } = this.mailboxes.get(body.mailbox);
    const settings = await this.settings.get(mailbox);
    const identity = this.verifiedIdentity(body, hmacSecrets, mailbox);

    if (identity === null) {
      if (body.customerMetadata !== undefined || body.metadataHash !== undefined) {
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
      if (!settings.allowAnonymous) throw anonymousNotAllowed();
      const previous = this.tokens.tryVerify(body.currentToken);
      const session: WidgetSession =
        previous?.kind === 'anonymous' && previous.mailbox === mailbox
          ? previous
          : await this.newAnonymous(mailbox, request);
      return this.answer(session, isWidgetVisible(settings, null), settings.title, null);
    }

    const { email } = identity;
    const hostCustomer = await this.trustedHostCustomer(request, email);
    const sent = this.sentMetadata(body, rawCustomerMetadata(request), identity, hmacSecrets);
    const host = hostMetadata(hostCustomer);
    const customer = await this.recordCustomer(
      mailbox,
      email,
      // The host's fields win over what the widget sent: the host's server is the trusted source.
      { ...sent?.metadata, ...host },
      hostCustomer ? 'host' : sent?.source,
    );
    const trusted = customer.source !== 'client' || this.options.clientMetadata === 'accept';
    const showWidget = isWidgetVisible(settings, {
      value: trusted ? (customer.value ?? undefined) : undefined,
    });
    return this.answer({ kind: 'identified', mailbox, email }, showWidget, settings.title, {
      name: customer.name,
    });
  }

  /**
   * The metadata the widget sent, and how far to trust it: signed by the host (its hash verifies
   * over the metadata exactly as sent, before the DTO trimmed it), or unsigned, which only a host
   * that accepts client metadata takes (docs/security-model.md, "Customer metadata").
   */
  private sentMetadata(
    body: WidgetSessionDto,
    raw: unknown,
    identity: { email: string; secretIndex: number },
    secrets: readonly string[],
  ): { metadata: CustomerMetadata; source: MetadataSource } | null {
    if (body.metadataHash !== undefined) {
      const check = verifyMetadataHash(
        {
          email: body.email,
          timestamp: body.timestamp,
          metadata: raw,
          metadataHash: body.metadataHash,
        },
        secrets,
        { secretIndex: identity.secretIndex },
      );
      if (!check.ok) {
        throw check.reason === 'mismatch'
          ? new HelperHttpError(
              HttpStatus.UNAUTHORIZED,
              'metadata_mismatch',
              'The metadataHash does not match the customerMetadata as sent: sign the metadata ' +
                'together with the identity, on your server.',
            )
          : validationFailed(
              [
                {
                  field: 'metadataHash',
                  code: 'wrong_type',
                  message:
                    'metadataHash must be 64 lowercase hex characters over the metadata sent.',
                },
              ],
              'The metadata signature is malformed.',
            );
      }
      return { metadata: definedFields(body.customerMetadata ?? {}), source: 'signed' };
    }
    if (body.customerMetadata === undefined) return null;
    if (this.options.clientMetadata === 'reject') {
      throw new HelperHttpError(
        HttpStatus.BAD_REQUEST,
        'unsigned_metadata',
        'customerMetadata must be signed: on your server, call signIdentity({ email, metadata }, ' +
          'secret) from @helperkit/core/node and pass its metadataHash with the metadata ' +
          '(or set the clientMetadata option to "accept" to trust the browser).',
      );
    }
    // Checked and normalised (the name trimmed) by the DTO, with core's metadata rules.
    return { metadata: definedFields(body.customerMetadata), source: 'client' };
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
    source: MetadataSource | undefined,
  ): Promise<CustomerRecord> {
    const stored = await this.storage.getCustomer(mailbox, email);
    if (
      stored &&
      isRecorded(stored, metadata) &&
      (source === undefined || source === stored.source)
    ) {
      return stored;
    }
    return this.storage.upsertCustomer(mailbox, email, metadata, source);
  }

  /** The verified identity, `null` for an anonymous visitor; throws 400 or 401 for a bad one. */
  private verifiedIdentity(
    body: WidgetSessionDto,
    secrets: readonly string[],
    mailbox: string,
  ): { email: string; secretIndex: number } | null {
    const { email, emailHash, timestamp } = body;
    if (email === undefined && emailHash === undefined && timestamp === undefined) return null;
    const result = verifyIdentity({ email, emailHash, timestamp }, secrets);
    this.observer.report(identityChecked(mailbox, result));
    if (result.ok) return { email: result.email, secretIndex: result.secretIndex };
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
    // Node's request, as the signing middleware hands it to resolveCustomer on either platform.
    const customer = await this.hostCustomers.resolve(nativeRequest(request as object));
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
  const result = validateCustomerMetadata(hostCustomerMetadata(customer));
  // A host hook answering invalid metadata is a host bug; it must not break the customer's chat.
  return result.ok ? result.value : {};
}

/** Whether every given metadata field already has this value on the stored customer. */
function isRecorded(stored: CustomerRecord, metadata: CustomerMetadata): boolean {
  return (
    (metadata.name === undefined || metadata.name === stored.name) &&
    (metadata.value === undefined || metadata.value === stored.value) &&
    (metadata.context === undefined || metadata.context === stored.context) &&
    (metadata.links === undefined ||
      JSON.stringify(metadata.links) === JSON.stringify(stored.links))
  );
}

/** The metadata as the request carried it, before the DTO normalised it: what was signed. */
const rawCustomerMetadata = (request: unknown): unknown =>
  (request as { body?: { customerMetadata?: unknown } } | null)?.body?.customerMetadata;

export const anonymousNotAllowed = () =>
  new HelperHttpError(
    HttpStatus.FORBIDDEN,
    'anonymous_not_allowed',
    'This mailbox does not allow anonymous visitors: identify the customer first.',
  );
