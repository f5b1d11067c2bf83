/**
 * Tiny builders so a test network fits in a few lines:
 *   dataset([loc('KZAAU', 'KZ'), loc('AZALA', 'AZ')], [link('KZAAU', 'AZALA', 'ferry', { km: 470, h: 21 })])
 */
import type { Dataset, Link, Location, LocationKind, Mode, Transfer, TransferKind } from '../../src/model/types.js';

const A = 'test fixture value, not a real figure';

export function loc(
  id: string,
  country = id.slice(0, 2),
  opts: { lat?: number; lon?: number; kinds?: LocationKind[]; name?: string; aliases?: string[] } = {},
): Location {
  return {
    id,
    name: opts.name ?? id,
    aliases: opts.aliases ?? [],
    country,
    kinds: opts.kinds ?? ['city'],
    coordinates: { lat: opts.lat ?? 0, lon: opts.lon ?? 0, assumption: A },
  };
}

export function link(
  from: string,
  to: string,
  mode: Mode,
  o: {
    km?: number;
    h?: number;
    usdPerTeu?: number;
    gauge?: 1435 | 1520;
    countries?: string[];
    passages?: string[];
    status?: Link['status'];
    scenarios?: string[];
    id?: string;
    corridor?: string;
    oneWay?: boolean;
  } = {},
): Link {
  return {
    id: o.id ?? `${from}-${to}-${mode}`.toLowerCase(),
    from,
    to,
    mode,
    ...(mode === 'rail' ? { gaugeMm: o.gauge ?? 1435, traction: 'diesel' as const } : {}),
    distanceKm: { value: o.km ?? 100, assumption: A },
    durationH: { value: o.h ?? 10, assumption: A },
    ...(o.usdPerTeu !== undefined ? { costUsdPerTeu: { value: o.usdPerTeu, assumption: A } } : {}),
    operator: 'Test',
    countries: o.countries ?? [...new Set([from.slice(0, 2), to.slice(0, 2)])],
    passages: o.passages ?? [],
    status: o.status ?? 'operational',
    scenarios: o.scenarios ?? [],
    corridor: o.corridor ?? 'test',
    cargoRestrictions: [],
    bidirectional: !o.oneWay,
  };
}

export function transfer(location: string, kind: TransferKind, h = 1, usdPerTeu = 0): Transfer {
  return {
    location,
    kind,
    durationH: { min: h, typical: h, max: h, assumption: A },
    costUsdPerTeu: { value: usdPerTeu, assumption: A },
  };
}

export function dataset(locations: Location[], links: Link[], transfers: Transfer[] = []): Dataset {
  return {
    sources: [],
    locations,
    links,
    transfers,
    passages: [
      { id: 'suez', name: 'Suez Canal', countries: ['EG'], coordinates: { lat: 30.7, lon: 32.3, assumption: A } },
    ],
    corridors: [...new Set(['test', ...links.map((l) => l.corridor)])].map((id) => ({
      id,
      name: id,
      role: 'route' as const,
    })),
    rates: {
      cargo: { teu: { value: 1, assumption: A }, grossTonnes: { value: 10, assumption: A } },
      modes: (['rail', 'road', 'sea', 'ferry'] as const).map((mode) => ({
        mode,
        costUsdPerTeuKm: { value: 1, assumption: A },
      })),
      emissionFactors: (['rail', 'road', 'sea', 'ferry'] as const).map((mode) => ({
        mode,
        wtwGCo2ePerTkm: { value: 100, assumption: A },
      })),
    },
    scenarios: [{ name: 'open-x', title: 'Open X', description: 'test' }],
  };
}
