/**
 * What one charge comes to for a shipment: the quantity its basis counts (containers, TEU,
 * tonne-km, wagons…) times its unit amount, over the container groups its conditions admit.
 */
import type {
  ChargeUnit,
  ChargeCondition,
  ContainerSize,
  LegCharge,
  StopCharge,
  TariffSet,
  ThroughRate,
} from '../model/pricing-types.js';
import type { Provenance, Quantity } from '../model/types.js';
import type { Cargo, ContainerGroup } from './cargo.js';
import { getOrCreate } from '../model/memo.js';
import { must } from '../model/invariant.js';

export interface ChargeAmount {
  /** In the charge's currency. */
  amount: number;
  calculation: string;
  provenance: Provenance;
}

export function provenanceOf(q: Quantity): Provenance {
  const { value: _value, ...p } = q;
  return p as Provenance;
}

export function admits(when: ChargeCondition | undefined, cargo: Cargo, g: ContainerGroup): boolean {
  if (!when) return true;
  if (when.dangerousGoods !== undefined && when.dangerousGoods !== cargo.dangerousGoods) return false;
  if (when.reefer !== undefined && when.reefer !== g.type.reefer) return false;
  if (when.highCube !== undefined && when.highCube !== g.type.highCube) return false;
  if (when.sizes && !when.sizes.includes(g.type.size)) return false;
  if (
    when.minCargoTonnesPerContainer !== undefined &&
    g.cargoTonnesPerContainer < when.minCargoTonnesPerContainer.value
  )
    return false;
  return true;
}

const UNIT: Record<ChargeUnit, string> = {
  container: 'container',
  'container-km': 'container-km',
  teu: 'TEU',
  'teu-km': 'TEU-km',
  'tonne-km': 'tonne-km',
  wagon: 'wagon',
  'wagon-km': 'wagon-km',
  shipment: 'shipment',
};

/** Intl formatters are costly to create: one per precision, reused (pricing a network formats thousands of numbers). */
const FORMATS = new Map<number, Intl.NumberFormat>();
const num = (x: number, digits = 2) => {
  const f = getOrCreate(FORMATS, digits, () => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }));
  return f.format(x);
};

/** Unit amount for one container of a size, and the quantity it came from. */
function sizedAmount(
  c: Pick<LegCharge, 'amount' | 'bySize' | 'per'>,
  set: TariffSet,
  size: ContainerSize,
): { unit: number; from: Quantity; factor?: number } {
  const explicit = c.bySize?.[size];
  if (explicit) return { unit: explicit.value, from: explicit };
  if (!c.per.startsWith('container') || size === '40') return { unit: c.amount.value, from: c.amount };
  const factor = set.sizeFactors[size].value;
  return { unit: c.amount.value * factor, from: c.amount, factor };
}

/**
 * The charge for `km` kilometres (0 for stop charges), or undefined when no container group is
 * admitted by its conditions.
 */
export function chargeAmount(
  c: Pick<LegCharge | StopCharge, 'per' | 'amount' | 'bySize' | 'when' | 'teuPerWagon' | 'currency'>,
  set: TariffSet,
  cargo: Cargo,
  km: number,
): ChargeAmount | undefined {
  const groups = cargo.groups.filter((g) => admits(c.when, cargo, g));
  if (groups.length === 0) return undefined;
  const unit = UNIT[c.per];
  const kmPart = c.per.endsWith('-km') ? `${num(km, 1)} km × ` : '';
  switch (c.per) {
    case 'container':
    case 'container-km': {
      let amount = 0;
      const parts: string[] = [];
      let from: Quantity = c.amount;
      for (const g of groups) {
        const s = sizedAmount(c, set, g.type.size);
        from = s.from;
        amount += g.count * s.unit * (c.per === 'container-km' ? km : 1);
        parts.push(
          `${g.count} × ${g.type.size}'${s.factor !== undefined ? ` (40' rate × ${s.factor})` : ''} @ ` +
            `${c.currency} ${num(s.unit, 4)}/${unit}`,
        );
      }
      return { amount, calculation: `${kmPart}${parts.join(' + ')}`, provenance: provenanceOf(from) };
    }
    case 'teu':
    case 'teu-km': {
      const teu = groups.reduce((s, g) => s + g.count * g.type.teu.value, 0);
      return {
        amount: teu * c.amount.value * (c.per === 'teu-km' ? km : 1),
        calculation: `${kmPart}${num(teu)} TEU @ ${c.currency} ${num(c.amount.value, 4)}/${unit}`,
        provenance: provenanceOf(c.amount),
      };
    }
    case 'tonne-km': {
      const t = groups.reduce((s, g) => s + g.count * (g.cargoTonnesPerContainer + g.type.tareTonnes.value), 0);
      return {
        amount: t * km * c.amount.value,
        calculation: `${kmPart}${num(t)} t gross @ ${c.currency} ${num(c.amount.value, 4)}/${unit}`,
        provenance: provenanceOf(c.amount),
      };
    }
    case 'wagon':
    case 'wagon-km': {
      const teu = groups.reduce((s, g) => s + g.count * g.type.teu.value, 0);
      const perWagon = must(c.teuPerWagon).value;
      const wagons = Math.ceil(teu / perWagon - 1e-9);
      return {
        amount: wagons * c.amount.value * (c.per === 'wagon-km' ? km : 1),
        calculation:
          `${kmPart}${wagons} wagon(s) for ${num(teu)} TEU at ${num(perWagon)} ` +
          `TEU/wagon @ ${c.currency} ${num(c.amount.value, 4)}/${unit}`,
        provenance: provenanceOf(c.amount),
      };
    }
    case 'shipment':
      return {
        amount: c.amount.value,
        calculation: `1 shipment @ ${c.currency} ${num(c.amount.value, 4)}`,
        provenance: provenanceOf(c.amount),
      };
  }
}

/** A through-rate's amount for the whole chain for this cargo. */
export function throughRateAmount(t: ThroughRate, set: TariffSet, cargo: Cargo): ChargeAmount {
  return must(chargeAmount({ ...t, when: undefined, teuPerWagon: undefined }, set, cargo, 0));
}
