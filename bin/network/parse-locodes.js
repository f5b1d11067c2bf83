/**
 * Reads the UN/LOCODE 2024-2 mirrors (p2.csv, p3.csv: mburumaxwell/unlocode "2024-2 UNLOCODE CodeListPart2/3.csv";
 * small.txt, large.h: wbyates777/LOCODE LOCODES_SMALL_BODY.txt and LOCODES_LARGE_HEADER.h) from the working
 * directory and writes locodes.json (code → name, function, status, coordinate) and allcodes.json (every code)
 * for bin/network/resolve-places.js. Run by hand; see that file.
 */
import fs from 'node:fs';
const out = {};
function dm(s) {
  // "0045S 00927E"
  const m = /^(\d{2})(\d{2})([NS]) (\d{3})(\d{2})([EW])$/.exec(s || '');
  if (!m) return null;
  let lat = +m[1] + +m[2] / 60;
  if (m[3] === 'S') lat = -lat;
  let lon = +m[4] + +m[5] / 60;
  if (m[6] === 'W') lon = -lon;
  return { lat: +lat.toFixed(3), lon: +lon.toFixed(3) };
}
function csvline(l) {
  const r = [];
  let cur = '',
    q = false;
  for (const ch of l) {
    if (q) {
      if (ch === '"') q = false;
      else cur += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      r.push(cur);
      cur = '';
    } else cur += ch;
  }
  r.push(cur);
  return r;
}
for (const f of ['p2.csv', 'p3.csv'])
  for (const l of fs.readFileSync(f, 'latin1').split(/\r?\n/)) {
    const c = csvline(l);
    if (!c[2]) continue;
    out[c[1] + c[2]] = { name: c[3], func: c[6], status: c[7], date: c[8], coord: dm(c[10]), src: 'L24' };
  }
const t = fs.readFileSync('small.txt', 'utf8');
function arr(name) {
  const i = t.indexOf(`Locode::${name}[`);
  const s = t.indexOf('{', i);
  let d = 0,
    j = s;
  for (; j < t.length; j++) {
    if (t[j] === '{') d++;
    else if (t[j] === '}') {
      d--;
      if (d === 0) break;
    }
  }
  return t.slice(s + 1, j);
}
const codes = [...arr('m_codes').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
const names = [...arr('m_fullNames').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
const pos = [
  ...arr('m_position')
    .replace(/\/\/[^\n]*/g, '')
    .matchAll(/\{\s*(-?[\d.]+f?)\s*,\s*(-?[\d.]+f?)\s*\}/g),
].map((m) => [parseFloat(m[1]), parseFloat(m[2])]);
const fn = arr('m_function')
  .replace(/\/\/[^\n]*/g, '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
console.error(codes.length, names.length, pos.length, fn.length);
for (let i = 1; i < codes.length; i++) {
  const c = codes[i];
  if (out[c]) continue;
  const v = parseInt(fn[i], 10);
  let f = '';
  for (let b = 0; b < 10; b++) f += (v >> b) & 1 ? '12345678AB'[b] : '-';
  const p = pos[i];
  out[c] = {
    name: names[i],
    func: f,
    coord: p && (p[0] || p[1]) ? { lat: +p[0].toFixed(3), lon: +p[1].toFixed(3) } : null,
    src: 'L24w',
  };
}
const large = fs.readFileSync('large.h', 'utf8');
const all = new Set([...large.matchAll(/constexpr int ([A-Z]{2}[A-Z2-9]{3}) =/g)].map((m) => m[1]));
console.error('large', all.size);
fs.writeFileSync('locodes.json', JSON.stringify(out));
fs.writeFileSync('allcodes.json', JSON.stringify([...all]));
