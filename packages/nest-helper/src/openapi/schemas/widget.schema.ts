import {
  DISPLAY_MODES,
  type CustomerMetadata,
  type DisplayMode,
  type WidgetSessionResponse,
  type WidgetSettings,
} from '@helperkit/core';
import type { SignedIdentity } from '@helperkit/core/node';
import { ApiField, ApiOptionalField } from '../fields.js';

export class CustomerMetadataSchema implements CustomerMetadata {
  @ApiOptionalField({
    type: Number,
    description: "Revenue value, in the unit of the mailbox's minValue.",
  })
  value?: number;

  @ApiOptionalField({})
  name?: string;

  @ApiOptionalField({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Named links for staff.',
  })
  links?: Record<string, string>;

  @ApiOptionalField({ description: 'Free text for staff; an empty string clears it.' })
  context?: string;
}

/** `GET /widget/identity`: the logged-in customer's identity, signed by the server. */
export class SignedIdentitySchema implements SignedIdentity {
  @ApiField({})
  email!: string;

  @ApiField({ type: Number, description: 'Milliseconds since the Unix epoch at signing time.' })
  timestamp!: number;

  @ApiField({ description: 'Lowercase hex HMAC-SHA256 of `${email}:${timestamp}`.' })
  emailHash!: string;

  @ApiOptionalField({ type: CustomerMetadataSchema, description: 'Send it back unchanged.' })
  metadata?: CustomerMetadata;

  @ApiOptionalField({ description: 'HMAC of the metadata as signed.' })
  metadataHash?: string;
}

class SessionCustomerSchema {
  @ApiField({ type: String, nullable: true })
  name!: string | null;
}

export class WidgetSessionSchema implements WidgetSessionResponse {
  @ApiField({ description: 'The bearer token for the chat routes.' })
  token!: string;

  @ApiField({ type: Boolean, description: 'Whether this customer sees the chat icon.' })
  showWidget!: boolean;

  @ApiField({})
  title!: string;

  @ApiField({ type: SessionCustomerSchema, nullable: true, description: 'null for a visitor.' })
  customer!: { name: string | null } | null;

  @ApiField({
    type: String,
    format: 'date-time',
    description: 'When `token` stops being accepted.',
  })
  expiresAt!: string;
}

export class WidgetSettingsSchema implements WidgetSettings {
  @ApiField({ enum: [...DISPLAY_MODES] })
  displayMode!: DisplayMode;

  @ApiField({ type: Number })
  minValue!: number;

  @ApiField({})
  title!: string;

  @ApiField({ type: Boolean })
  autoRespondEmailToChat!: boolean;

  @ApiField({ type: String, nullable: true, description: 'The page the email-to-chat link opens.' })
  widgetHost!: string | null;

  @ApiField({ type: Boolean })
  allowAnonymous!: boolean;
}
