/**
 * Export of an option's footprint as a PACT ProductFootprint carrying an iLEAP ShipmentFootprint
 * extension (one transport chain element per leg and per hub), so a shipper can hand it to a
 * PACT-conformant system. The mapping is documented in docs/emissions.md.
 * @see iLEAP Technical Specifications (SINE Foundation / Smart Freight Centre),
 *      https://sine-fdn.github.io/ileap-extension/ — ShipmentFootprint, TCE.
 * @see PACT Technical Specifications v2 (WBCSD) — ProductFootprint, DataModelExtension.
 */
import type { Footprint } from './footprint.js';
import { nth } from '../model/invariant.js';

/** ISO 14083 allows decimals only as plain strings in iLEAP (`^-?\d+(\.\d+)?$`). */
export function decimal(x: number, digits = 3): string {
  const s = x.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

export interface PactLeg {
  linkId: string;
  from: string;
  to: string;
  fromName: string;
  toName: string;
  fromCountry: string;
  toCountry: string;
}

export interface PactInput {
  /** Stable id of the shipment (e.g. derived from the query and option). */
  shipmentId: string;
  footprint: Footprint;
  legs: PactLeg[];
  containerCount: number;
  /** ISO timestamp the export is created at (passed in: the core reads no clock). */
  created: string;
  /** The date the shipment is planned for, YYYY-MM-DD. */
  date: string;
  companyName: string;
  description: string;
  gwp: 'AR4' | 'AR5' | 'AR6';
}

/** FNV-1a 32-bit, four rounds with different seeds: a deterministic, dependency-free id. */
function hashHex(text: string): string {
  let out = '';
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let h = seed >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

/** A UUID (version 8, "custom") derived from the text, so the same shipment exports the same id. */
export function deterministicUuid(text: string): string {
  const h = hashHex(text).split('');
  h[12] = '8';
  h[16] = ((parseInt(nth(h, 16), 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export function toPactProductFootprint(input: PactInput) {
  const f = input.footprint;
  const massKg = decimal(f.tonnes * 1000, 1);
  const tces: Record<string, unknown>[] = [];
  let prev: string | undefined;
  const location = (name: string, country: string, locode: string) => ({
    city: name,
    country: { geographyCountry: country },
    ...(/^[A-Z]{2}[A-Z2-9]{3}$/.test(locode) ? { locode } : {}),
  });
  f.legs.forEach((l, i) => {
    const leg = nth(input.legs, i);
    const tceId = `${input.shipmentId}-leg-${i + 1}`;
    tces.push({
      tceId,
      ...(prev ? { prevTceIds: [prev] } : {}),
      tocId: l.factorId,
      shipmentId: input.shipmentId,
      mass: massKg,
      packagingOrTrEqType: 'Container',
      packagingOrTrEqAmount: input.containerCount,
      distance: { actual: decimal(l.distanceKm, 1) },
      origin: location(leg.fromName, leg.fromCountry, leg.from),
      destination: location(leg.toName, leg.toCountry, leg.to),
      transportActivity: decimal(l.tonneKm, 3),
      co2eWTW: decimal(l.wtwKgCo2e, 3),
      co2eTTW: decimal(l.ttwKgCo2e, 3),
    });
    prev = tceId;
    for (const h of f.hubs.filter((x) => x.afterLeg === i)) {
      const hubId = `${input.shipmentId}-hub-${i + 1}`;
      tces.push({
        tceId: hubId,
        prevTceIds: [prev],
        hocId: h.factorId,
        shipmentId: input.shipmentId,
        mass: massKg,
        packagingOrTrEqType: 'Container',
        packagingOrTrEqAmount: input.containerCount,
        distance: { actual: '0' },
        transportActivity: '0',
        co2eWTW: decimal(h.wtwKgCo2e, 3),
        co2eTTW: decimal(h.ttwKgCo2e, 3),
      });
      prev = hubId;
    }
  });
  const tkm = f.legs.reduce((s, l) => s + l.tonneKm, 0);
  const perTkm = tkm > 0 ? f.wtwKgCo2e / tkm : 0;
  const start = `${input.date}T00:00:00Z`;
  const end = new Date(Date.parse(start) + 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id: deterministicUuid(`${input.shipmentId}|${input.date}|${decimal(f.wtwKgCo2e)}`),
    specVersion: '2.2.0',
    version: 0,
    created: input.created,
    status: 'Active',
    companyName: input.companyName,
    companyIds: [
      `urn:pathfinder:company:customcode:buyer-assigned:${input.companyName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    ],
    productDescription: input.description,
    productIds: [`urn:pathfinder:product:customcode:vendor-assigned:shipment:${input.shipmentId}`],
    productCategoryCpc: '83117',
    productNameCompany: `Shipment ${input.shipmentId}`,
    comment: 'Modelled (planning) footprint from default emission intensities; not primary data.',
    pcf: {
      declaredUnit: 'ton kilometer',
      unitaryProductAmount: decimal(tkm, 3),
      pCfExcludingBiogenic: decimal(perTkm, 6),
      fossilGhgEmissions: decimal(perTkm, 6),
      fossilCarbonContent: '0',
      biogenicCarbonContent: '0',
      characterizationFactors: input.gwp,
      ipccCharacterizationFactorsSources: [input.gwp],
      crossSectoralStandardsUsed: ['ISO Standard 14083'],
      productOrSectorSpecificRules: [],
      boundaryProcessesDescription:
        `${f.method}; well-to-wheel (TTW reported per element); container tare included in the mass moved; ` +
        `empty container repositioning not included`,
      referencePeriodStart: start,
      referencePeriodEnd: end,
      exemptedEmissionsPercent: 0,
      exemptedEmissionsDescription: '',
      packagingEmissionsIncluded: false,
      primaryDataShare: 0,
    },
    extensions: [
      {
        specVersion: '2.0.0',
        dataSchema: 'https://api.ileap.sine.dev/shipment-footprint.json',
        documentation: 'https://sine-fdn.github.io/ileap-extension/',
        data: {
          mass: massKg,
          numberOfItems: String(input.containerCount),
          typeOfItems: 'container',
          shipmentId: input.shipmentId,
          tces,
        },
      },
    ],
  };
}
