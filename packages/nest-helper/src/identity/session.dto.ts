import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { metadataRules, type CustomerMetadata } from '@helperkit/core';
import { ApiOptionalField } from '../openapi/fields.js';
import { CustomerMetadataSchema } from '../openapi/schemas/widget.schema.js';
import { SatisfiesCoreRule } from '../validation/core-rule.decorator.js';
import { MAX_TOKEN_LENGTH } from './session-tokens.js';

export class CustomerMetadataDto implements CustomerMetadata {
  @SatisfiesCoreRule(metadataRules.value)
  value?: number;

  @SatisfiesCoreRule(metadataRules.name)
  name?: string;

  @SatisfiesCoreRule(metadataRules.links)
  links?: Record<string, string>;

  @SatisfiesCoreRule(metadataRules.context)
  context?: string;
}

/**
 * `POST <prefix>/widget/session`, with the Helper widget's own field names (docs/http-api.md). The identity
 * fields are checked by core's `verifyIdentity` (one implementation of that rule), so here they
 * are only given room; metadata is checked field by field with core's metadata rules.
 */
export class WidgetSessionDto {
  @ApiOptionalField({
    type: String,
    description: 'The signed identity: leave all three out for a visitor.',
  })
  @IsOptional()
  email?: unknown;

  @ApiOptionalField({ type: String })
  @IsOptional()
  emailHash?: unknown;

  @ApiOptionalField({ type: Number })
  @IsOptional()
  timestamp?: unknown;

  /** HMAC of the metadata as sent (docs/protocol.md); checked by core's `verifyMetadataHash`. */
  @ApiOptionalField({ type: String })
  @IsOptional()
  metadataHash?: unknown;

  @ApiOptionalField({ type: CustomerMetadataSchema, description: 'As signed, unchanged.' })
  @IsOptional()
  @IsObject({ message: 'customerMetadata must be an object.' })
  @ValidateNested()
  @Type(() => CustomerMetadataDto)
  customerMetadata?: CustomerMetadataDto;

  @ApiOptionalField({
    description: "A visitor's earlier token: the new session keeps the same visitor.",
  })
  @IsOptional()
  @IsString({ message: 'currentToken must be a string.' })
  @MaxLength(MAX_TOKEN_LENGTH, {
    message: `currentToken must have at most ${MAX_TOKEN_LENGTH} characters.`,
  })
  currentToken?: string;

  /** The mailbox to chat with (default `default`); an unknown one answers 404. */
  @ApiOptionalField({ description: 'The mailbox slug (default `default`).', maxLength: 64 })
  @IsOptional()
  @IsString({ message: 'mailbox must be a mailbox slug.' })
  @MaxLength(64, { message: 'mailbox must have at most 64 characters.' })
  mailbox?: string;
}
