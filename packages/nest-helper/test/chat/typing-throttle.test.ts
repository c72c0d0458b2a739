import { describe, expect, it } from '@jest/globals';
import { TypingThrottle } from '../../src/chat/typing-throttle.js';

describe('TypingThrottle', () => {
  it('lets one call per key through in any 3 s, and the next one after', () => {
    let now = 10_000;
    const throttle = new TypingThrottle(3000, () => now);
    expect(throttle.accept('a')).toBe(true);
    expect(throttle.accept('a')).toBe(false);
    expect(throttle.accept('b')).toBe(true);
    now += 2999;
    expect(throttle.accept('a')).toBe(false);
    now += 1;
    expect(throttle.accept('a')).toBe(true);
    // The window starts again at the accepted call, not at the dropped ones.
    now += 2999;
    expect(throttle.accept('a')).toBe(false);
  });

  it('forgets expired keys once it holds many, and still throttles the live ones', () => {
    let now = 0;
    const throttle = new TypingThrottle(3000, () => now);
    for (let i = 0; i < 1000; i++) throttle.accept(`old-${i}`);
    now = 2000;
    expect(throttle.accept('recent')).toBe(true);
    now = 4000;
    // Sweeps the 1,000 expired keys; "recent" is 2 s old and stays throttled.
    expect(throttle.accept('new')).toBe(true);
    expect(throttle.accept('recent')).toBe(false);
    expect(throttle.accept('old-1')).toBe(true);
  });
});
