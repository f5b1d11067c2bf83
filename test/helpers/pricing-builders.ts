/**
 * Tiny pricing builders for tariff and footprint scenarios, next to builders.ts:
 *   priced(dataset(...), tariffSet({ legCharges: [legCharge('rail', 'container-km', 1)] }))
 */
import type {
  ContainerType,
  EmissionFactorTable,
  LegCharge,
  PricedDataset,
  PricingData,
  StopCharge,
  TariffSet,
  ThroughRate,
} from '../../src/model/pricing-types.js';
import type { Dataset, Quantity } from '../../src/model/types.js';

const A = 'test fixture value, not a real figure';
export const qa = (value: number): Quantity => ({ value, assumption: A });

export function containerType(
  code: string,
  size: '20' | '40' | '45',
  o: {
    aliases?: string[];
    tare?: number;
    teu?: number;
    reefer?: boolean;
    highCube?: boolean;
    defaultCargo?: number;
  } = {},
): ContainerType {
  return {
    code,
    description: `${code} test box`,
    size,
    highCube: o.highCube ?? false,
    reefer: o.reefer ?? false,
    aliases: o.aliases ?? [],
    teu: qa(o.teu ?? (size === '20' ? 1 : size === '40' ? 2 : 2.25)),
    tareTonnes: qa(o.tare ?? (size === '20' ? 2 : 4)),
    maxGrossTonnes: qa(30),
    defaultCargoTonnes: qa(o.defaultCargo ?? 10),
  };
}

export const CONTAINERS: ContainerType[] = [
  containerType('22G1', '20', { aliases: ['20'] }),
  containerType('42G1', '40', { aliases: ['40'] }),
  containerType('45G1', '40', { aliases: ['40HC'], highCube: true }),
  containerType('L5G1', '45', { aliases: ['45'] }),
  containerType('45R1', '40', { aliases: ['40RF'], reefer: true, tare: 4.5 }),
];

export function legCharge(
  id: string,
  per: LegCharge['per'],
  amount: number,
  on: LegCharge['on'] = {},
  o: Partial<LegCharge> = {},
): LegCharge {
  return {
    id,
    description: `${id} charge`,
    category: 'line-haul',
    per,
    currency: 'USD',
    amount: qa(amount),
    on,
    ...(per.startsWith('wagon') ? { teuPerWagon: qa(3) } : {}),
    ...o,
  };
}

export function stopCharge(id: string, at: StopCharge['at'], amount: number, o: Partial<StopCharge> = {}): StopCharge {
  return {
    id,
    description: `${id} charge`,
    category: 'terminal-handling',
    per: 'container',
    currency: 'USD',
    amount: qa(amount),
    at,
    ...o,
  };
}

export function throughRate(id: string, links: string[], amount: number, o: Partial<ThroughRate> = {}): ThroughRate {
  return {
    id,
    description: `${id} through-rate`,
    links,
    bidirectional: true,
    per: 'container',
    currency: 'USD',
    amount: qa(amount),
    replaces: [
      'line-haul',
      'sea-freight',
      'ferry-freight',
      'platform',
      'port-dues',
      'gauge-change',
      'border',
      'customs',
      'terminal-handling',
      'other',
    ],
    ...o,
  };
}

export function tariffSet(o: Partial<TariffSet> = {}): TariffSet {
  return {
    id: 'test-set',
    title: 'test tariffs',
    validFrom: '2024-01-01',
    sizeFactors: { '20': qa(0.5), '45': qa(1.25) },
    legCharges: [],
    stopCharges: [],
    throughRates: [],
    ...o,
  };
}

export function emissionTable(o: Partial<EmissionFactorTable> = {}): EmissionFactorTable {
  return {
    method: 'test method',
    gwp: 'AR5',
    factors: [
      {
        id: 'rail-diesel',
        description: 'd',
        vehicle: 'train',
        energyCarrier: 'diesel',
        on: { modes: ['rail'], tractions: ['diesel'] },
        ttwGCo2ePerTkm: qa(20),
        wtwGCo2ePerTkm: qa(25),
      },
      {
        id: 'rail-electric',
        description: 'e',
        vehicle: 'train',
        energyCarrier: 'electric',
        on: { modes: ['rail'], tractions: ['electric'] },
        kwhPerTkm: qa(0.03),
      },
      {
        id: 'ship',
        description: 's',
        vehicle: 'ship',
        energyCarrier: 'vlsfo',
        on: { modes: ['sea'] },
        ttwGCo2ePerTeuKm: qa(60),
        wtwGCo2ePerTeuKm: qa(70),
        tonnesPerTeu: qa(10),
      },
      {
        id: 'ferry',
        description: 'f',
        vehicle: 'ferry',
        energyCarrier: 'mdo',
        on: { modes: ['ferry'] },
        ttwGCo2ePerTkm: qa(100),
        wtwGCo2ePerTkm: qa(120),
      },
      {
        id: 'truck',
        description: 't',
        vehicle: 'truck',
        energyCarrier: 'diesel',
        on: { modes: ['road'] },
        ttwGCo2ePerTkm: qa(70),
        wtwGCo2ePerTkm: qa(90),
      },
    ],
    grid: [{ country: 'KZ', wtwGCo2ePerKwh: qa(800) }],
    defaultGrid: qa(300),
    hubs: [
      {
        id: 'hub-handling',
        description: 'h',
        events: ['handling'],
        wtwKgCo2ePerTonne: qa(1),
        ttwKgCo2ePerTonne: qa(0.5),
      },
      {
        id: 'hub-gauge',
        description: 'g',
        events: ['gauge-change'],
        wtwKgCo2ePerTonne: qa(0.5),
        ttwKgCo2ePerTonne: qa(0.3),
      },
    ],
    ...o,
  };
}

export function priced(ds: Dataset, sets: TariffSet | TariffSet[], o: Partial<PricingData> = {}): PricedDataset {
  const pricing: PricingData = {
    tariffSets: Array.isArray(sets) ? sets : [sets],
    fx: [{ date: '2020-01-01', base: 'EUR', rates: { USD: qa(1.1), CHF: qa(1) } }],
    containerTypes: CONTAINERS,
    emissions: emissionTable(),
    ...o,
    indices: o.indices ?? [],
  };
  return { ...ds, pricing };
}
