/** How figures read on the page: durations in days, money in USD, emissions in t or kg CO2e. Pure. */

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const n0 = nf(0);
const n1 = nf(1);

/** 597.6 h → "24.9 days"; under two days in hours. */
export function days(hours: number): string {
  if (!Number.isFinite(hours)) return '—';
  if (Math.abs(hours) < 48) return `${n1.format(hours)} h`;
  return `${n1.format(hours / 24)} days`;
}

/** Hours as "4 h" / "2.5 h" / "3.2 days". */
export function hours(h: number): string {
  if (!Number.isFinite(h)) return '—';
  if (Math.abs(h) >= 72) return `${n1.format(h / 24)} days`;
  return `${Number.isInteger(h) ? n0.format(h) : n1.format(h)} h`;
}

export function usd(x: number): string {
  return Number.isFinite(x) ? `USD ${n0.format(x)}` : '—';
}

/** Large sums: "USD 345.0 M", "USD 12,300". */
export function usdShort(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return Math.abs(x) >= 1e6 ? `USD ${n1.format(x / 1e6)} M` : usd(x);
}

/** kg → "4.6 t CO2e" (≥ 1 t) or "850 kg CO2e". */
export function co2(kg: number): string {
  if (!Number.isFinite(kg)) return '—';
  return Math.abs(kg) >= 1000 ? `${n1.format(kg / 1000)} t CO2e` : `${n0.format(kg)} kg CO2e`;
}

/** Without the unit name, for columns headed CO2e: "4.6 t", "576 kg". */
export function mass(kg: number): string {
  if (!Number.isFinite(kg)) return '—';
  return Math.abs(kg) >= 1000 ? `${n1.format(kg / 1000)} t` : `${n0.format(kg)} kg`;
}

export function km(x: number): string {
  return Number.isFinite(x) ? `${n0.format(x)} km` : '—';
}

export function int(x: number): string {
  return n0.format(x);
}

export function pct(fraction: number): string {
  return `${n0.format(fraction * 100)} %`;
}

/** A signed difference: "+1.2 days", "−USD 40", "±0". */
export function signed(delta: number, fmt: (x: number) => string, epsilon = 1e-9): string {
  if (!Number.isFinite(delta)) return '—';
  if (Math.abs(delta) <= epsilon) return '±0';
  return `${delta > 0 ? '+' : '−'}${fmt(Math.abs(delta))}`;
}

let regionNames: Intl.DisplayNames | undefined;
/** ISO 3166-1 alpha-2 → English name ("KZ" → "Kazakhstan"); the code itself when unknown. */
export function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    const n = regionNames.of(code);
    return n && n !== code ? n : code;
  } catch {
    return code;
  }
}

/** "2025-03-01" + 597.6 h → "2025-03-25" (UTC calendar day). */
export function addHoursToDate(isoDate: string, h: number): string {
  const t = Date.parse(`${isoDate}T00:00:00Z`) + h * 3_600_000;
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '';
}

/** An RFC 3339 local time "2025-03-04T08:00:00+06:00" → "4 Mar 2025, 08:00 (UTC+06:00)". */
export function localDateTime(rfc3339: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  const month =
    ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][Number(m[2]) - 1] ?? m[2];
  const zone = m[6] === 'Z' ? 'UTC' : `UTC${m[6]}`;
  return `${Number(m[3])} ${month} ${m[1]}, ${m[4]}:${m[5]} (${zone})`;
}
