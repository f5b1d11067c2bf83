/**
 * Dated statuses: scenario files with an `inEffect` window (a border closed for two weeks, the Red
 * Sea diversions) that a route, quote or plan for a date inside the window applies without being
 * asked, so an answer for a date sees the network of that date. Pure; no IO.
 */
import { dayOf } from '../model/iso-time.js';
import type { Scenario, StatusInEffect } from '../model/types.js';

export type { StatusInEffect };

/** The statuses in effect on `date` (YYYY-MM-DD), oldest first (then by name): the order they apply in. */
export function statusesOn(scenarios: readonly Scenario[], date: string): Scenario[] {
  return scenarios
    .filter((s) => s.inEffect !== undefined && s.inEffect.from <= date && (s.inEffect.to ?? '9999-12-31') >= date)
    .sort((a, b) => (a.inEffect?.from ?? '').localeCompare(b.inEffect?.from ?? '') || a.name.localeCompare(b.name));
}

export function describeStatus(s: Scenario): StatusInEffect {
  return { name: s.name, title: s.title, from: s.inEffect?.from ?? '', to: s.inEffect?.to ?? null };
}

/**
 * The date whose network a request sees: the ready date of a shipment (the day it starts moving),
 * else the quote date, else today. A trip that runs past a status's end keeps the network of its
 * start: statuses are days to weeks long, and one network per answer keeps options comparable.
 */
export function networkDate(req: { ready?: string | undefined; date?: string | undefined }, today: string): string {
  return (req.ready !== undefined ? dayOf(req.ready) : undefined) ?? req.date ?? today;
}
