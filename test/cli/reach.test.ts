/**
 * The done-when queries of issue 13 (reach): places off the network, resolved through the world
 * gazetteer and joined door to door by computed truck legs. One gazetteer read per test file (the
 * edge's memo), shared by every query here.
 */
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

type Leg = { from: string; to: string; mode: string; countries: string[]; corridor: string; costUsd: number };
type Answer = {
  origin: { id: string; name: string; country: string };
  destination: { id: string; name: string; country: string };
  options: { legs: Leg[]; totals: { countries: string[]; durationH: number; costUsd: number } }[];
  itineraries?: { legs: Leg[] }[];
  doorToDoor?: {
    origin?: {
      name: string;
      country: string;
      population: number;
      nearestTerminals: { id: string }[];
      description: string;
    };
    destination?: { name: string; country: string; population: number; legs: string[]; description: string };
  };
};

describe('door to door from places off the network', () => {
  it('corridor route Warsaw Mersin: trucks to and from terminals, legs priced like any other', async () => {
    const r = await cliJson<Answer>('route', 'Warsaw', 'Mersin');
    expect(r.origin).toMatchObject({ name: 'Warsaw', country: 'PL' });
    expect(r.destination).toMatchObject({ name: 'Mersin', country: 'TR' });
    expect(r.doorToDoor?.origin?.description).toMatch(/^Warsaw, PL \(1\.7 M\) — also Warsaw, US/);
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options) {
      const first = o.legs[0];
      const last = o.legs[o.legs.length - 1];
      expect(first).toMatchObject({ from: r.origin.id, mode: 'road', corridor: 'door-to-door' });
      expect(last).toMatchObject({ to: r.destination.id, mode: 'road' });
      expect(first?.costUsd).toBeGreaterThan(0);
      expect(first?.countries[0]).toBe('PL');
    }
    const text = await cli('route', 'Warsaw', 'Mersin');
    expect(text.stdout).toMatch(/from Warsaw, PL \(1\.7 M\).*: nearest terminals /);
  });

  it('--avoid holds on the road legs too', async () => {
    const plain = await cliJson<Answer>('route', 'Warsaw', 'Mersin');
    const crossed = [...new Set(plain.options.flatMap((o) => o.legs.flatMap((l) => l.countries)))].filter(
      (c) => c !== 'PL' && c !== 'TR',
    );
    expect(crossed.length).toBeGreaterThan(0);
    for (const avoid of crossed.slice(0, 3)) {
      const r = await cli('route', 'Warsaw', 'Mersin', '--avoid', avoid, '--json');
      if (r.status !== 0) continue; // no route without that country is a valid answer
      const a = JSON.parse(r.stdout) as Answer;
      for (const o of a.options) for (const l of o.legs) expect(l.countries).not.toContain(avoid);
    }
  });

  it('corridor route Yiwu Milan resolves both ends in the gazetteer, Milan as Milano', async () => {
    const r = await cliJson<Answer>('route', 'Yiwu', 'Milan');
    expect(r.origin).toMatchObject({ name: 'Yiwu', country: 'CN' });
    expect(r.destination).toMatchObject({ country: 'IT' });
    expect(r.options.length).toBeGreaterThan(0);
  });

  it('corridor plan Bishkek Paris --ready 2026-12-14T08:00 gives timed door-to-door itineraries', async () => {
    const r = await cliJson<Answer>('plan', 'Bishkek', 'Paris', '--ready', '2026-12-14T08:00', '--samples', '200');
    expect(r.origin).toMatchObject({ name: 'Bishkek', country: 'KG' });
    expect(r.destination).toMatchObject({ name: 'Paris', country: 'FR' });
    expect(r.itineraries?.length).toBeGreaterThan(0);
    for (const it of r.itineraries ?? []) {
      expect(it.legs[0]?.mode).toBe('road');
      expect(it.legs[it.legs.length - 1]?.mode).toBe('road');
    }
  });

  it('corridor quote Ningbo Constanța --containers 1x40 quotes the truck leg to the port or terminal', async () => {
    const r = await cliJson<Answer & { options: { quote: { totalUsd: number } }[] }>(
      'quote',
      'Ningbo',
      'Constanța',
      '--containers',
      '1x40',
    );
    expect(r.origin).toMatchObject({ name: 'Ningbo', country: 'CN' });
    expect(r.destination.id).toBe('ROCND');
    expect(r.options.length).toBeGreaterThan(0);
    for (const o of r.options) expect(o.legs[0]).toMatchObject({ mode: 'road', corridor: 'door-to-door' });
  });

  it('corridor route "Alexandria, EG" Tashkent takes the qualifier: Alexandria in Egypt, not the US', async () => {
    const r = await cli('route', 'Alexandria, EG', 'Tashkent');
    // Either a door-to-door answer or "out of reach"; in both the place named is Alexandria, EG.
    expect(`${r.stdout}${r.stderr}`).toMatch(/Alexandria, EG \(5\.3 M\)/);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/Alexandria, US/);
  });

  it('corridor route Paris Duisburg finds Paris, FR (not Kars) with the others of its name listed', async () => {
    const r = await cliJson<Answer>('route', 'Paris', 'Duisburg');
    expect(r.origin).toMatchObject({ name: 'Paris', country: 'FR' });
    expect(r.destination.id).toBe('DEDUI');
    expect(r.doorToDoor?.origin?.description).toMatch(/^Paris, FR \(2\.1 M\) — also Paris, US/);
    expect(r.options.length).toBeGreaterThan(0);
  });

  it('corridor route Atlantis Duisburg says no such place in reach, with suggestions in reach', async () => {
    const r = await cli('route', 'Atlantis', 'Duisburg');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/origin "Atlantis" is Atlantis, ZA .* which no terminal of the network reaches/);
    expect(r.stderr).toMatch(/places of similar names in reach: \S/);
    const gibberish = await cli('route', 'Qzxqzx Vwvw', 'Duisburg');
    expect(gibberish.status).toBe(2);
    expect(gibberish.stderr).toMatch(/unknown origin "Qzxqzx Vwvw"/);
  });

  it('names an unknown country qualifier', async () => {
    const r = await cli('route', 'Paris, Narnia', 'Duisburg');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/"Narnia" is not a country/);
  });

  it('resolves Cyrillic, Chinese and Turkish forms', async () => {
    const a = await cliJson<Answer>('route', 'Варшава', 'Duisburg');
    expect(a.origin).toMatchObject({ name: 'Warsaw', country: 'PL' });
    const b = await cliJson<Answer>('route', '北京', 'Duisburg');
    expect(b.origin).toMatchObject({ name: 'Beijing', country: 'CN' });
    const c = await cliJson<Answer>('route', 'Tiflis', 'Duisburg');
    expect(c.origin).toMatchObject({ name: 'Tbilisi', country: 'GE' });
  });
});
