/**
 * The shipment a quote is for: container groups (ISO 6346 size-type codes or shorthands such as
 * `40HC`), the cargo mass and the flags that change prices and eligible links. Parses what a user
 * types (`2x40HC,1x20`, `20t`, `18500kg`) with errors that name the value and what is valid.
 */
import { CorridorError } from '../model/errors.js';
import type { ContainerType } from '../model/pricing-types.js';
import { nth } from '../model/invariant.js';

export interface ContainerGroup {
  type: ContainerType;
  count: number;
  /** Cargo (goods and packaging, without the box) in one container of this group. */
  cargoTonnesPerContainer: number;
}

export interface Cargo {
  groups: ContainerGroup[];
  dangerousGoods: boolean;
  reefer: boolean;
  /** True when the user gave no weight and the types' default loads apply. */
  defaultWeight: boolean;
}

export interface CargoRequest {
  /** e.g. "1x40", "2x40HC,1x20", "45G1" (one container); default one 40' container. */
  containers?: string;
  /** Total cargo mass over all containers, e.g. "20t", "18500kg", "20" (tonnes). */
  weight?: string;
  dangerousGoods?: boolean;
  reefer?: boolean;
}

/** Tonnes in a shipment no container train or ship would carry as one booking: a typo guard. */
const MAX_CONTAINERS = 500;

