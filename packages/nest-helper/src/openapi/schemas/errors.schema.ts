import type { ApiErrorBody, FieldError, FieldErrorCode } from '@helperkit/core';
import { ApiField, ApiOptionalField } from '../fields.js';

// Response schemas are classes only so that `@nestjs/swagger` can describe them; the module never
// creates them (its answers are plain objects of the core types these implement).

export class FieldErrorSchema implements FieldError {
  @ApiField({ description: 'Dotted path of the field, e.g. `links.docs`.' })
  field!: string;

  @ApiField({ type: String, description: 'Machine-readable, e.g. `too_long`.' })
  code!: FieldErrorCode;

  @ApiField({ description: 'Safe to show to the person who made the mistake.' })
  message!: string;
}

/** The one error shape of every helperkit route. */
export class ErrorBodySchema implements ApiErrorBody {
  @ApiField({ type: Number })
  statusCode!: number;

  @ApiField({ description: 'Machine-readable, e.g. `validation_failed`, `expired`.' })
  code!: string;

  @ApiField({})
  message!: string;

  @ApiOptionalField({ type: [FieldErrorSchema] })
  fields?: FieldError[];
}
