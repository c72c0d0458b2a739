import { Counter, Gauge, type Registry } from 'prom-client';
import type { HelperObservation } from '../observability/helper-observer.js';
import type { HelperOutboxBacklog } from '../observability/outbox-backlog.js';

/** The names of helperkit's metrics (docs/operations.md, "Metrics"). */
export const HELPER_METRIC_NAMES = {
  identityVerifications: 'helper_identity_verifications_total',
  identityLastVerified: 'helper_identity_last_verified_seconds',
  emailInbound: 'helper_email_inbound_total',
  sseConnections: 'helper_sse_connections',
  outboxPending: 'helper_outbox_pending',
} as const;

/**
 * Registers helperkit's metrics on `registry`; answers the function that counts an observation.
 * The outbox gauge is read from the database when the registry is scraped.
 */
export function registerHelperMetrics(
  registry: Registry,
  backlog: HelperOutboxBacklog,
): (observation: HelperObservation) => void {
  const registers = [registry];
  const verifications = new Counter({
    name: HELPER_METRIC_NAMES.identityVerifications,
    help: 'Identity checks by mailbox, result and the index of the secret that matched ("none" when none did).',
    labelNames: ['mailbox', 'result', 'secret_index'] as const,
    registers,
  });
  const lastVerified = new Gauge({
    name: HELPER_METRIC_NAMES.identityLastVerified,
    help: 'Unix time (seconds) of the last identity verified with each secret index, since this process started.',
    labelNames: ['mailbox', 'secret_index'] as const,
    registers,
  });
  const inbound = new Counter({
    name: HELPER_METRIC_NAMES.emailInbound,
    help: 'Inbound emails stored, by mailbox and outcome (sent, queued, duplicate or the skip reason).',
    labelNames: ['mailbox', 'outcome'] as const,
    registers,
  });
  const streams = new Gauge({
    name: HELPER_METRIC_NAMES.sseConnections,
    help: 'Open live-update (server-sent events) connections on this instance.',
    registers,
  });
  new Gauge({
    name: HELPER_METRIC_NAMES.outboxPending,
    help: 'Outbox entries waiting to be sent (all instances: read from the database).',
    registers,
    async collect() {
      this.set((await backlog.read()).pending);
    },
  });

  return (observation) => {
    switch (observation.type) {
      case 'identity-checked': {
        const { mailbox, result, secretIndex } = observation;
        const index = secretIndex === null ? 'none' : String(secretIndex);
        verifications.inc({ mailbox, result, secret_index: index });
        if (secretIndex !== null) {
          lastVerified.set({ mailbox, secret_index: index }, Date.now() / 1000);
        }
        return;
      }
      case 'email-received':
        inbound.inc({ mailbox: observation.mailbox, outcome: observation.outcome });
        return;
      case 'stream-opened':
        streams.inc();
        return;
      case 'stream-closed':
        streams.dec();
    }
  };
}
