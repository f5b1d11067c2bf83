/** The route cache's bounds and the rate limiter's windows. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferLru } from '../../src/service/lru.js';
import { RateLimiter } from '../../src/api/rate-limit.js';

describe('BufferLru', () => {
  it('never exceeds its entry or byte bound, and keeps the most recent entry that fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 10, max: 200 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 80 })), {
          maxLength: 60,
        }),
        (maxEntries, maxBytes, ops) => {
          const lru = new BufferLru<number>(maxEntries, maxBytes);
          for (const [isSet, k, size] of ops) {
            if (isSet) {
              lru.set(k, Buffer.alloc(size, k));
              if (size <= maxBytes) expect(lru.get(k)?.length).toBe(size);
            } else lru.get(k);
            expect(lru.size).toBeLessThanOrEqual(maxEntries);
            expect(lru.totalBytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
  it('evicts the least recently used first', () => {
    const lru = new BufferLru<string>(2, 1000);
    lru.set('a', Buffer.from('a'));
    lru.set('b', Buffer.from('b'));
    lru.get('a');
    lru.set('c', Buffer.from('c'));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')?.toString()).toBe('a');
  });
});

describe('RateLimiter', () => {
  it('allows max requests per window per key, then says how long to wait, then resets', () => {
    const rl = new RateLimiter(60_000);
    const t = 1_000_000;
    expect([1, 2, 3].map((i) => rl.hit('a', 3, t + i))).toEqual([0, 0, 0]);
    expect(rl.hit('a', 3, t + 10)).toBe(60);
    expect(rl.hit('b', 3, t + 10)).toBe(0);
    expect(rl.hit('a', 3, t + 30_001)).toBe(30);
    expect(rl.hit('a', 3, t + 60_001)).toBe(0);
  });
});
