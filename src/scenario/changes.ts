/**
 * Applies a scenario's `changes` to a dataset: a pure overlay that returns a new dataset with the
 * selected transfers' dwell and the selected services' running time, headway or weather holds
 * replaced or scaled. The original is not modified. Link switching stays with the network
 * compiler (links name their scenarios). Each change is a selector plus property edits, the
 * shape a later "project card" overlay can extend.
 */
import type { Dataset, Distribution, Link, Quantity, ScenarioChange, Service, Transfer } from '../model/types.js';
import { must } from '../model/invariant.js';

/** Scales a distribution, keeping the provenance of the factor in an assumption note. */
function scaled(d: Distribution, f: Quantity): Distribution {
  const why = f.source !== undefined ? `source ${f.source}${f.ref ? ` (${f.ref})` : ''}` : f.assumption;
  return {
    min: d.min * f.value,
    typical: d.typical * f.value,
    max: d.max * f.value,
    assumption: `scenario factor ×${f.value} (${why}) applied to the base figure`,
    ...(d.source !== undefined ? { basis: [d.source] } : d.basis ? { basis: d.basis } : {}),
  };
}

function selectsTransfer(c: ScenarioChange, t: Transfer): boolean {
  const s = c.transfers;
  return (
    s !== undefined && (!s.locations || s.locations.includes(t.location)) && (!s.kinds || s.kinds.includes(t.kind))
  );
}

function selectsService(c: ScenarioChange, s: Service, links: ReadonlyMap<string, Link>): boolean {
  const sel = c.services;
  if (!sel) return false;
  if (sel.ids && !sel.ids.includes(s.id)) return false;
  if (sel.modes && !s.links.some((l) => must(sel.modes).includes(links.get(l)?.mode ?? 'rail'))) return false;
  return true;
}

function changeTransfer(t: Transfer, c: ScenarioChange): Transfer {
  if (c.set?.durationH) return { ...t, durationH: c.set.durationH };
  if (c.multiply?.durationH) return { ...t, durationH: scaled(t.durationH, c.multiply.durationH) };
  return t;
}

function changeService(s: Service, c: ScenarioChange, baseDurationH: () => Distribution): Service {
  let out = s;
  if (c.set?.durationH) out = { ...out, durationH: c.set.durationH };
  else if (c.multiply?.durationH)
    out = { ...out, durationH: scaled(out.durationH ?? baseDurationH(), c.multiply.durationH) };
  if (c.set?.headwayH && out.headwayH) out = { ...out, headwayH: c.set.headwayH };
  if (c.multiply?.headwayH) {
    const f = c.multiply.headwayH;
    if (out.headwayH) out = { ...out, headwayH: scaled(out.headwayH, f) };
    else if (out.timetable?.everyDays) {
      const n = Math.max(1, Math.round(out.timetable.everyDays.value * f.value));
      out = {
        ...out,
        timetable: {
          ...out.timetable,
          everyDays: {
            value: n,
            assumption:
              `scenario factor ×${f.value} applied to every ${out.timetable.everyDays.value} days, rounded to ` +
              `whole days`,
          },
        },
      };
    }
  }
  if (c.set?.weatherDelay) out = { ...out, weatherDelay: c.set.weatherDelay };
  return out;
}

/**
 * The dataset as the scenario sees it. Unknown scenario names and scenarios without changes return
 * the dataset itself (the caller validates names).
 */
export function applyScenarioChanges(ds: Dataset, scenario: string | undefined): Dataset {
  const sc = scenario === undefined ? undefined : ds.scenarios.find((s) => s.name === scenario);
  const changes = sc?.changes ?? [];
  if (changes.length === 0) return ds;
  const links = new Map(ds.links.map((l) => [l.id, l]));
  let transfers = ds.transfers;
  let services = ds.services ?? [];
  for (const c of changes) {
    if (c.transfers) transfers = transfers.map((t) => (selectsTransfer(c, t) ? changeTransfer(t, c) : t));
    if (c.services) {
      services = services.map((s) =>
        selectsService(c, s, links) ? changeService(s, c, () => nominalRun(s, links, transfers)) : s,
      );
    }
  }
  return { ...ds, transfers, services };
}

/**
 * The running time of a service from its data: link times plus the border dwell at the locations
 * it passes (min / typical / max), the default that `multiply: durationH` scales.
 */
function nominalRun(s: Service, links: ReadonlyMap<string, Link>, transfers: readonly Transfer[]): Distribution {
  const d = { min: 0, typical: 0, max: 0 };
  let here = s.from;
  s.links.forEach((id, i) => {
    const l = links.get(id);
    if (!l) return;
    const h = l.durationH?.value ?? l.distanceKm.value / (l.speedKmh?.value ?? Number.NaN);
    d.min += h;
    d.typical += h;
    d.max += h;
    here = l.from === here ? l.to : l.from;
    const border =
      i < s.links.length - 1 ? transfers.find((t) => t.location === here && t.kind === 'border') : undefined;
    if (border) {
      d.min += border.durationH.min;
      d.typical += border.durationH.typical;
      d.max += border.durationH.max;
    }
  });
  return { ...d, assumption: 'running time of the service links plus the border dwell en route' };
}
