// Core's rules for the `title` and `metadata` options, a chunk of its own that loads only when a
// host passes one of them, so the launcher carries none of core's validation. See docs/widget.md#size.
export { titleRule, validateCustomerMetadata } from '@helperkit/core';
