import { accept, isPlainObject, refuse, type FieldRule, type Validation } from './errors.js';
import {
  multilineTextRule,
  nonNegativeNumberRule,
  textRule,
  urlRule,
  validateFields,
  type RuleSet,
} from './rules.js';
import { characterCount, hasControlCharacters } from './text.js';

/** What the host knows of a customer, shown to support staff beside the conversation. */
export interface CustomerMetadata {
  /** Revenue value of the customer, in the unit of the mailbox's `minValue`. */
  value?: number;
  name?: string;
  /** Named links for staff, e.g. `{ "Admin": "https://admin.example.com/users/42" }`. */
  links?: Record<string, string>;
  /**
   * Free text for staff, e.g. "Pro plan since 2023; last order #1234 is late". Up to 2,000
   * characters; line breaks and tabs kept; an empty string clears what was stored.
   */
  context?: string;
}

export const MAX_LINKS = 20;
export const LINK_KEY_MAX_LENGTH = 64;
export const NAME_MAX_LENGTH = 255;
export const CONTEXT_MAX_LENGTH = 2000;

const linkUrlRule = urlRule('link', { httpsOnly: false });

const linksRule: FieldRule<Record<string, string>> = (value) => {
  if (!isPlainObject(value)) {
    return refuse('wrong_type', 'links must be an object of names to URLs.');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_LINKS) {
    return refuse('too_many', `links must have at most ${MAX_LINKS} entries.`);
  }
  const links: Record<string, string> = {};
  for (const [key, url] of entries) {
    const keyLength = characterCount(key);
    if (keyLength < 1 || keyLength > LINK_KEY_MAX_LENGTH || hasControlCharacters(key)) {
      return refuse(
        keyLength < 1
          ? 'too_short'
          : keyLength > LINK_KEY_MAX_LENGTH
            ? 'too_long'
            : 'control_characters',
        `Each link name must have 1 to ${LINK_KEY_MAX_LENGTH} characters and no control characters.`,
      );
    }
    const check = linkUrlRule(url);
    if (!check.ok) {
      return refuse(check.code, `links.${key} must be an absolute http: or https: URL.`);
    }
    links[key] = check.value;
  }
  return accept(links);
};

/** One rule per metadata field: the single source that DTOs and the widget delegate to. */
export const metadataRules: RuleSet<CustomerMetadata> = {
  value: nonNegativeNumberRule('value'),
  name: textRule('name', { min: 1, max: NAME_MAX_LENGTH }),
  links: linksRule,
  context: multilineTextRule('context', { allowEmpty: true, max: CONTEXT_MAX_LENGTH }),
};

/**
 * Validates customer metadata field by field: unknown fields are refused, `name` and `context` are
 * trimmed, and every problem is reported at once.
 */
export function validateCustomerMetadata(input: unknown): Validation<CustomerMetadata> {
  return validateFields(input, metadataRules, 'customer metadata');
}
