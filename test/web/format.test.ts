/** How figures read on the page. */
import { describe, expect, it } from 'vitest';
import {
  addHoursToDate,
  co2,
  countryName,
  days,
  hours,
  localDateTime,
  mass,
  signed,
  usd,
  usdShort,
} from '../../web/src/format.js';

describe('format', () => {
  it('gives durations in days from two days on, in hours below', () => {
    expect(days(596.5)).toBe('24.9 days');
    expect(days(47.9)).toBe('47.9 h');
    expect(days(48)).toBe('2.0 days');
    expect(hours(12)).toBe('12 h');
    expect(hours(2.5)).toBe('2.5 h');
    expect(hours(96)).toBe('4.0 days');
  });
  it('gives money in whole USD and CO2e in t or kg', () => {
    expect(usd(2722.4)).toBe('USD 2,722');
    expect(co2(4561)).toBe('4.6 t CO2e');
    expect(co2(557)).toBe('557 kg CO2e');
    expect(mass(-1500)).toBe('-1.5 t');
    expect(usdShort(345_024_792.44)).toBe('USD 345.0 M');
    expect(usdShort(12_300)).toBe('USD 12,300');
  });
  it('signs differences, with ±0 inside the tolerance', () => {
    expect(signed(-22.8, hours, 0.05)).toBe('−22.8 h');
    expect(signed(851, usd)).toBe('+USD 851');
    expect(signed(0.01, hours, 0.05)).toBe('±0');
  });
  it('names countries and reads local times', () => {
    expect(countryName('KZ')).toBe('Kazakhstan');
    expect(countryName('XX')).toBe('XX');
    expect(localDateTime('2025-03-04T08:05:00+06:00')).toBe('4 Mar 2025, 08:05 (UTC+06:00)');
    expect(localDateTime('not a time')).toBe('not a time');
    expect(addHoursToDate('2025-03-01', 596.5)).toBe('2025-03-25');
  });
});
