/** Small inline-SVG drawing helpers for the bulletin: a network map and horizontal bar charts. */
import type { AssignmentResult } from '../flow/assign.js';
import type { Dataset } from '../model/types.js';
import { must } from '../model/invariant.js';

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** Equirectangular map of the links, line width by flow and colour by utilisation. */
export function networkMap(
  ds: Dataset,
  a: AssignmentResult,
  opts: {
    width?: number;
    title: string;
    highlight?: string[];
    bbox?: { lonMin: number; lonMax: number; latMin: number; latMax: number };
  },
): string {
  const W = opts.width ?? 960;
  const locs = new Map(ds.locations.map((l) => [l.id, l]));
  const bb = opts.bbox;
  const inside = (id: string) => {
    const c = must(locs.get(id)).coordinates;
    return !bb || (c.lon >= bb.lonMin && c.lon <= bb.lonMax && c.lat >= bb.latMin && c.lat <= bb.latMax);
  };
  const flowing = new Set(a.links.filter((l) => l.flow > 0).map((l) => l.id));
  const used = ds.links.filter(
    (l) =>
      (l.status === 'operational' || flowing.has(l.id)) &&
      locs.has(l.from) &&
      locs.has(l.to) &&
      (inside(l.from) || inside(l.to)),
  );
  const lats = used.flatMap((l) => [must(locs.get(l.from)).coordinates.lat, must(locs.get(l.to)).coordinates.lat]);
  const lons = used.flatMap((l) => [must(locs.get(l.from)).coordinates.lon, must(locs.get(l.to)).coordinates.lon]);
  const [lon0, lon1, lat0, lat1] = bb
    ? [bb.lonMin, bb.lonMax, bb.latMin, bb.latMax]
    : [Math.min(...lons) - 2, Math.max(...lons) + 2, Math.min(...lats) - 2, Math.max(...lats) + 2];
  const kx = Math.cos((((lat0 + lat1) / 2) * Math.PI) / 180);
  const H = Math.round((W * (lat1 - lat0)) / ((lon1 - lon0) * kx));
  const x = (lon: number) => ((lon - lon0) / (lon1 - lon0)) * W;
  const y = (lat: number) => H - ((lat - lat0) / (lat1 - lat0)) * H;
  const flowOf = new Map<string, { flow: number; util: number | null }>();
  for (const l of a.links) {
    const prev = flowOf.get(l.id);
    const util = l.utilization;
    flowOf.set(l.id, {
      flow: (prev?.flow ?? 0) + l.flow,
      util:
        prev?.util === undefined || prev.util === null ? util : util === null ? prev.util : Math.max(prev.util, util),
    });
  }
  const maxFlow = Math.max(1, ...[...flowOf.values()].map((f) => f.flow));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" ` +
      `aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title><rect width="${W}" height="${H}" ` +
      `fill="#f4f7fa"/><clipPath id="c${W}${H}"><rect width="${W}" ` +
      `height="${H}"/></clipPath><g clip-path="url(#c${W}${H})">`,
  ];
  for (const l of used) {
    const p = must(locs.get(l.from)).coordinates;
    const q = must(locs.get(l.to)).coordinates;
    const f = flowOf.get(l.id);
    const width = f && f.flow > 0 ? 1.5 + 10 * Math.sqrt(f.flow / maxFlow) : 0.8;
    const u = f?.util ?? null;
    const colour =
      !f || f.flow <= 0
        ? '#b8c2cc'
        : u === null
          ? '#3b6ea8'
          : u >= 0.999
            ? '#c62828'
            : u >= 0.8
              ? '#ef8f00'
              : '#2e7d32';
    const use = u !== null ? `, ${(u * 100).toFixed(0)} % of capacity` : '';
    const title = `${l.id}: ${f ? fmt(f.flow) : 0} TEU/yr${use}`;
    const dash = l.mode === 'sea' || l.mode === 'ferry' ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<line x1="${x(p.lon).toFixed(1)}" y1="${y(p.lat).toFixed(1)}" x2="${x(q.lon).toFixed(1)}" ` +
        `y2="${y(q.lat).toFixed(1)}" stroke="${colour}" ` +
        `stroke-width="${width.toFixed(1)}" ` +
        `stroke-linecap="round"${dash}><title>` +
        `${esc(title)}` +
        `</title></line>`,
    );
  }
  const shown = new Set(used.flatMap((l) => [l.from, l.to]).filter(inside));
  const labelled = bb
    ? [
        'AZBAK',
        'AZALA',
        'TRKSY',
        'KZAAU',
        'KZKUR',
        'TMKRW',
        'GETBS',
        'GEPTI',
        'AZNAJ',
        'AMEVN',
        'RUMCX',
        'GEZAI',
        'AZ-HORADIZ',
      ]
    : [
        'AZBAK',
        'TRKSY',
        'KZAAU',
        'CNXIA',
        'DEDUI',
        'GETBS',
        'TRHAL',
        'ROCND',
        'RUMOW',
        'NLRTM',
        'CNSGH',
        'KZDOS',
        'HUBUD',
      ];
  for (const id of shown) {
    const l = must(locs.get(id));
    const hi = opts.highlight?.includes(id);
    parts.push(
      `<circle cx="${x(l.coordinates.lon).toFixed(1)}" cy="${y(l.coordinates.lat).toFixed(1)}" ` +
        `r="${hi ? 5 : 2.5}" fill="${hi ? '#c62828' : '#333'}"><title>${esc(`${l.name} (${l.id})`)}</title></circle>`,
    );
    if (hi || labelled.includes(id)) {
      parts.push(
        `<text x="${(x(l.coordinates.lon) + 5).toFixed(1)}" y="${(y(l.coordinates.lat) - 5).toFixed(1)}" ` +
          `font-size="11" fill="#222">${esc(l.name)}</text>`,
      );
    }
  }
  parts.push('</g>');
  parts.push(`<text x="${W - 8}" y="16" font-size="12" text-anchor="end" fill="#333">${esc(opts.title)}</text>`);
  parts.push(
    `<g font-size="11" transform="translate(10,${H - 62})"><rect width="250" height="56" fill="#fff" opacity="0.85"/>`,
  );
  [
    ['#2e7d32', 'flow, under 80 % of capacity'],
    ['#ef8f00', '80–99.9 % of capacity'],
    ['#c62828', 'full (binding capacity)'],
    ['#3b6ea8', 'flow, no capacity in the data'],
  ].forEach(([c, t], i) => {
    parts.push(
      `<line x1="6" x2="30" y1="${10 + i * 13}" y2="${10 + i * 13}" stroke="${c}" stroke-width="4"/><text ` +
        `x="36" y="${14 + i * 13}">${esc(must(t))}</text>`,
    );
  });
  parts.push('</g></svg>');
  return parts.join('');
}

/** Horizontal bars; each row may have several stacked segments. */
export function barChart(
  rows: { label: string; segments: { value: number; colour: string; title: string }[] }[],
  opts: { unit: string; width?: number; title: string },
): string {
  const W = opts.width ?? 760;
  const labelW = 240;
  const rowH = 26;
  const H = rows.length * rowH + 30;
  const max = Math.max(1e-9, ...rows.map((r) => r.segments.reduce((s, x) => s + x.value, 0)));
  const scale = (W - labelW - 150) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" ` +
      `width="100%" role="img" aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title>`,
  ];
  rows.forEach((r, i) => {
    const yy = 10 + i * rowH;
    parts.push(`<text x="${labelW - 8}" y="${yy + 15}" font-size="12" text-anchor="end">${esc(r.label)}</text>`);
    let xx = labelW;
    for (const s of r.segments) {
      const w = Math.max(0, s.value * scale);
      parts.push(
        `<rect x="${xx.toFixed(1)}" y="${yy}" width="${w.toFixed(1)}" ` +
          `height="${rowH - 8}" fill="${s.colour}"><title>${esc(s.title)}</title></rect>`,
      );
      xx += w;
    }
    const total = r.segments.reduce((s, x) => s + x.value, 0);
    parts.push(
      `<text x="${(xx + 6).toFixed(1)}" y="${yy + 15}" font-size="12">${esc(`${fmt(total)} ${opts.unit}`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
