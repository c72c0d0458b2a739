// The visitor's session, from the panel's chunk: who the visitor is (the identity option or
// function, or the host's signing middleware), the session request, the anonymous token kept
// across reloads. The launcher's `identify()` and `reset()` wait for it. See docs/widget.md#size.
import type { CustomerMetadata } from '@helperkit/core';
import type * as Checks from './checks.js';
import {
  anonymousTokenStorage,
  createClient,
  reasonOf,
  type Outcome,
  type SessionRequest,
  type Transport,
} from './client.js';
import { DEFAULT_MAILBOX } from './options.js';
import type { StoreInternals } from './state.js';
import type { HelperIdentity, IdentitySource } from './types.js';

/**
 * An option checked with core's rules, in the checks' chunk: its normalised value, or `undefined`
 * and a report.
 */
export async function checkOption<T>(
  report: StoreInternals['report'],
  kind: 'title' | 'metadata',
  check: (checks: typeof Checks) => Checks.Checked<T>,
): Promise<T | undefined> {
  try {
    const result = check(await import('./checks.js'));
    if (result.ok) return result.value;
    report(result.error);
  } catch (cause) {
    report({
      kind,
      code: 'checks_unavailable',
      message:
        process.env.NODE_ENV !== 'production'
          ? `The option checks could not load (${reasonOf(cause)}); the ${kind} option is left out.`
          : 'checks_unavailable',
    });
  }
  return undefined;
}

export interface SessionControl {
  /** Starts or refreshes the session; a newer call makes an older one's answer irrelevant. */
  connect(): Promise<void>;
  /** A new visitor: nothing of the previous session may show while the new one starts. */
  switchVisitor(identity: IdentitySource, metadata?: CustomerMetadata): Promise<void>;
  /** The current session request's signal: aborted when the visitor changes. */
  signal(): AbortSignal;
  /** Answers from requests in flight are ignored from now on. */
  dispose(): void;
}

/** `afterConnect` is told after each session request whether it succeeded. */
export function createSession(
  internals: StoreInternals,
  transport: Transport,
  afterConnect: (ok: boolean) => void,
): SessionControl {
  const { options, checked, session, status, events, report, clearError } = internals;
  const client = createClient(transport);
  // An `identify()` or `reset()` made before this chunk came replaces the options' visitor.
  const { visitor } = internals;
  // `undefined` means the default: ask the host's signing middleware.
  let identitySource: IdentitySource | undefined = visitor ? visitor.identity : options.identity;
  let metadataInput = visitor ? visitor.metadata : options.metadata;
  /** Checked when it first goes out, with an identity: anonymous visitors never send it. */
  let metadata: Promise<CustomerMetadata | undefined> | undefined;
  let anonymousToken = visitor ? undefined : anonymousTokenStorage.load();
  if (visitor) anonymousTokenStorage.clear();
  let generation = 0;
  let controller = new AbortController();

  async function resolveIdentity(signal: AbortSignal): Promise<HelperIdentity | null> {
    const source = identitySource;
    if (source === null || (source !== undefined && typeof source !== 'function')) return source;
    let outcome: Outcome<HelperIdentity | null | undefined>;
    try {
      outcome =
        source === undefined
          ? await client.fetchIdentity(signal)
          : { ok: true, value: await source() };
    } catch (cause) {
      outcome = { ok: false, failure: { code: 'identity_failed', message: reasonOf(cause) } };
    }
    if (outcome.ok) {
      clearError('identity');
      return outcome.value ?? null; // a JavaScript function may answer undefined for nobody
    }
    // The visitor can still chat anonymously; the host learns why through `error`.
    if (!signal.aborted) report({ kind: 'identity', ...outcome.failure });
    return null;
  }

  async function sessionRequest(identity: HelperIdentity | null): Promise<SessionRequest> {
    // The default mailbox is the server's default too: an older server, which knows no
    // `mailbox` field, keeps working with single-mailbox apps.
    const mailbox = checked.mailbox === DEFAULT_MAILBOX ? {} : { mailbox: checked.mailbox };
    if (identity === null) {
      return anonymousToken === undefined ? mailbox : { ...mailbox, currentToken: anonymousToken };
    }
    const { email, emailHash, timestamp, metadata: signed, metadataHash } = identity;
    const person = { ...mailbox, email, emailHash, timestamp };
    // Metadata the server signed along with the identity goes exactly as signed; otherwise the
    // checked `metadata` option. Metadata is accepted only with a verified identity.
    if (signed !== undefined && typeof metadataHash === 'string') {
      return { ...person, customerMetadata: signed, metadataHash };
    }
    if (!metadata) {
      clearError('metadata');
      const input = metadataInput;
      metadata = input && checkOption(report, 'metadata', (checks) => checks.checkMetadata(input));
    }
    const customerMetadata = await metadata;
    return customerMetadata === undefined ? person : { ...person, customerMetadata };
  }

  function forgetAnonymousToken() {
    anonymousToken = undefined;
    anonymousTokenStorage.clear();
  }

  async function connect(): Promise<void> {
    const run = ++generation;
    controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    if (session.value === null) status.value = 'loading';

    const identity = await resolveIdentity(signal);
    if (run !== generation) return;
    // An identified visitor's conversations are theirs; the anonymous token must not outlive them.
    if (identity !== null) forgetAnonymousToken();
    const body = await sessionRequest(identity);
    if (run !== generation) return;
    const outcome = await client.startSession(body, signal);
    if (run !== generation) return;

    if (outcome.ok) {
      const answer = outcome.value;
      const newVisitor = session.value === null;
      session.value = answer;
      status.value = 'ready';
      clearError('session');
      if (identity === null) anonymousTokenStorage.save((anonymousToken = answer.token));
      if (newVisitor) events.emit('ready', {});
    } else {
      report({ kind: 'session', ...outcome.failure });
      // A refresh that fails leaves the current token usable until it expires.
      if (session.value === null) status.value = 'error';
    }
    afterConnect(outcome.ok);
  }

  return {
    connect,
    async switchVisitor(identity, input) {
      identitySource = identity;
      // Each identity brings its own metadata, so one customer's never goes out with another's.
      metadataInput = input;
      metadata = undefined;
      session.value = null;
      forgetAnonymousToken();
      await connect();
    },
    signal: () => controller.signal,
    dispose() {
      generation++;
      controller.abort();
    },
  };
}
