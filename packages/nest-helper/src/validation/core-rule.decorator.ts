import { ValidateIf, registerDecorator, type ValidationArguments } from 'class-validator';
import type { FieldRule } from '@helperkit/core';

export const CORE_RULE_CONSTRAINT = 'coreRule';

/**
 * Validates a DTO property with a rule from `@helperkit/core`, so the HTTP layer and the browser
 * apply the very same rule. The rule travels in the constraint's context, which lets the error
 * filter report the rule's own code (`too_long`, `negative`, …) and message. An absent property
 * is skipped (partial updates); `null` is given to the rule, which decides.
 */
export function SatisfiesCoreRule(rule: FieldRule<unknown>): PropertyDecorator {
  return (target, propertyName) => {
    ValidateIf((_object, value) => value !== undefined)(target, propertyName);
    registerDecorator({
      name: CORE_RULE_CONSTRAINT,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { context: { rule } },
      validator: {
        validate: (value: unknown) => rule(value).ok,
        defaultMessage: (args?: ValidationArguments) => {
          const check = rule(args?.value);
          return check.ok ? '' : check.message;
        },
      },
    });
  };
}
