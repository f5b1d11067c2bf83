/**
 * The shared conformance suite every Pareto engine passes, plus fast-check properties comparing
 * the label-setting engine with the brute-force oracle on random small networks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Link, Location, Mode, Transfer } from '../../src/model/types.js';
import { compileNetwork, ARC_LINK, type CompiledNetwork } from '../../src/network/compile.js';
import { bannedArcs } from '../../src/routing/constraints.js';
import {
  ENGINES,
  bruteForceEngine,
  dominates,
  labelSettingEngine,
  type ParetoEngine,
} from '../../src/routing/engine.js';
import { BASE_CRITERIA, dominatesOn, type Criterion, type ParetoPath } from '../../src/routing/pareto.js';
import { dataset, link, loc, transfer } from '../helpers/builders.js';

const vectors = (ps: ParetoPath[], criteria: readonly Criterion[] = BASE_CRITERIA) =>
  ps.map((p) => criteria.map((c) => Math.round(p[c] * 1e6) / 1e6).join('|')).sort();

function run(engine: ParetoEngine, net: CompiledNetwork, from: string, to: string, avoid: string[] = []) {
  return engine.search({
    net,
    origin: net.locationIndex.get(from)!,
    destination: net.locationIndex.get(to)!,
    banned: bannedArcs(net, { avoidCountries: avoid }),
  });
}

for (const engine of ENGINES) {
  describe(`engine conformance: ${engine.name}`, () => {
    const ds = dataset(
      [loc('CNXIA'), loc('KZDOS'), loc('RUMOW'), loc('AZALA'), loc('DEDUI')],
      [
        link('CNXIA', 'KZDOS', 'rail', { h: 50, usdPerTeu: 300, gauge: 1435 }),
        link('KZDOS', 'RUMOW', 'rail', { h: 100, usdPerTeu: 900, gauge: 1520 }),
        link('RUMOW', 'DEDUI', 'rail', { h: 60, usdPerTeu: 900, gauge: 1520 }),
        link('KZDOS', 'AZALA', 'rail', { h: 150, usdPerTeu: 600, gauge: 1520 }),
        link('AZALA', 'DEDUI', 'sea', { h: 300, usdPerTeu: 400 }),
        link('CNXIA', 'DEDUI', 'sea', { h: 700, usdPerTeu: 500, km: 20000 }),
      ],
      [
        transfer('KZDOS', 'gauge-change', 10, 50),
        transfer('AZALA', 'handling', 20, 40),
        transfer('CNXIA', 'handling', 5, 10),
      ],
    );
    const net = compileNetwork(ds);
    it('returns the three-way trade-off', () => {
      expect(vectors(run(engine, net, 'CNXIA', 'DEDUI'))).toHaveLength(3);
    });
    it('keeps only the direct sea path when KZ is avoided', () => {
      const ps = run(engine, net, 'CNXIA', 'DEDUI', ['KZ']);
      expect(ps.map((p) => p.durationH)).toEqual([700]);
    });
    it('returns nothing when every path is banned', () => {
      expect(run(engine, net, 'CNXIA', 'DEDUI', ['DE'])).toEqual([]);
    });
    it('uses a gauge change only where the data has one', () => {
      for (const p of run(engine, net, 'CNXIA', 'RUMOW')) expect(p.durationH).toBe(50 + 10 + 100);
    });
    it('returns mutually non-dominated paths', () => {
      const ps = run(engine, net, 'CNXIA', 'DEDUI');
      for (const a of ps) for (const b of ps) expect(dominates(a, b)).toBe(false);
    });
  });
}

// --- random networks
const COUNTRIES = ['KZ', 'AZ', 'GE', 'RU', 'TR'];
const MODES: Mode[] = ['rail', 'rail', 'road', 'sea', 'ferry'];

const arbNetwork = fc
  .record({
    n: fc.integer({ min: 3, max: 6 }),
    countryOf: fc.array(fc.integer({ min: 0, max: COUNTRIES.length - 1 }), { minLength: 6, maxLength: 6 }),
    links: fc.array(
      fc.record({
        a: fc.nat(5),
        b: fc.nat(5),
        mode: fc.integer({ min: 0, max: MODES.length - 1 }),
        gauge: fc.constantFrom(1435 as const, 1520 as const),
        h: fc.integer({ min: 1, max: 50 }),
        usd: fc.integer({ min: 0, max: 50 }),
        km: fc.integer({ min: 1, max: 50 }),
        oneWay: fc.boolean(),
      }),
      { minLength: 4, maxLength: 12 },
    ),
    transfers: fc.array(
      fc.record({
        at: fc.nat(5),
        kind: fc.constantFrom('handling' as const, 'gauge-change' as const, 'border' as const),
        h: fc.integer({ min: 0, max: 9 }),
        usd: fc.integer({ min: 0, max: 9 }),
      }),
      { maxLength: 6 },
    ),
  })
  .map(({ n, countryOf, links, transfers }) => {
    const ids = Array.from({ length: n }, (_, i) => `${COUNTRIES[countryOf[i]!]}N0${i}`);
    const locations: Location[] = ids.map((id) => loc(id));
    const ls: Link[] = links
      .filter((l) => l.a % n !== l.b % n)
      .map((l, i) => {
        const from = ids[l.a % n]!;
        const to = ids[l.b % n]!;
        return link(from, to, MODES[l.mode]!, {
          id: `l${i}`,
          h: l.h,
          usdPerTeu: l.usd,
          km: l.km,
          gauge: l.gauge,
          oneWay: l.oneWay,
        });
      });
    const seen = new Set<string>();
    const ts: Transfer[] = transfers
      .map((t) => ({ ...t, loc: ids[t.at % n]! }))
      .filter((t) => !seen.has(`${t.loc}/${t.kind}`) && seen.add(`${t.loc}/${t.kind}`))
      .map((t) => transfer(t.loc, t.kind, t.h, t.usd));
    return { ids, ds: dataset(locations, ls, ts) };
  });

const arbOptions = fc.record({
  criteria: fc.constantFrom<Criterion[]>(
    [...BASE_CRITERIA],
    [...BASE_CRITERIA, 'transshipments', 'borderCrossings'],
    ['costUsd', 'durationH'],
  ),
  maxTransshipments: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
  mustUse: fc.option(fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), { nil: undefined }),
  prune: fc.option(
    fc.record({ durationH: fc.integer({ min: 1, max: 120 }), costUsd: fc.integer({ min: 1, max: 150 }) }),
    { nil: undefined },
  ),
});

describe('label-setting vs brute-force oracle (fast-check)', () => {
  it('agree with extra criteria, a transshipment bound and must-use links', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(arbNetwork, arbOptions, fc.nat(10), fc.nat(10), ({ ids, ds }, o, oi, di) => {
        const from = ids[oi % ids.length]!;
        const to = ids[di % ids.length]!;
        fc.pre(from !== to);
        const net = compileNetwork(ds);
        const input = {
          net,
          origin: net.locationIndex.get(from)!,
          destination: net.locationIndex.get(to)!,
          banned: bannedArcs(net, {}),
          criteria: o.criteria,
          ...(o.maxTransshipments !== undefined ? { maxTransshipments: o.maxTransshipments } : {}),
          ...(o.prune ? { pruneAbove: o.prune } : {}),
          ...(o.mustUse ? { mustUseLink: Uint8Array.from(net.links.map((_, i) => (o.mustUse![i % 12] ? 1 : 0))) } : {}),
        };
        const ours = labelSettingEngine.search(input);
        expect(vectors(ours, o.criteria)).toEqual(vectors(bruteForceEngine.search(input), o.criteria));
        for (const a of ours) for (const b of ours) expect(dominatesOn(a, b, o.criteria)).toBe(false);
        if (o.maxTransshipments !== undefined)
          for (const p of ours) expect(p.transshipments).toBeLessThanOrEqual(o.maxTransshipments);
        if (ours.length > 0) nonEmpty++;
      }),
      { numRuns: 300, seed: 7 },
    );
    expect(nonEmpty).toBeGreaterThan(60);
  });

  it('matches the oracle exactly, and results are non-dominated, constrained and continuous', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(
        arbNetwork,
        fc.nat(10),
        fc.nat(10),
        fc.subarray(COUNTRIES, { maxLength: 2 }),
        ({ ids, ds }, oi, di, avoid) => {
          const from = ids[oi % ids.length]!;
          const to = ids[di % ids.length]!;
          fc.pre(from !== to);
          const net = compileNetwork(ds);
          const ours = run(labelSettingEngine, net, from, to, avoid);
          const oracle = run(bruteForceEngine, net, from, to, avoid);
          expect(vectors(ours)).toEqual(vectors(oracle));
          if (ours.length > 0) nonEmpty++;
          for (const a of ours) for (const b of ours) expect(dominates(a, b)).toBe(false);
          for (const p of ours) {
            let at = net.locationIndex.get(from)!;
            for (const e of p.arcs) {
              if (net.arcKind[e] !== ARC_LINK) continue;
              const l = net.arcLink[e]!;
              const rev = net.arcReverse[e] === 1;
              const [a, b] = rev ? [net.linkTo[l]!, net.linkFrom[l]!] : [net.linkFrom[l]!, net.linkTo[l]!];
              expect(a).toBe(at);
              at = b;
              for (const c of net.links[l]!.countries) expect(avoid).not.toContain(c);
            }
            expect(at).toBe(net.locationIndex.get(to));
          }
        },
      ),
      { numRuns: 300, seed: 20261128 },
    );
    // Guard against a vacuous property: most random instances must have routes to compare.
    expect(nonEmpty).toBeGreaterThan(100);
  });
});
