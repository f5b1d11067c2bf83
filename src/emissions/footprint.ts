/**
 * ISO 14083 / GLEC footprint of a shipment: per leg, transport activity (tonne-km = actual
 * distance × mass moved, container tare included) times an emission intensity for the mode,
 * vehicle and energy carrier, reported tank-to-wheel and well-to-wheel; per hub (transshipment,
 * gauge change), tonnes handled times a hub intensity.
 *
 * Intensity shapes (see emission-factors.yaml):
 * - per tonne-km (rail diesel, RoPax, truck): the TTW and WTW values as given;
 * - per TEU-km (container ships, as GLEC publishes them): divided by the gross tonnes per TEU of
 *   the factor, so the shipment is allocated by mass as ISO 14083 requires;
 * - electric traction: kWh per tonne-km × the WTW grid factor averaged over the countries the
 *   link crosses; TTW is zero (ISO 14083 counts electricity generation as well-to-tank).
 * Everything is linear in the mass moved.
 * @see ISO 14083:2023, Greenhouse gases — Quantification and reporting of greenhouse gas emissions
 *      arising from transport chain operations; Smart Freight Centre, GLEC Framework v3 (2023).
 */
import { CorridorError } from '../model/errors.js';
import type { IntensityFactor, EmissionFactorTable, EnergyCarrier, HubFactor } from '../model/pricing-types.js';
import { legSpecificity, matchesLeg } from '../model/pricing-select.js';
import type { Link, Mode, Provenance, Quantity } from '../model/types.js';
import { must } from '../model/invariant.js';

export interface Intensity {
  factorId: string;
  vehicle: string;
  energyCarrier: EnergyCarrier;
  ttwGCo2ePerTkm: number;
  wtwGCo2ePerTkm: number;
  /** The figures the intensity is computed from, with their provenance. */
  inputs: { name: string; value: number; provenance: Provenance }[];
}

export interface LegFootprint {
  legIndex: number;
  linkId: string;
  mode: Mode;
  factorId: string;
  vehicle: string;
  energyCarrier: EnergyCarrier;
  distanceKm: number;
  /** Mass moved: cargo plus container tare, tonnes. */
  tonnes: number;
  tonneKm: number;
  ttwGCo2ePerTkm: number;
  wtwGCo2ePerTkm: number;
  ttwKgCo2e: number;
  wtwKgCo2e: number;
  inputs: Intensity['inputs'];
}

export interface HubFootprint {
  node: string;
  /** Index of the leg the hub follows. */
  afterLeg: number;
  event: 'handling' | 'gauge-change';
  factorId: string;
  tonnes: number;
  ttwKgCo2e: number;
  wtwKgCo2e: number;
  inputs: Intensity['inputs'];
}

export interface Footprint {
  method: string;
  wtwKgCo2e: number;
  ttwKgCo2e: number;
  /** Mass moved (cargo + tare), tonnes. */
  tonnes: number;
  legs: LegFootprint[];
  hubs: HubFootprint[];
}

const prov = (q: Quantity): Provenance => {
  const { value: _v, ...p } = q;
  return p as Provenance;
};

export class Footprinter {
  private readonly grid: Map<string, Quantity>;
  private readonly cache = new Map<string, Intensity>();

  constructor(readonly table: EmissionFactorTable) {
    this.grid = new Map(table.grid.map((g) => [g.country, g.wtwGCo2ePerKwh]));
  }

  factorFor(link: Link): IntensityFactor {
    let best: IntensityFactor | undefined;
    let score = -1;
    for (const f of this.table.factors) {
      if (!matchesLeg(f.on, link)) continue;
      const s = legSpecificity(f.on);
      if (s > score) {
        best = f;
        score = s;
      }
    }
    if (!best)
      throw new CorridorError(
        'invalid-dataset',
        `no emission factor in emission-factors.yaml applies to link ${link.id} (${link.mode})`,
      );
    return best;
  }

