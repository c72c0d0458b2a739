import type { FieldError } from './errors.js';
import type { CustomerMetadata } from './metadata.js';

/** The JSON body of every helperkit error response (SPEC 10). */
export interface ApiErrorBody {
  statusCode: number;
  /** Stable machine-readable code, e.g. `validation_failed`, `expired`. */
  code: string;
  message: string;
  fields?: FieldError[];
}

/** `POST <prefix>/widget/session`: the Helper widget's own field names (SPEC 8). */
export interface WidgetSessionRequest {
  email?: string;
  emailHash?: string;
  timestamp?: number;
  customerMetadata?: CustomerMetadata;
  /** The previous session token, which keeps an anonymous visitor's conversations. */
  currentToken?: string;
}

export interface WidgetSessionResponse {
  token: string;
  showWidget: boolean;
  title: string;
  customer: { name: string | null } | null;
  /** ISO 8601 time at which `token` stops being accepted. */
  expiresAt: string;
}
