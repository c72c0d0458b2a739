import { Transform } from 'class-transformer';
import { ValidateIf, registerDecorator, type ValidationArguments } from 'class-validator';
import { refuse, type FieldRule } from '@helperkit/core';

export const CORE_RULE_CONSTRAINT = 'coreRule';

/**
 * Validates a DTO property with a rule from `@helperkit/core`, so the HTTP layer and the browser
 * apply the very same rule, and hands the handler the rule's normalised value (trimmed, line
 * breaks unified). The rule travels in the constraint's context, which lets the error filter
 * report the rule's own code (`too_long`, `negative`, …) and message.
 *
 * An absent property is skipped (partial updates) unless `required`; `null` goes to the rule.
 */
export function SatisfiesCoreRule(
  rule: FieldRule<unknown>,
  { required = false } = {},
): PropertyDecorator {
  return (target, propertyKey) => {
    const property = String(propertyKey);
    const check: FieldRule<unknown> = required
      ? (value) =>
          value === undefined ? refuse('required', `${property} is required.`) : rule(value)
      : rule;
    if (!required) ValidateIf((_object, value) => value !== undefined)(target, propertyKey);
    Transform(({ value }) => {
      if (value === undefined) return value;
      const result = check(value);
      return result.ok ? result.value : value;
    })(target, propertyKey);
    registerDecorator({
      name: CORE_RULE_CONSTRAINT,
      target: target.constructor,
      propertyName: property,
      options: { context: { rule: check } },
      validator: {
        validate: (value: unknown) => check(value).ok,
        defaultMessage: (args?: ValidationArguments) => {
          const result = check(args?.value);
          return result.ok ? '' : result.message;
        },
      },
    });
  };
}