  intensity(link: Link): Intensity {
    const hit = this.cache.get(link.id);
    if (hit) return hit;
    const f = this.factorFor(link);
    const base = { factorId: f.id, vehicle: f.vehicle, energyCarrier: f.energyCarrier };
    let out: Intensity;
    if (f.kwhPerTkm) {
      const grids = link.countries.map((c) => ({ c, q: this.grid.get(c) ?? this.table.defaultGrid }));
      const gPerKwh = grids.reduce((s, g) => s + g.q.value, 0) / grids.length;
      out = {
        ...base,
        ttwGCo2ePerTkm: 0,
        wtwGCo2ePerTkm: f.kwhPerTkm.value * gPerKwh,
        inputs: [
          { name: 'kWh per tonne-km', value: f.kwhPerTkm.value, provenance: prov(f.kwhPerTkm) },
          ...grids.map((g) => ({
            name: `grid gCO2e/kWh WTW ${g.c}${this.grid.has(g.c) ? '' : ' (default)'}`,
            value: g.q.value,
            provenance: prov(g.q),
          })),
        ],
      };
    } else if (f.wtwGCo2ePerTeuKm) {
      const t = must(f.tonnesPerTeu, `tonnes per TEU of ${f.id}`);
      const ttwTeu = must(f.ttwGCo2ePerTeuKm, `TTW factor per TEU-km of ${f.id}`);
      out = {
        ...base,
        ttwGCo2ePerTkm: ttwTeu.value / t.value,
        wtwGCo2ePerTkm: f.wtwGCo2ePerTeuKm.value / t.value,
        inputs: [
          {
            name: 'TTW gCO2e per TEU-km',
            value: ttwTeu.value,
            provenance: prov(ttwTeu),
          },
          { name: 'WTW gCO2e per TEU-km', value: f.wtwGCo2ePerTeuKm.value, provenance: prov(f.wtwGCo2ePerTeuKm) },
          { name: 'tonnes per TEU', value: t.value, provenance: prov(t) },
        ],
      };
    } else {
      // The schema requires per-tonne-km factors when no per-TEU-km factor is given.
      const ttw = must(f.ttwGCo2ePerTkm, `TTW factor of ${f.id}`);
      const wtw = must(f.wtwGCo2ePerTkm, `WTW factor of ${f.id}`);
      out = {
        ...base,
        ttwGCo2ePerTkm: ttw.value,
        wtwGCo2ePerTkm: wtw.value,
        inputs: [
          { name: 'TTW gCO2e per tonne-km', value: ttw.value, provenance: prov(ttw) },
          { name: 'WTW gCO2e per tonne-km', value: wtw.value, provenance: prov(wtw) },
        ],
      };
    }
    this.cache.set(link.id, out);
    return out;
  }

  leg(link: Link, tonnes: number, legIndex: number): LegFootprint {
    const i = this.intensity(link);
    const km = link.distanceKm.value;
    const tkm = tonnes * km;
    return {
      legIndex,
      linkId: link.id,
      mode: link.mode,
      factorId: i.factorId,
      vehicle: i.vehicle,
      energyCarrier: i.energyCarrier,
      distanceKm: km,
      tonnes,
      tonneKm: tkm,
      ttwGCo2ePerTkm: i.ttwGCo2ePerTkm,
      wtwGCo2ePerTkm: i.wtwGCo2ePerTkm,
      ttwKgCo2e: (tkm * i.ttwGCo2ePerTkm) / 1000,
      wtwKgCo2e: (tkm * i.wtwGCo2ePerTkm) / 1000,
      inputs: i.inputs,
    };
  }

  hubFactor(location: string, event: 'handling' | 'gauge-change'): HubFactor | undefined {
    let best: HubFactor | undefined;
    for (const h of this.table.hubs) {
      if (!h.events.includes(event)) continue;
      if (h.locations && !h.locations.includes(location)) continue;
      if (!best || (h.locations && !best.locations)) best = h;
    }
    return best;
  }

  hub(
    location: string,
    event: 'handling' | 'gauge-change',
    tonnes: number,
    afterLeg: number,
  ): HubFootprint | undefined {
    const h = this.hubFactor(location, event);
    if (!h) return undefined;
    return {
      node: location,
      afterLeg,
      event,
      factorId: h.id,
      tonnes,
      ttwKgCo2e: tonnes * h.ttwKgCo2ePerTonne.value,
      wtwKgCo2e: tonnes * h.wtwKgCo2ePerTonne.value,
      inputs: [
        {
          name: 'TTW kgCO2e per tonne handled',
          value: h.ttwKgCo2ePerTonne.value,
          provenance: prov(h.ttwKgCo2ePerTonne),
        },
        {
          name: 'WTW kgCO2e per tonne handled',
          value: h.wtwKgCo2ePerTonne.value,
          provenance: prov(h.wtwKgCo2ePerTonne),
        },
      ],
    };
  }
}
