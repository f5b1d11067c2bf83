/**
 * Hard constraints, turned into a per-arc mask before the search so the inner loop only tests
 * one byte. An avoided country bans every link whose territory or sea passages touch it, and every
 * platform of every location in it.
 */
import { ARC_LINK, MODE_CODES, type CompiledNetwork } from '../network/compile.js';
import type { Mode } from '../model/types.js';
import { getOrCreate } from '../model/memo.js';

export interface RouteConstraints {
  /** ISO alpha-2 codes: no leg, node, transit or sea passage may touch them. */
  avoidCountries?: readonly string[];
  /** Only these modes may be used (default: all). */
  modes?: readonly Mode[];
  /** Location ids that may not be used. */
  avoidLocations?: readonly string[];
  /** Link ids that may not be used. */
  avoidLinks?: readonly string[];
  /** Passage ids (suez, bosporus, …) that may not be used. */
  avoidPassages?: readonly string[];
  /** Operators (as named in links.yaml) that may not be used. */
  avoidOperators?: readonly string[];
  /** Cargo properties that links may refuse (links.yaml `cargoRestrictions`). */
  cargo?: { dangerousGoods?: boolean; reefer?: boolean; oversize?: boolean };
}

/** The restriction a cargo property runs into. */
const CARGO_RESTRICTION_OF = {
  dangerousGoods: 'no-dangerous-goods',
  reefer: 'no-reefer',
  oversize: 'no-oversize',
} as const;

/** Restrictions of the cargo: a link listing one of them is banned. */
export function cargoRestrictionsHit(c: RouteConstraints): string[] {
  return (Object.keys(CARGO_RESTRICTION_OF) as (keyof typeof CARGO_RESTRICTION_OF)[])
    .filter((k) => c.cargo?.[k])
    .map((k) => CARGO_RESTRICTION_OF[k]);
}

/** True when the constraints exclude anything at all. */
export function hasConstraints(c: RouteConstraints): boolean {
  return (
    (c.avoidCountries?.length ?? 0) > 0 ||
    (c.modes?.length ?? 0) > 0 ||
    (c.avoidLocations?.length ?? 0) > 0 ||
    (c.avoidLinks?.length ?? 0) > 0 ||
    (c.avoidPassages?.length ?? 0) > 0 ||
    (c.avoidOperators?.length ?? 0) > 0 ||
    cargoRestrictionsHit(c).length > 0
  );
}

/** The all-zero mask per compiled network, shared by every unconstrained query (read-only by contract). */
const NO_BANS = new WeakMap<CompiledNetwork, Uint8Array>();

/** 1 = the arc may not be used. Callers must not write to the returned mask. */
export function bannedArcs(net: CompiledNetwork, c: RouteConstraints): Uint8Array {
  if (!hasConstraints(c)) {
    const none = getOrCreate(NO_BANS, net, () => new Uint8Array(net.arcCount));
    return none;
  }
  const banned = new Uint8Array(net.arcCount);
  const avoidCountry = new Uint8Array(net.countries.length);
  for (const code of c.avoidCountries ?? []) {
    const i = net.countryIndex.get(code);
    if (i !== undefined) avoidCountry[i] = 1;
  }
  const avoidPassage = new Uint8Array(net.passages.length);
  net.passages.forEach((p, i) => {
    if ((c.avoidPassages ?? []).includes(p.id)) avoidPassage[i] = 1;
    if (p.countries.some((code) => (c.avoidCountries ?? []).includes(code))) avoidPassage[i] = 1;
  });
  const modeAllowed = new Uint8Array(4).fill(c.modes && c.modes.length > 0 ? 0 : 1);
  for (const m of c.modes ?? []) modeAllowed[MODE_CODES[m]] = 1;
  const avoidLocation = new Uint8Array(net.locations.length);
  for (let loc = 0; loc < net.locations.length; loc++) {
    if (avoidCountry[net.locationCountry[loc]!]) avoidLocation[loc] = 1;
  }
  for (const id of c.avoidLocations ?? []) {
    const i = net.locationIndex.get(id);
    if (i !== undefined) avoidLocation[i] = 1;
  }
  const avoidLinks = new Set(c.avoidLinks ?? []);
  const avoidOperators = new Set((c.avoidOperators ?? []).map((o) => o.toLowerCase()));
  const restricted = cargoRestrictionsHit(c);

  const linkBanned = new Uint8Array(net.links.length);
  for (let l = 0; l < net.links.length; l++) {
    const link = net.links[l]!;
    if (!modeAllowed[net.linkMode[l]!] || avoidLinks.has(link.id)) linkBanned[l] = 1;
    if (avoidOperators.size > 0 && avoidOperators.has(link.operator.toLowerCase())) linkBanned[l] = 1;
    if (restricted.some((r) => (link.cargoRestrictions as readonly string[]).includes(r))) linkBanned[l] = 1;
    for (let k = net.linkCountryStart[l]!; k < net.linkCountryStart[l + 1]!; k++) {
      if (avoidCountry[net.linkCountries[k]!]) linkBanned[l] = 1;
    }
    for (let k = net.linkPassageStart[l]!; k < net.linkPassageStart[l + 1]!; k++) {
      if (avoidPassage[net.linkPassages[k]!]) linkBanned[l] = 1;
    }
  }
  for (let v = 0; v < net.vertexCount; v++) {
    const vBanned = avoidLocation[net.vertexLocation[v]!];
    for (let e = net.arcStart[v]!; e < net.arcStart[v + 1]!; e++) {
      if (vBanned || avoidLocation[net.vertexLocation[net.arcTarget[e]!]!]) banned[e] = 1;
      else if (net.arcKind[e] === ARC_LINK && linkBanned[net.arcLink[e]!]) banned[e] = 1;
    }
  }
  return banned;
}
