/** Which links and transfers a scenario edit applies to. */
import type { Link, LinkMatch, Transfer, TransferMatch } from '../model/types.js';

export function matchesLink(link: Link, s: LinkMatch): boolean {
  if (s.id !== undefined && link.id !== s.id) return false;
  if (s.ids !== undefined && !s.ids.includes(link.id)) return false;
  if (s.corridor !== undefined && link.corridor !== s.corridor) return false;
  if (s.mode !== undefined && link.mode !== s.mode) return false;
  if (s.operator !== undefined && link.operator.toLowerCase() !== s.operator.toLowerCase()) return false;
  if (s.location !== undefined && link.from !== s.location && link.to !== s.location) return false;
  if (s.country !== undefined && !link.countries.includes(s.country)) return false;
  if (s.status !== undefined && link.status !== s.status) return false;
  return true;
}

export function matchesTransfer(t: Transfer, s: TransferMatch): boolean {
  return (s.location === undefined || t.location === s.location) && (s.kind === undefined || t.kind === s.kind);
}

/** A short human description of a selector, e.g. "links with corridor=northern, mode=rail". */
export function describeLinkSelector(s: LinkMatch): string {
  if (
    s.id !== undefined &&
    Object.keys(s).filter(
      (k) =>
        k === 'ids' ||
        k === 'corridor' ||
        k === 'mode' ||
        k === 'operator' ||
        k === 'location' ||
        k === 'country' ||
        k === 'status',
    ).length === 0
  )
    return `link ${s.id}`;
  const parts: string[] = [];
  if (s.id !== undefined) parts.push(`id=${s.id}`);
  if (s.ids !== undefined) parts.push(`id in [${s.ids.join(', ')}]`);
  for (const k of ['corridor', 'mode', 'operator', 'location', 'country', 'status'] as const)
    if (s[k] !== undefined) parts.push(`${k}=${s[k]}`);
  return `links with ${parts.join(', ')}`;
}

export function describeTransferSelector(s: TransferMatch): string {
  return [s.kind ? `${s.kind} transfers` : 'transfers', s.location ? `at ${s.location}` : 'everywhere'].join(' ');
}
