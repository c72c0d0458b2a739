import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { FieldError, FieldRule } from '@helperkit/core';
import { validationFailed } from '../errors.js';
import { CORE_RULE_CONSTRAINT } from './core-rule.decorator.js';
import { MAX_JSON_DEPTH, isDeeperThan } from './json-depth.js';

/**
 * Nest's ValidationPipe, after a depth check: class-transformer walks a body recursively, and
 * JSON nested thousands of levels deep would overflow the stack (a 500 and a stack trace logged
 * for every such request).
 */
class HelperValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isDeeperThan(value)) {
      throw validationFailed(
        [
          {
            field: metadata.data ?? metadata.type,
            code: 'too_many',
            message: `The JSON nests deeper than ${MAX_JSON_DEPTH} levels.`,
          },
        ],
        `The request nests deeper than ${MAX_JSON_DEPTH} levels.`,
      );
    }
    return super.transform(value, metadata);
  }
}

/** Flattens class-validator's nested errors into `{ field, code, message }` with dotted paths. */
export function toFieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]): FieldError => {
      if (constraint === CORE_RULE_CONSTRAINT) {
        const { rule } = error.contexts?.[constraint] as { rule: FieldRule<unknown> };
        const check = rule(error.value);
        if (!check.ok) return { field, code: check.code, message: check.message };
      }
      if (constraint === 'whitelistValidation') {
        return { field, code: 'unknown_field', message: `${field} is not a known field.` };
      }
      return { field, code: 'wrong_type', message };
    });
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

/**
 * The module's DTO validation: unknown fields are refused (whitelist + forbidNonWhitelisted),
 * bodies become DTO instances, and every problem is reported field by field in the module's
 * error shape. Scoped to helperkit's own handlers, whatever the host's global pipes are.
 */
export const helperValidationPipe = () =>
  new HelperValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
  });