export function findContainerType(types: readonly ContainerType[], text: string): ContainerType | undefined {
  const key = text.trim().toUpperCase().replace(/['’]/g, '');
  return types.find((t) => t.code.toUpperCase() === key || t.aliases.some((a) => a.toUpperCase() === key));
}

function validTypes(types: readonly ContainerType[]): string {
  return types.map((t) => `${t.code}${t.aliases.length ? ` (${t.aliases.join(', ')})` : ''}`).join(', ');
}

/** "2x40HC,1x20" → [{type, count}]. */
export function parseContainers(
  types: readonly ContainerType[],
  text: string,
): { type: ContainerType; count: number }[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new CorridorError(
      'invalid-argument',
      `"${text}" names no container; write e.g. 1x40, 2x40HC or 1x22G1`,
      {},
      'containers',
    );
  const out: { type: ContainerType; count: number }[] = [];
  for (const part of parts) {
    const m = /^(?:(\d+)\s*[x×*]\s*)?(.+)$/i.exec(part);
    const count = m?.[1] !== undefined ? Number(m[1]) : 1;
    const name = m?.[2] ?? part;
    if (!Number.isInteger(count) || count < 1 || count > MAX_CONTAINERS) {
      throw new CorridorError(
        'invalid-argument',
        `"${part}" has count ${m?.[1]}; a count is a whole number from 1 to ${MAX_CONTAINERS}`,
        {},
        'containers',
      );
    }
    const type = findContainerType(types, name);
    if (!type) {
      throw new CorridorError(
        'invalid-argument',
        `"${name}" is not a container type; valid: ${validTypes(types)} (ISO 6346 size-type codes or their shorthands)`,
        {},
        'containers',
      );
    }
    const same = out.find((g) => g.type === type);
    if (same) same.count += count;
    else out.push({ type, count });
  }
  return out;
}

/** "20t" / "20 t" / "18500kg" / "20" (tonnes) → tonnes. */
export function parseWeightTonnes(text: string): number {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(t|tonnes?|kg)?\s*$/i.exec(text);
  if (!m)
    throw new CorridorError(
      'invalid-argument',
      `"${text}" is not a weight; write e.g. 20t, 18.5t or 18500kg (cargo mass without the container)`,
      {},
      'weight',
    );
  const n = Number(nth(m, 1).replace(',', '.'));
  const tonnes = m[2]?.toLowerCase() === 'kg' ? n / 1000 : n;
  if (!(tonnes > 0)) throw new CorridorError('invalid-argument', `"${text}" must be more than 0`, {}, 'weight');
  return tonnes;
}

/** Builds the shipment; the cargo mass is spread over the containers in proportion to their TEU. */
export function buildCargo(types: readonly ContainerType[], req: CargoRequest = {}): Cargo {
  if (types.length === 0)
    throw new CorridorError('invalid-dataset', 'the dataset has no container types (container-types.yaml)');
  const groups = parseContainers(types, req.containers ?? '1x40');
  const totalTeu = groups.reduce((s, g) => s + g.count * g.type.teu.value, 0);
  let total: number | undefined;
  if (req.weight !== undefined) total = parseWeightTonnes(req.weight);
  const out: ContainerGroup[] = groups.map((g) => ({
    type: g.type,
    count: g.count,
    cargoTonnesPerContainer:
      total === undefined ? g.type.defaultCargoTonnes.value : (total * g.type.teu.value) / totalTeu,
  }));
  for (const g of out) {
    const gross = g.cargoTonnesPerContainer + g.type.tareTonnes.value;
    if (gross > g.type.maxGrossTonnes.value) {
      const payload = g.type.maxGrossTonnes.value - g.type.tareTonnes.value;
      const maxTotal = groups.reduce(
        (s, x) => s + x.count * (x.type.maxGrossTonnes.value - x.type.tareTonnes.value),
        0,
      );
      throw new CorridorError(
        'invalid-argument',
        `${fmt(total ?? 0)} t puts ${fmt(g.cargoTonnesPerContainer)} t in each ${g.type.code} container, ` +
          `over its payload of ${fmt(payload)} t (max gross ${fmt(g.type.maxGrossTonnes.value)} t − tare ` +
          `${fmt(g.type.tareTonnes.value)} t); these containers carry at most ${fmt(maxTotal)} t in all`,
        {},
        'weight',
      );
    }
  }
  const reefer = req.reefer === true || out.some((g) => g.type.reefer);
  if (req.reefer === true && !out.some((g) => g.type.reefer)) {
    throw new CorridorError(
      'invalid-argument',
      `reefer cargo needs a reefer container type (e.g. ${
        types
          .filter((t) => t.reefer)
          .map((t) => t.aliases[0] ?? t.code)
          .join(', ') || 'none in this dataset'
      }), not ${out.map((g) => g.type.code).join(', ')}`,
    );
  }
  return { groups: out, dangerousGoods: req.dangerousGoods === true, reefer, defaultWeight: total === undefined };
}

const fmt = (x: number) => String(Math.round(x * 100) / 100);

export function cargoTeu(c: Cargo): number {
  return c.groups.reduce((s, g) => s + g.count * g.type.teu.value, 0);
}

export function cargoContainers(c: Cargo): number {
  return c.groups.reduce((s, g) => s + g.count, 0);
}

/** Cargo mass without the boxes, tonnes. */
export function cargoTonnes(c: Cargo): number {
  return c.groups.reduce((s, g) => s + g.count * g.cargoTonnesPerContainer, 0);
}

/** Mass moved, boxes included (what ISO 14083 tonne-km count here), tonnes. */
export function grossTonnes(c: Cargo): number {
  return c.groups.reduce((s, g) => s + g.count * (g.cargoTonnesPerContainer + g.type.tareTonnes.value), 0);
}

export function describeCargo(c: Cargo): string {
  const boxes = c.groups.map((g) => `${g.count} × ${g.type.aliases[0] ?? g.type.code} (${g.type.code})`).join(' + ');
  const flags = [c.dangerousGoods ? 'dangerous goods' : '', c.reefer ? 'reefer' : ''].filter(Boolean);
  return (
    `${boxes}, ${fmt(cargoTonnes(c))} t cargo${c.defaultWeight ? ' (default load)' : ''}, ` +
    `${fmt(grossTonnes(c))} t gross${flags.length ? `, ${flags.join(', ')}` : ''}`
  );
}
