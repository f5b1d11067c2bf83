/** The comparison rule of a published price against a quote: what the figure includes. */
import { describe, expect, it } from 'vitest';
import { comparableUsd, priceSegmentOf } from '../../src/service/calibrate.js';

const items = [
  { event: 'origin', amountUsd: 137 },
  { amountUsd: 4231 },
  { event: 'handling', amountUsd: 90 },
  { event: 'destination', amountUsd: 258 },
];
const total = 137 + 4231 + 90 + 258;

describe('comparableUsd', () => {
  it('leaves out the charges at the two ends for port-to-port, station-to-station and crossing-only figures', () => {
    for (const inc of ['port-to-port', 'station-to-station', 'crossing-only'] as const)
      expect(comparableUsd(items, total, inc)).toBe(4231 + 90);
  });

  it('keeps the whole quote for through figures', () => {
    for (const inc of ['terminal-to-terminal', 'all-in', 'door-to-door', undefined] as const)
      expect(comparableUsd(items, total, inc)).toBe(total);
  });
});

describe('priceSegmentOf', () => {
  it('groups by mode, inclusion and direction', () => {
    expect(priceSegmentOf({ mode: 'sea', includes: 'port-to-port', direction: 'eastbound' })).toBe(
      'sea port-to-port eastbound',
    );
    expect(priceSegmentOf({ mode: 'rail' })).toBe('rail all-in any');
  });
});
