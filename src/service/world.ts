/**
 * The world a request is answered in. A `World` is one revision of the effective dataset (the data
 * files plus the operator publications applied) and, per scenario selection, everything the engines
 * need — the scenario's dataset (overlay applied), its compiled network and its timetable — built
 * once on first use and cached by the selection's key (scenario names and stored versions).
 *
 * A World never changes: when publications change, the owner builds a new World and swaps the
 * reference in one assignment, so a request that awaits keeps answering from the World it started
 * with and can never read the dataset of one revision and the network of another.
 */
import type { PricedDataset } from '../model/pricing-types.js';
import type { Scenario } from '../model/types.js';
import { compileNetwork, type CompiledNetwork } from '../network/compile.js';
import { compileTimetable, type CompiledTimetable } from '../schedule/timetable.js';
import { applyScenarios, type AppliedScenario } from '../scenario/apply.js';
import { describeStatus, type StatusInEffect } from '../scenario/dated.js';
import type { Publication } from '../scenario/publications.js';
import { Lru } from './lru.js';

/** One scenario of a selection: a dataset file, or a stored (custom) one with its version. */
export interface ScenarioRef {
  name: string;
  source: 'dataset' | 'custom';
  /** Stored scenarios: the version, part of every cache key (a new version recompiles). 0 for files. */
  version: number;
  scenario: Scenario;
  /** A dated status the request's date brought in (not named by the caller). */
  dated?: boolean;
}

/** Scenarios composed left to right (`--scenario a,b`, `scenario=a,b`); none is the base network. */
export interface ScenarioSelection {
  refs: readonly ScenarioRef[];
}

export const BASE_SELECTION: ScenarioSelection = { refs: [] };

/** The cache key of a selection: names, with the version of stored ones. */
export function selectionKey(s: ScenarioSelection): string {
  return s.refs.map((r) => (r.source === 'custom' ? `${r.name}@${r.version}` : r.name)).join(',');
}

/** How answers name the selection: `null` for the base network, else the names joined by commas. */
export function selectionLabel(s: ScenarioSelection): string | null {
  const named = s.refs.filter((r) => r.dated !== true);
  return named.length === 0 ? null : named.map((r) => r.name).join(',');
}

/** The dated statuses of a selection, as answers list them. */
export function selectionStatuses(s: ScenarioSelection): StatusInEffect[] {
  return s.refs.filter((r) => r.dated === true).map((r) => describeStatus(r.scenario));
}

/** The world of one scenario selection: immutable, compiled once. */
export class ScenarioWorld {
  private tt: CompiledTimetable | undefined;
  constructor(
    readonly selection: ScenarioSelection,
    /** The scenario's overlay (changes, chain, default demand set and scale). */
    readonly applied: AppliedScenario,
    /** The dataset as the scenario sees it (pricing files travel along). */
    readonly dataset: PricedDataset,
    readonly network: CompiledNetwork,
  ) {}

  get label(): string | null {
    return selectionLabel(this.selection);
  }

  /** The services compiled onto the network (first use compiles). */
  get timetable(): CompiledTimetable {
    this.tt ??= compileTimetable(this.network, this.dataset);
    return this.tt;
  }
}

export class World {
  private readonly scenarios = new Lru<string, ScenarioWorld>(16);

  constructor(
    /** The effective dataset: the files plus the publications applied. */
    readonly dataset: PricedDataset,
    /** Publication revision (0: the files only). */
    readonly revision = 0,
    /** The publications applied to `dataset`. */
    readonly publications: readonly Publication[] = [],
  ) {}

  /** The base network: no scenario. */
  get base(): ScenarioWorld {
    return this.scenario(BASE_SELECTION);
  }

  /** The world of a scenario selection, compiled on first use and cached by its key. */
  scenario(selection: ScenarioSelection): ScenarioWorld {
    const key = selectionKey(selection);
    let w = this.scenarios.get(key);
    if (!w) {
      w = this.build(selection);
      this.scenarios.set(key, w);
    }
    return w;
  }

  private build(selection: ScenarioSelection): ScenarioWorld {
    const custom = selection.refs.filter((r) => r.source === 'custom').map((r) => r.scenario);
    // A stored scenario joins the dataset's scenario list, so it applies exactly like a file.
    const withCustom: PricedDataset =
      custom.length === 0 ? this.dataset : { ...this.dataset, scenarios: [...this.dataset.scenarios, ...custom] };
    const applied = applyScenarios(
      withCustom,
      selection.refs.map((r) => r.name),
    );
    const dataset = applied.dataset as PricedDataset;
    const label = selectionLabel(selection);
    const network = compileNetwork(dataset, {
      ...(applied.name !== undefined ? { scenario: applied.name } : {}),
      ...(label !== null ? { label } : {}),
      inEffect: selectionStatuses(selection),
    });
    return new ScenarioWorld(selection, applied, dataset, network);
  }
}
