/**
 * `corridor replay FILE`: runs a recorded or simulated DCSA event stream through the live
 * forecast and prints each ETA revision and alert (`--json` for all of it). FILE is a JSON object
 * (header fields + `events`) or NDJSON (the header on the first line, one event per line after);
 * docs/formats/replay.md. Every bad line or field is reported with where it is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { TntEventSchema } from '../api/dcsa/tnt-schema.js';
import {
  type DcsaEvent,
  type ReplayHeader,
  ReplayHeaderSchema,
  type ReplayResult,
  type ReplayRevision,
  replay,
} from '../service/replay.js';
import type { RegisterCommand } from './context.js';
import { UsageError } from './errors.js';

const MAX_EVENTS = 100_000;

function issues(where: string, error: { issues: { path: PropertyKey[]; message: string }[] }): string[] {
  return error.issues
    .slice(0, 5)
    .map((i) => `${where}${i.path.length ? `.${i.path.map(String).join('.')}` : ''}: ${i.message}`);
}

/** The file's header and events, validated; a UsageError names every problem with its place. */
export function parseReplayFile(file: string, text: string): { header: ReplayHeader; events: DcsaEvent[] } {
  let head: unknown;
  let items: { where: string; value: unknown }[] = [];
  const problems: string[] = [];
  const trimmed = text.trim();
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined && typeof whole === 'object' && whole !== null && !Array.isArray(whole)) {
    const { events, ...rest } = whole as Record<string, unknown>;
    head = rest;
    if (!Array.isArray(events)) problems.push(`${file}: events: an array of DCSA events is required`);
    else items = events.map((value, i) => ({ where: `${file}: events[${i}]`, value }));
  } else if (Array.isArray(whole)) {
    problems.push(
      `${file}: a bare array has no plan; put it in {"format": "corridor-replay/1", "plan": …, "events": […]}`,
    );
  } else {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const v: unknown = JSON.parse(line);
        if (head === undefined) head = v;
        else items.push({ where: `${file}:${i + 1}`, value: v });
      } catch {
        problems.push(`${file}:${i + 1}: not a JSON object (NDJSON: the header on the first line, one event per line)`);
      }
    });
  }
  const h = ReplayHeaderSchema.safeParse(head ?? {});
  if (!h.success) problems.push(...issues(`${file}: header`, h.error));
  if (items.length === 0 && problems.length === 0) problems.push(`${file}: no events`);
  if (items.length > MAX_EVENTS) problems.push(`${file}: at most ${MAX_EVENTS} events, got ${items.length}`);
  const events: DcsaEvent[] = [];
  for (const it of items) {
    const r = TntEventSchema.safeParse(it.value);
    if (r.success) events.push(r.data as DcsaEvent);
    else problems.push(...issues(it.where, r.error));
    if (problems.length >= 50) break;
  }
  if (problems.length || !h.success)
    throw new UsageError(`${file} is not a valid replay file (docs/formats/replay.md):\n  ${problems.join('\n  ')}`);
  return { header: h.data, events };
}

/** UTC to the minute, whatever offset the instant was written with. */
const t = (iso: string | null) =>
  iso === null ? '-' : `${new Date(Date.parse(iso)).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const band = (r: ReplayRevision) => `P10 ${t(r.p10)}  P50 ${t(r.p50)}  P90 ${t(r.p90)}`;

export function formatReplay(r: ReplayResult): string {
  const out: string[] = [];
  out.push(`Replay of ${r.booking}: ${r.from} → ${r.to}, ${r.legs.length} legs`);
  for (const [i, l] of r.legs.entries())
    out.push(
      `  leg ${i + 1}  ${l.from} → ${l.to}  ${l.service ?? '(continuous)'}  ${t(l.departure)} → ${t(l.arrival)}`,
    );
  out.push(`planned   rev ${r.planned.revision}  ${band(r.planned)}`);
  for (const s of r.steps) {
    const what = `${s.classifier} ${s.typeCode} ${s.locode ?? '-'}`;
    const leg = s.leg === null ? '' : ` leg ${s.leg + 1}`;
    out.push(`#${s.index + 1} ${t(s.eventDateTime)}  ${what}${leg}  ${s.outcome}${s.flag ? ` (${s.flag})` : ''}`);
    if (s.revision) {
      const shift =
        s.revision.p90ShiftH === null ? '' : `  (P90 ${s.revision.p90ShiftH >= 0 ? '+' : ''}${s.revision.p90ShiftH} h)`;
      out.push(`    rev ${s.revision.revision}  ${band(s.revision)}${shift}`);
      for (const a of s.revision.alerts) out.push(`    ALERT ${a.kind}: ${a.message}`);
    }
  }
  out.push(`final     rev ${r.final.revision}  ${band(r.final)}  (${r.alerts} alert${r.alerts === 1 ? '' : 's'})`);
  return out.join('\n');
}

export const registerReplayCommand: RegisterCommand = (program, cli) => {
  program
    .command('replay')
    .description('run a recorded or simulated DCSA event stream through the live forecast: ETA revisions and alerts')
    .argument(
      '<file>',
      'replay file: JSON {format, plan, itinerary, reference, events} or NDJSON (docs/formats/replay.md)',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      if (!existsSync(file)) throw new UsageError(`no such file ${file}`);
      const { header, events } = parseReplayFile(file, readFileSync(file, 'utf8'));
      const r = await replay(cli.service(), header, events);
      cli.out(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${formatReplay(r)}\n`);
    });
};
