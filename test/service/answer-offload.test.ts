/**
 * The service's asynchronous use cases with an offload (the API's request workers): the answer
 * cache stays in front of the offload, concurrent equal misses share one computation, and the task
 * carries what a worker needs to rebuild the same World and request.
 */
import { describe, expect, it } from 'vitest';
import { type AnswerTask, CorridorService, encodeAnswer } from '../../src/service/service.js';
import { World } from '../../src/service/world.js';
import { loadOnce } from '../helpers/api.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const dataset = loadOnce(DEFAULT_DATA).dataset;

/** An offload that computes nothing until released, and records what it was sent. */
function heldOffload() {
  const tasks: AnswerTask[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const release: (() => void)[] = [];
  return {
    tasks,
    signals,
    releaseAll: () => {
      for (const r of release.splice(0)) r();
    },
    offload: {
      run: (task: AnswerTask, signal?: AbortSignal) =>
        new Promise<unknown>((resolve) => {
          tasks.push(task);
          signals.push(signal);
          const answer = { computedFor: task.key };
          release.push(() => resolve(task.encoded ? encodeAnswer(answer) : answer));
        }),
    },
  };
}

describe('answers computed by an offload', () => {
  it('shares one computation between concurrent equal requests and caches its answer', async () => {
    const held = heldOffload();
    const s = new CorridorService({ world: new World(dataset), today: () => '2026-12-07', offload: held.offload });
    const p = await s.preparePlan({ from: 'CNXIA', to: 'DEDUI', ready: '2026-03-02T08:00' });
    const a = s.planAsync(p);
    const b = s.planAsync(await s.preparePlan({ ready: '2026-03-02T08:00', to: 'DEDUI', from: 'CNXIA' }));
    await Promise.resolve();
    expect(held.tasks).toHaveLength(1);
    held.releaseAll();
    const [x, y] = await Promise.all([a, b]);
    expect(y).toBe(x);
    expect(await s.planAsync(p)).toBe(x);
    expect(held.tasks).toHaveLength(1);
    expect(s.computed).toBe(1);
    expect(held.tasks[0]).toMatchObject({
      kind: 'plan',
      key: p.key,
      today: '2026-12-07',
      world: { revision: 0, publications: [] },
      stored: [],
      raw: { from: 'CNXIA', to: 'DEDUI', ready: '2026-03-02T08:00' },
    });
  });

  it('sends stored scenarios with their versions, and the World revision', async () => {
    const held = heldOffload();
    const scenario = { name: 'mine', title: 'Mine', description: 'A stored scenario for the test', changes: [] };
    const s = new CorridorService({
      world: new World(dataset, 7, []),
      offload: held.offload,
      catalog: {
        find: async (name) => (name === 'mine' ? { scenario: scenario as never, version: 3 } : undefined),
        names: async () => ['mine'],
      },
    });
    const answer = s.routeAsync(await s.prepareRoute({ from: 'CNXIA', to: 'DEDUI', scenario: 'mine' }));
    await Promise.resolve();
    held.releaseAll();
    await answer;
    expect(held.tasks[0]).toMatchObject({
      kind: 'route',
      world: { revision: 7 },
      stored: [{ name: 'mine', version: 3, scenario }],
    });
  });

  it('without an offload computes in this thread, as the synchronous use case does', async () => {
    const s = new CorridorService({ world: new World(dataset), today: () => '2026-12-07' });
    const p = await s.prepareQuote({ from: 'KZAAU', to: 'AZBAK' });
    expect(JSON.stringify(await s.quoteAsync(p))).toBe(JSON.stringify(s.quote(p)));
    expect(s.computed).toBe(1);
  });

  it('encoded answers: shared by equal requests, and dropped only when every caller has gone', async () => {
    const held = heldOffload();
    const s = new CorridorService({ world: new World(dataset), today: () => '2026-12-07', offload: held.offload });
    const p = await s.preparePlan({ from: 'CNXIA', to: 'DEDUI', ready: '2026-03-02T08:00' });
    const [a, b] = [new AbortController(), new AbortController()];
    const first = s.planEncoded(p, a.signal);
    const second = s.planEncoded(p, b.signal);
    await Promise.resolve();
    expect(held.tasks).toHaveLength(1);
    expect(held.tasks[0]).toMatchObject({ kind: 'plan', encoded: true, key: p.key });
    a.abort();
    expect(held.signals[0]?.aborted).toBe(false); // the second caller still waits
    b.abort();
    expect(held.signals[0]?.aborted).toBe(true);
    // A caller after everyone left starts afresh rather than joining the abandoned computation.
    const third = s.planEncoded(p);
    await Promise.resolve();
    expect(held.tasks).toHaveLength(2);
    held.releaseAll();
    await Promise.all([first, second]);
    const answer = await third;
    expect(JSON.parse(Buffer.from(answer.json).toString())).toEqual({ computedFor: p.key });
    // A caller without a signal never leaves: the computation it shares is never aborted.
    const c = new AbortController();
    const kept = s.routeEncoded(await s.prepareRoute({ from: 'CNXIA', to: 'DEDUI' }));
    const left = s.routeEncoded(await s.prepareRoute({ from: 'CNXIA', to: 'DEDUI' }), { signal: c.signal });
    await Promise.resolve();
    c.abort();
    expect(held.signals[2]?.aborted).toBe(false);
    held.releaseAll();
    expect((await kept).json).toBe((await left).json);
    expect(s.computed).toBe(3);
  });

  it('in this thread an encoded plan is its answer’s JSON, with routings matching its references', async () => {
    const s = new CorridorService({ world: new World(dataset), today: () => '2026-12-07' });
    const p = await s.preparePlan({ from: 'CNXIA', to: 'DEDUI', ready: '2026-03-02T08:00', samples: '300' });
    const e = await s.planEncoded(p);
    const answer = s.plan(p);
    expect(Buffer.from(e.json).toString()).toBe(JSON.stringify(answer));
    expect(answer.itineraries.length).toBeGreaterThan(1);
    expect(e.routings.map((r) => r.reference)).toEqual(answer.itineraries.map((it) => it.routingReference));
    expect(new Set(e.routings.map((r) => r.reference)).size).toBe(e.routings.length);
    const q = await s.prepareQuote({ from: 'KZAAU', to: 'AZBAK' });
    const eq = await s.quoteEncoded(q);
    expect(Buffer.from(eq.json).toString()).toBe(JSON.stringify(s.quote(q)));
    expect(eq.routings).toEqual([]);
  });
});
