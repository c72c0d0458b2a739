import type { ModuleRef } from '@nestjs/core';

/** What the module needs of `@nestjs/event-emitter`'s `EventEmitter2`. */
export interface EventSink {
  emit(event: string, ...values: unknown[]): boolean;
}

/**
 * The host's `EventEmitter2`, when it installed `@nestjs/event-emitter` and imported its
 * `EventEmitterModule`; else null. The package is an optional peer, so it is imported lazily: the
 * module starts without it (docs/webhooks.md, "Nest events").
 */
export async function findHostEventEmitter(moduleRef: ModuleRef): Promise<EventSink | null> {
  let emitterClass: abstract new (...args: never[]) => EventSink;
  try {
    ({ EventEmitter2: emitterClass } = await import('@nestjs/event-emitter'));
  } catch {
    return null;
  }
  try {
    return moduleRef.get(emitterClass, { strict: false });
  } catch {
    return null;
  }
}
