import { Inject } from '@nestjs/common';

/** The time the limits count by, in ms; replaced in tests to move past a window at once. */
export type LimitClock = () => number;

export const HELPER_LIMIT_CLOCK = 'HELPER_LIMIT_CLOCK';
export const InjectLimitClock = (): ParameterDecorator => Inject(HELPER_LIMIT_CLOCK);
