/**
 * Quotes (and routes and plans) are cached in the service by the request's canonical key (issue
 * #14: "quotes are never cached"): a repeated query is not computed again; another World, another
 * date or another option is.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../src/service/world.js';
import { CorridorService } from '../../src/service/service.js';
import { loadOnce } from '../helpers/api.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const dataset = loadOnce(DEFAULT_DATA).dataset;
const service = (today = '2026-12-07', answerCacheEntries?: number) =>
  new CorridorService({
    world: new World(dataset),
    today: () => today,
    ...(answerCacheEntries !== undefined ? { answerCacheEntries } : {}),
  });

describe('the service answer cache', () => {
  it('answers a repeated quote from the cache, in whatever order its options come', async () => {
    const s = service();
    const a = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', containers: '2x40' }));
    expect(s.computed).toBe(1);
    // The same options in another order are the same request key.
    const b = s.quote(await s.prepareQuote({ containers: '2x40', to: 'DEDUI', from: 'CNXIA' }));
    expect(b).toBe(a);
    expect(s.computed).toBe(1);
    // A different option is another answer.
    const one = s.quote(await s.prepareQuote({ from: 'CNXIA', to: 'DEDUI', containers: '2x40', option: '1' }));
    expect(one.options.map((o) => o.option)).toEqual([1]);
    expect(s.computed).toBe(2);
  });

  it('keys on the World and on today: a new World or date computes again', async () => {
    const s = service();
    const q = { from: 'KZAAU', to: 'AZBAK' };
    const first = s.quote(await s.prepareQuote(q));
    s.install(new World(dataset, 1, []));
    const again = s.quote(await s.prepareQuote(q));
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    expect(s.computed).toBe(2);
    const later = service('2027-06-01');
    later.quote(await later.prepareQuote(q));
    expect(later.computed).toBe(1);
  });

  it('caches plans and routes the same way, and can be turned off', async () => {
    const s = service();
    const plan = { from: 'KZAAU', to: 'AZBAK', ready: '2026-12-08T08:00' };
    expect(s.plan(await s.preparePlan(plan))).toBe(s.plan(await s.preparePlan(plan)));
    expect(s.route(await s.prepareRoute({ from: 'KZAAU', to: 'AZBAK' }))).toBe(
      s.route(await s.prepareRoute({ from: 'KZAAU', to: 'AZBAK' })),
    );
    expect(s.computed).toBe(2);
    const off = service('2026-12-07', 0);
    off.quote(await off.prepareQuote({ from: 'KZAAU', to: 'AZBAK' }));
    off.quote(await off.prepareQuote({ from: 'KZAAU', to: 'AZBAK' }));
    expect(off.computed).toBe(2);
  });
});
