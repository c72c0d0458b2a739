/** The customer's widget session token (`Authorization: Bearer`, from `POST /widget/session`). */
export const HELPER_SESSION_SECURITY = 'helperSession';
/** The email module's `inboundSecret` as a bearer token (raw `message/rfc822` deliveries). */
export const HELPER_INBOUND_BEARER_SECURITY = 'helperInboundBearer';
/** The email module's `inboundSecret` as the Basic auth password of a provider's webhook URL. */
export const HELPER_INBOUND_BASIC_SECURITY = 'helperInboundBasic';

/** An OpenAPI security scheme object, as `DocumentBuilder.addSecurity` takes it. */
export interface HelperSecurityScheme {
  type: 'http';
  scheme: 'bearer' | 'basic';
  description: string;
}

/** The security schemes the module's routes name, by name. */
export const HELPER_SECURITY_SCHEMES: Readonly<Record<string, HelperSecurityScheme>> = {
  [HELPER_SESSION_SECURITY]: {
    type: 'http',
    scheme: 'bearer',
    description: 'The widget session token answered by POST /widget/session.',
  },
  [HELPER_INBOUND_BEARER_SECURITY]: {
    type: 'http',
    scheme: 'bearer',
    description: "The email module's inboundSecret.",
  },
  [HELPER_INBOUND_BASIC_SECURITY]: {
    type: 'http',
    scheme: 'basic',
    description: "Any user name; the email module's inboundSecret as the password.",
  },
};

/**
 * Adds helperkit's security schemes to the host's `DocumentBuilder` (any builder with
 * `addSecurity`), so the document defines every scheme its routes name (docs/openapi.md).
 */
export function addHelperSecurity<
  TBuilder extends { addSecurity(name: string, scheme: never): unknown },
>(builder: TBuilder): TBuilder {
  for (const [name, scheme] of Object.entries(HELPER_SECURITY_SCHEMES)) {
    builder.addSecurity(name, scheme as never);
  }
  return builder;
}
