/**
 * `--scenario NAME` for every command: the dataset of that scenario's world (overlay applied before
 * the network is compiled). Commands on other branches (plan, quote) use this too.
 */
import { isCorridorError } from '../model/errors.js';
import type { Dataset } from '../model/types.js';
import { applyScenario, type AppliedScenario } from '../scenario/apply.js';
import { UsageError } from './errors.js';

export function scenarioDataset(dataset: Dataset, name: string | undefined): AppliedScenario {
  if (name !== undefined && !dataset.scenarios.some((s) => s.name === name)) {
    throw new UsageError(`--scenario: unknown scenario "${name}"; valid: ${dataset.scenarios.map((s) => s.name).sort().join(', ') || '(none)'}`);
  }
  try {
    return applyScenario(dataset, name);
  } catch (e) {
    if (isCorridorError(e)) throw new UsageError(`--scenario ${name}: ${e.message}`);
    throw e;
  }
}
