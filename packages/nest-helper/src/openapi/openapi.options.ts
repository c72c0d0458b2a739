import { HelperConfigurationError } from '../configuration-error.js';

/** `HelperModule.forRoot({ openApi })`: how the module's routes appear in the host's OpenAPI document. */
export interface HelperOpenApiOptions {
  /**
   * The name of the host's security scheme for the staff routes (settings, mailboxes, staff
   * conversations), as given to `DocumentBuilder.addBearerAuth`/`addSecurity`. Without it those
   * routes list no security requirement, since only the host knows how its admin guard checks.
   */
  staffSecurity?: string;
}

/** Validates `openApi`; throws a HelperConfigurationError. */
export function resolveOpenApiOptions(options: unknown): HelperOpenApiOptions {
  if (options === undefined) return {};
  const staffSecurity = (options as HelperOpenApiOptions | null)?.staffSecurity;
  if (
    typeof options !== 'object' ||
    options === null ||
    (staffSecurity !== undefined && (typeof staffSecurity !== 'string' || staffSecurity === ''))
  ) {
    throw new HelperConfigurationError(
      'openApi must be { staffSecurity?: string }, the name of your security scheme for staff routes.',
    );
  }
  return staffSecurity === undefined ? {} : { staffSecurity };
}
