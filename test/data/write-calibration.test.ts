/**
 * Fitted values written back into the data files: only the fitted number changes, a `calibrated`
 * block names the prior and the observations, a re-write keeps the first prior, and the loader
 * checks the class (never on a sourced figure; observations that exist) and counts it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { calibrateChargeText, calibrateDwellText, roundFitted } from '../../src/data/write-calibration.js';
import { DEFAULT_DATA, mutatedCopy } from '../helpers/tmp-dataset.js';

const TARIFF = `legCharges:
- id: rail-a
  description: a rail charge
  amount:
    value: 0.12
    assumption: >-
      no published per-km rate; set so that a lane lands in range
    basis:
    - ey-2024-04-titr
  'on':
    modes:
    - rail
- id: sea-b
  amount:
    value: 850
    source: some-source
`;

describe('writing a fitted charge', () => {
  it('changes the value, adds the calibration and leaves every other line as it was', () => {
    const r = calibrateChargeText(TARIFF, { chargeId: 'rail-a', factor: 1.5, observations: ['obs-2', 'obs-1'] });
    expect(r?.value).toBe(0.18);
    expect(r?.prior).toBe(0.12);
    const text = r?.text ?? '';
    expect(text).toContain('    value: 0.18\n    calibrated:\n      prior: 0.12\n');
    expect(text).toContain('      observations:\n      - obs-1\n      - obs-2\n');
    const removed = TARIFF.split('\n').filter((l) => !text.split('\n').includes(l));
    expect(removed).toEqual(['    value: 0.12']);
    // A second fit starts from the same prior and replaces the block.
    const again = calibrateChargeText(text, { chargeId: 'rail-a', factor: 2, observations: ['obs-3'] });
    expect(again?.prior).toBe(0.12);
    expect(again?.value).toBe(0.24);
    expect(again?.text.match(/calibrated:/g)).toHaveLength(1);
    expect(again?.text).not.toContain('obs-1');
  });

  it('never fits a sourced amount, nor a charge the file lacks', () => {
    expect(calibrateChargeText(TARIFF, { chargeId: 'sea-b', factor: 2, observations: ['x'] })).toBeNull();
    expect(calibrateChargeText(TARIFF, { chargeId: 'nope', factor: 2, observations: ['x'] })).toBeNull();
  });

  it('rounds to four significant figures', () => {
    expect(roundFitted(1234.567)).toBe(1235);
    expect(roundFitted(0.0123456)).toBe(0.01235);
  });
});

describe('writing a fitted dwell', () => {
  const TRANSFERS = `transfers:
  - location: GEGAR
    kind: border
    durationH:
      min: 4
      typical: 36
      max: 120
      assumption: >-
        unsourced border dwell
    costUsdPerTeu:
      value: 40
      assumption: border formalities per TEU; no published charge
`;
  it('sets the typical dwell of the stop of that place and kind, with its calibration', () => {
    const fit = {
      location: 'GEGAR',
      kind: 'border',
      min: 4,
      typical: 10,
      max: 120,
      prior: 36,
      observations: ['time-a'],
    };
    const text = calibrateDwellText(TRANSFERS, fit) ?? '';
    expect(text).toContain('      typical: 10\n      max: 120\n      calibrated:\n        prior: 36\n');
    expect(text).toContain('      value: 40\n');
    expect(calibrateDwellText(TRANSFERS, { ...fit, kind: 'handling' })).toBeNull();
  });
});

describe('the calibrated provenance class in the loader', () => {
  const file = 'transfers/core.yaml';
  const calibratedRasht = (ids: string[]) => {
    const dir = mutatedCopy(DEFAULT_DATA, {});
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const r = calibrateDwellText(text, {
      location: 'GE-AKHALKALAKI-NONE',
      kind: 'border',
      min: 0,
      typical: 0,
      max: 0,
      prior: 0,
      observations: ids,
    });
    expect(r).toBeNull();
    const gardabani = calibrateDwellText(text, {
      location: 'GEGAR',
      kind: 'border',
      min: 4,
      typical: 12,
      max: 120,
      prior: 36,
      observations: ids,
    });
    writeFileSync(path, gardabani ?? '');
    return loadDataset(dir);
  };

  it('counts a calibrated figure as its own class', () => {
    const before = loadDataset(DEFAULT_DATA).provenance;
    const after = calibratedRasht(['time-poti-baku-2014-07']);
    expect(after.errors).toEqual([]);
    expect(after.provenance.calibrated).toBe(before.calibrated + 3);
    expect(after.provenance.assumptions).toBe(before.assumptions - 3);
    expect(after.dataset.transfers.find((t) => t.location === 'GEGAR')?.durationH.typical).toBe(12);
  });

  it('an observation id that does not exist is an error naming file, path and id', () => {
    const r = calibratedRasht(['time-nowhere']);
    const e = r.errors.find((x) => x.code === 'unknown-observation');
    expect(e?.file).toBe(file);
    expect(e?.message).toContain('time-nowhere');
  });

  it('calibrated on a sourced figure is rejected', () => {
    const dir = mutatedCopy(DEFAULT_DATA, {
      'indices/drewry-wci.yaml': [
        [
          '{ date: "2023-03-16", value: 1553, source: drewry-wci-2023-03-16,',
          '{ date: "2023-03-16", value: 1553, calibrated: {prior: 1, observations: [x]}, ' +
            'source: drewry-wci-2023-03-16,',
        ],
      ],
    });
    const r = loadDataset(dir);
    expect(r.errors.length).toBeGreaterThan(0);
  });
});
