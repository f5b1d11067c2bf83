/**
 * `--scenario NAME` for every command: the dataset of that scenario's world (overlay applied before
 * the network is compiled). `--scenario A,B` composes scenarios left to right, like a scenario file
 * with `extends: [A, B]`. Commands on other branches (plan, quote) use this too.
 */
import { isCorridorError } from '../model/errors.js';
import type { Dataset } from '../model/types.js';
import { applyScenario, applyScenarios, type AppliedScenario } from '../scenario/apply.js';
import { UsageError } from './errors.js';

/** Extra fields of the dataset (pricing files, …) travel along: the overlay copies the dataset. */
export function scenarioDataset<D extends Dataset>(
  dataset: D,
  spec: string | undefined,
): AppliedScenario & { dataset: D } {
  return applied(dataset, spec) as AppliedScenario & { dataset: D };
}

function applied(dataset: Dataset, spec: string | undefined): AppliedScenario {
  if (spec === undefined) return applyScenario(dataset, undefined);
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !dataset.scenarios.some((s) => s.name === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--scenario: unknown scenario ${unknown.map((n) => `"${n}"`).join(', ') || '""'}; valid: ${
        dataset.scenarios
          .map((s) => s.name)
          .sort()
          .join(', ') || '(none)'
      }`,
    );
  }
  try {
    return applyScenarios(dataset, names);
  } catch (e) {
    if (isCorridorError(e)) throw new UsageError(`--scenario ${spec}: ${e.message}`);
    throw e;
  }
}
