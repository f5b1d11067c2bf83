/** A timed plan of the default dataset prepared for the live forecast (first itinerary). */
import { compileNetwork } from '../../src/network/compile.js';
import { planWithPaths } from '../../src/schedule/plan.js';
import { compileTimetable } from '../../src/schedule/timetable.js';
import { type ForecastPlan, forecastPlan } from '../../src/tracking/forecast.js';
import { loadOnce } from './api.js';
import { DEFAULT_DATA } from './tmp-dataset.js';

export function trackingPlan(from: string, to: string, ready: string): ForecastPlan {
  const ds = loadOnce(DEFAULT_DATA).dataset;
  const tt = compileTimetable(compileNetwork(ds), ds);
  const { paths, readyH } = planWithPaths(tt, { from, to, ready, samples: 1 });
  const path = paths[0];
  if (!path) throw new Error(`no plan ${from} → ${to}`);
  return forecastPlan(tt, path.steps, readyH);
}
