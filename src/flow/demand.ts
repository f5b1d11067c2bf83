/** Demand sets in TEU per year: unit conversion, scaling and aggregation of repeated ODs. */
import { CorridorError } from '../model/errors.js';
import type { Conversions, DemandSet, YearlyDemand } from '../model/types.js';

export interface DemandOd {
  from: string;
  to: string;
  commodity: string;
  teuPerYear: number;
}

export function toTeu(q: YearlyDemand, conv: Conversions): number {
  switch (q.unit) {
    case 'TEU':
      return q.value;
    case 't':
      return q.value / conv.tonnesPerTeu.value;
    case 'trains':
      return q.value * conv.teuPerTrain.value;
  }
}

/** The set's ODs in TEU/yr, multiplied by `scale`; ODs repeated for one commodity are added up. */
export function demandInTeu(set: DemandSet, conv: Conversions, scale = 1): DemandOd[] {
  if (!(scale > 0)) throw new CorridorError('invalid-argument', `demand scale must be > 0, got ${scale}`);
  const byKey = new Map<string, DemandOd>();
  for (const f of set.flows) {
    const teu = toTeu(f.perYear, conv) * scale;
    if (teu <= 0) continue;
    const key = `${f.from}|${f.to}|${f.commodity}`;
    const od = byKey.get(key);
    if (od) od.teuPerYear += teu;
    else byKey.set(key, { from: f.from, to: f.to, commodity: f.commodity, teuPerYear: teu });
  }
  return [...byKey.values()];
}
