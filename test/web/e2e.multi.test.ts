/**
 * The web planner end to end: `corridor serve` as a process on the default dataset, driven by
 * Debian's Chromium through playwright-core. Every request that would leave localhost is aborted
 * and recorded; the test fails if there was any, or any console error. Screenshots of the main
 * views go to test-output/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/api/web-page.js';
import { browserUnavailable, launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { corridorCli, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const SHOTS = new URL('../../test-output/screenshots/', import.meta.url).pathname;
const skip = browserUnavailable();
if (skip) console.warn(`web-e2e: ${skip}`);

let server: ServerProcess;
let browser: TestBrowser;
let db = '';
/** An admin key (one CLI call); the tests' other keys are made with it over HTTP, which is quicker. */
let adminKey = '';

beforeAll(async () => {
  if (skip) return;
  if (!existsSync(join(defaultWebDir(), 'index.html')))
    throw new Error('dist/web is not built: run `npm run build:web` (npm test does)');
  mkdirSync(SHOTS, { recursive: true });
  db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-web-e2e-')), 'c.sqlite')}`;
  const admin = corridorCli(['keys', 'create', '--role', 'admin', '--label', 'web-e2e', '--database', db]);
  if (admin.status !== 0) throw new Error(admin.stderr);
  adminKey = admin.stdout.trim();
  server = await startServerProcess({ DATABASE_URL: db, LOG_LEVEL: 'warn', JOB_POLL_MS: '100' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  if (skip) return;
  await browser?.close();
  await server?.stop();
  // Checked last, over every page of every test.
  expect(browser?.blocked ?? [], 'requests that tried to leave localhost').toEqual([]);
  expect(browser?.errors ?? [], 'console errors').toEqual([]);
});

/** The number of route features the map has rendered (set once the map is idle). */
/**
 * Functions below run in the page (the root tsconfig has no DOM types, and the page's CSP forbids
 * evaluating strings), so they reach the document through this minimal shape.
 */
type PageEl = { dataset: Record<string, string | undefined> };
type PageGlobal = {
  document: {
    getElementById(id: string): { dataset: Record<string, string | undefined> };
    documentElement: { scrollWidth: number; clientWidth: number };
  };
};
const routeDrawn = (page: Page) =>
  page.waitForFunction(
    () => Number((globalThis as unknown as PageGlobal).document.getElementById('map').dataset.routeLegs) > 0,
    null,
    { timeout: 30_000 },
  );

async function apiJson<T>(path: string): Promise<T> {
  const r = await fetch(`${server.url}${path}`);
  expect(r.status, path).toBe(200);
  return (await r.json()) as T;
}

/** A JSON request with a key; fails the test (with the answer) unless it succeeds. */
async function call(method: string, path: string, key: string, body?: unknown): Promise<any> {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  expect(r.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return JSON.parse(text);
}

const newKey = async (body: Record<string, string>): Promise<string> =>
  (await call('POST', '/api/v1/keys', adminKey, body)).key;

type Route = {
  options: { option: number; legs: { linkId: string }[]; totals: { durationH: number; countries: string[] } }[];
};

describe.skipIf(skip !== null)('web planner in Chromium', () => {
  it("plans Xi'an → Duisburg avoiding RU: options in days, the chosen route drawn on the map", async () => {
    const page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#map[data-ready]', { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}home-1280x800.png` });

    // Autocomplete: type, pick the suggestion with the keyboard.
    const from = page.getByRole('combobox', { name: 'From', exact: true });
    await from.fill('xian');
    await page.getByRole('option', { name: /Xi'an/ }).first().waitFor();
    await from.press('ArrowDown');
    await from.press('Enter');
    await expect.poll(() => from.inputValue()).toBe("Xi'an");
    await page.getByRole('combobox', { name: 'To', exact: true }).fill('Duisburg');
    const avoid = page.getByRole('combobox', { name: 'Avoid countries' });
    await avoid.fill('RU');
    await avoid.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: 'Remove Russia' }).count()).toBe(1);
    await page.getByLabel('Ready date').fill('2026-03-02');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();

    await page.locator('.options .option').first().waitFor();
    const api = await apiJson<Route>(`/api/v1/routes?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU`);
    expect(api.options.length).toBeGreaterThan(1);
    const daysTexts = await page.locator('.options .kpi-days').allTextContents();
    expect(daysTexts).toEqual(api.options.map((o) => `${(o.totals.durationH / 24).toFixed(1)} days`));
    expect(api.options.every((o) => !o.totals.countries.includes('RU'))).toBe(true);
    expect(new URL(page.url()).search).toBe('?from=Xi%27an&to=Duisburg&avoid=RU&ready=2026-03-02');

    // Timed itineraries (the schedules engine): departures with P50/P90 arrival, as the API gives them.
    const plan = await apiJson<{ itineraries: { departure: string; arrival: { p50: string | null } }[] }>(
      `/api/v1/plans?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU&ready=2026-03-02`,
    );
    expect(plan.itineraries.length).toBeGreaterThan(0);
    const departures = page.locator('.departures tbody tr');
    await expect.poll(() => departures.count(), { timeout: 30_000 }).toBe(plan.itineraries.length);
    expect(await page.locator('#drawer').textContent()).toMatch(/Arrival P50.*Arrival P90/);

    // Option 1 is chosen: its legs are drawn, and the map says so.
    await routeDrawn(page);
    await expect
      .poll(() => page.locator('#map').getAttribute('data-route-links'))
      .toBe(api.options[0]!.legs.map((l) => l.linkId).join(' '));
    expect(await page.locator('#map').getAttribute('aria-label')).toMatch(/Highlighted: option 1, Xi'an to Duisburg/);
    await expect.poll(() => page.getByRole('heading', { name: 'Option 1' }).count()).toBe(1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}plan-1280x800.png` });

    // The scatter chart has one button per option; choosing option 2 there updates list, URL and map.
    expect(await page.locator('svg.scatter .point').count()).toBe(api.options.length);
    await page.locator('svg.scatter .point[data-option="2"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('option')).toBe('2');
    await expect
      .poll(() => page.locator('#map').getAttribute('data-route-links'))
      .toBe(api.options[1]!.legs.map((l) => l.linkId).join(' '));
    expect(await page.locator('.option[aria-pressed="true"]').getAttribute('data-option')).toBe('2');
    const detail = page.locator('#drawer');
    await expect.poll(() => detail.getByRole('heading', { name: 'Option 2' }).count()).toBe(1);
    expect(await detail.textContent()).toMatch(/Kazakhstan/);
    // The itemised quote and the ISO 14083 footprint per leg (the tariff engine), for the shipment and date.
    await expect
      .poll(() => detail.textContent(), { timeout: 30_000 })
      .toMatch(/Itemised quote: USD [\d,]+For 1 × 40' container; tariff set .*, priced for 2026-03-02\./);
    expect(await detail.textContent()).toMatch(/ISO 14083.*footprint of 1 × 40' container/);
    // What was left out, with the reason.
    await page.locator('details.left-out summary').click();
    expect(await page.locator('.left-out').textContent()).toMatch(/crosses RU, an avoided country/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}plan-option-2-1280x800.png` });
  }, 120_000);

  it('restores a shared URL, and says what is wrong with a misspelt place', async () => {
    const page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/?from=CNXIA&to=DEDUI&avoid=RU&containers=3&option=2`);
    await page.locator('.options .option').first().waitFor();
    await expect.poll(() => page.locator('.option[aria-pressed="true"]').getAttribute('data-option')).toBe('2');
    expect(await page.getByLabel("Containers (40')").inputValue()).toBe('3');
    await expect
      .poll(() => page.locator('#drawer').textContent(), { timeout: 30_000 })
      .toMatch(/Itemised quote: USD [\d,]+For 3 × 40' containers/);
    await routeDrawn(page);

    await page.getByRole('combobox', { name: 'To', exact: true }).fill('Duisbrug');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const error = page.locator('.field-error').filter({ hasText: 'Duisbrug' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Did you mean .*Duisburg/);
    expect(await page.getByRole('combobox', { name: 'To', exact: true }).getAttribute('aria-invalid')).toBe('true');
    // The 404 answer (a problem with candidates) is the one console error this test provokes.
    expect(browser.expectedErrors(/404 \(Not Found\).*\/api\/v1\/routes\?from=CNXIA&to=Duisbrug/)).toHaveLength(1);
    await error.getByRole('button', { name: /Duisburg/ }).click();
    expect(await page.getByRole('combobox', { name: 'To', exact: true }).inputValue()).toBe('Duisburg');

    // The server gone mid-session: the page says so instead of hanging or showing stale results.
    await page.route('**/api/v1/routes?**', (r) => r.abort('failed'));
    await page.getByRole('combobox', { name: 'To', exact: true }).fill('Istanbul');
    await page.getByRole('button', { name: 'Plan', exact: true }).click();
    const down = page.locator('.error-box');
    await down.waitFor();
    expect(await down.textContent()).toMatch(
      /Could not plan this route\. Planning: the Corridor server cannot be reached/,
    );
    expect(await page.locator('.options').count()).toBe(0);
    expect(await page.locator('#map').getAttribute('data-route-links')).toBe('');
    await page.unroute('**/api/v1/routes?**');
    browser.expectedErrors(/\/api\/v1\/routes\?from=CNXIA&to=Istanbul&avoid=RU/);
  }, 60_000);

  it('compares the base network with zangezur-open: links switched on, per-lane deltas, routes on the ' +
    'map, a job with progress', async () => {
    const key = await newKey({ role: 'planner', label: 'web-e2e' });
    const page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Compare scenarios' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('compare');
    const lanes = page.locator('.lane-list .lane');
    await lanes.first().waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Scenario B').inputValue()).toBe('zangezur-open');
    const scenario = await apiJson<{ switchesOn: string[] }>('/api/v1/scenarios/zangezur-open');
    expect(await page.locator('.diff').textContent()).toContain(`B switches on ${scenario.switchesOn.length} link(s)`);
    expect(await lanes.count()).toBeGreaterThanOrEqual(4);
    const rerouted = lanes.filter({ hasText: 'rerouted in B' });
    expect(await rerouted.count()).toBeGreaterThan(0);
    await rerouted.first().getByRole('button').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('lane_sel')).not.toBeNull();
    await routeDrawn(page);
    expect(await page.locator('#map').getAttribute('aria-label')).toMatch(/scenario A dashed, B in colour/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}compare-1280x800.png` });

    // Jobs need a key with the planner role; the page says so until one is given.
    expect(await page.locator('#flows-h ~ p').last().textContent()).toMatch(
      /Jobs need an API key with the planner role/,
    );
    await page.getByRole('button', { name: 'API key' }).click();
    await page.getByLabel('Key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Save' }).click();

    // The flows engine: the assignment of a demand set in A and B, with progress, bottlenecks and a Sankey.
    const demandSets = await apiJson<{ demand: { name: string }[] }>('/api/v1/demand');
    expect(await page.getByLabel('Demand set').inputValue()).toBe(
      demandSets.demand.some((d) => d.name === 'trains-2029') ? 'trains-2029' : '',
    );
    await page.getByRole('button', { name: 'Run the capacity-constrained assignment for A and B' }).click();
    const flows = page.locator('.flows');
    await flows.waitFor({ timeout: 90_000 });
    expect(await flows.textContent()).toMatch(/Bottlenecks in base.*Bottlenecks in zangezur-open/);
    expect(await flows.locator('svg.sankey .sankey-band').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#map').getAttribute('data-flow-links'), { timeout: 30_000 }).not.toBe('0');
    await page.locator('#flows-h').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SHOTS}compare-flows-1280x800.png` });

    // The network-wide comparison as two route-matrix jobs, with progress.
    await page.getByRole('button', { name: 'Compare every pair of places' }).click();
    await expect.poll(() => page.locator('#matrix-h ~ div .job progress').count()).toBe(2);
    const table = page.locator('#matrix-h ~ div table');
    await table.waitFor({ timeout: 60_000 });
    expect(await page.locator('#matrix-h ~ div .job-message').allTextContents()).toEqual(['done', 'done']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}compare-jobs-1280x800.png` });
  }, 120_000);

  it("books Xi'an → Baku with a shipper key, operators confirm (board and API), the shipment page follows " +
    'an event live', async () => {
    const shipper = await newKey({ role: 'planner', label: 'shipper' });
    const chinaRailway = await newKey({ role: 'operator', operator: 'china-railway' });
    const setKey = async (page: Page, key: string) => {
      await page.locator('#settings-button').click();
      await page.getByLabel('Key', { exact: true }).fill(key);
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('#settings').waitFor({ state: 'hidden' });
    };
    // Holds are checked against the real clock: plan for tomorrow.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(`${server.url}/?from=CNXIA&to=AZBAK&ready=${tomorrow}`);
    await setKey(page, shipper);
    const bookButton = page.locator('#drawer button[data-routing]');
    await bookButton.waitFor({ timeout: 30_000 });
    const routing = await bookButton.getAttribute('data-routing');
    await bookButton.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('booking') ?? '').toMatch(/^BR/);
    const ref = new URL(page.url()).searchParams.get('booking') ?? '';
    const rows = page.locator('.booking-legs tbody tr');
    await rows.first().waitFor();
    const booking = await call('GET', `/api/v1/bookings/${ref}`, shipper);
    expect(booking.routingReference).toBe(routing);
    expect(booking.bookingStatus).toBe('RECEIVED');
    expect(await page.locator('.booking-status').textContent()).toContain('RECEIVED');
    const statuses = () => rows.evaluateAll((rs) => rs.map((r) => (r as unknown as PageEl).dataset.status));
    expect(await statuses()).toEqual(booking.legs.map((l: { status: string }) => l.status));
    // Every leg is held at once (a leg without published capacity: on request, its operator answers).
    expect(booking.legs[0].status).toBe('held');
    expect(booking.legs.every((l: { status: string }) => ['held', 'on-request'].includes(l.status))).toBe(true);
    const countdown = page.locator('.hold .countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => countdown.textContent()).not.toBe(first);

    // Every operator but China Railway answers through the API, each with its own key.
    const others = [...new Set<string>(booking.legs.map((l: { operators: string[] }) => l.operators[0]))].filter(
      (o) => o !== 'china-railway',
    );
    for (const op of others) {
      const key = await newKey({ role: 'operator', operator: op });
      await call('POST', `/api/v1/operators/${op}/bookings/${ref}/confirm`, key, {});
    }
    // China Railway on its departures board: the departure with the held slots, the booking to confirm.
    await setKey(page, chinaRailway);
    await page.locator('.tabs a[data-view="bookings"]').click();
    await page.getByLabel('Operator', { exact: true }).selectOption('china-railway');
    const dep = page.locator(`.departures-board tr[data-departure="${booking.legs[0].departure}"]`);
    await dep.waitFor();
    expect(await dep.locator('.held').textContent()).toBe(String(booking.legs[0].teu));
    const row = page.locator(`.operator-bookings tr[data-booking="${ref}"]`);
    await row.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('CONFIRMED');
    expect(await dep.locator('.booked').textContent()).toBe(String(booking.legs[0].teu));
    await page.screenshot({ path: `${SHOTS}bookings-board-1280x800.png` });

    // The shipper's booking page: CONFIRMED, and live — an event moves the container and the forecast.
    await setKey(page, shipper);
    // The board, still on China Railway, asks with the shipper's key: 403, said on the page.
    await expect.poll(() => page.locator('.board .error-box').textContent()).toMatch(/operator/);
    browser.expectedErrors(/403 \(Forbidden\).*\/api\/v1\/operators\/china-railway\/bookings/);
    await page.locator('.my-bookings a', { hasText: ref }).click();
    await expect.poll(() => page.locator('.booking-status').textContent()).toContain('CONFIRMED');
    await page.locator('.live[data-live="true"]').waitFor();
    const departed = new Date(Date.parse(booking.legs[0].departureTime) + 1_800_000).toISOString();
    await call('POST', '/v2/events', chinaRailway, {
      eventID: '0b6a4c1e-3f5d-4e8a-9c2b-7d1e5f3a9b01',
      eventType: 'TRANSPORT',
      eventClassifierCode: 'ACT',
      transportEventTypeCode: 'DEPA',
      eventDateTime: departed,
      eventCreatedDateTime: departed,
      transportCall: { transportCallID: 'web-e2e-1', modeOfTransport: 'RAIL', UNLocationCode: booking.legs[0].from },
      documentReferences: [{ documentReferenceType: 'BKG', documentReferenceValue: ref }],
    });
    await expect.poll(() => page.locator('#map').getAttribute('data-position')).toBe(booking.legs[0].from);
    expect(await page.locator('.milestones tr[data-milestone="1-departure"]').textContent()).toContain('+0.5 h');
    await page.locator('svg.eta-chart .eta-point').waitFor({ timeout: 30_000 });
    const eta = await call('GET', `/api/v1/bookings/${ref}/eta`, shipper);
    expect(eta.revisions).toHaveLength(1);
    expect(await page.locator('.position').textContent()).toMatch(/departed .* on leg 1/);
    await page.locator('.shipment').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}shipment-1280x800.png` });
  }, 90_000);

  it('works on a phone-sized screen', async () => {
    const page = await browser.newPage({ width: 390, height: 844, mobile: true });
    await page.goto(`${server.url}/?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU`);
    await page.locator('.options .option').first().waitFor();
    await routeDrawn(page);
    const overflow = await page.evaluate(() => {
      const d = (globalThis as unknown as PageGlobal).document.documentElement;
      return d.scrollWidth - d.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}plan-phone-390x844.png` });
    await page.locator('.options').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}plan-phone-results-390x844.png` });
    await page.getByRole('link', { name: 'Compare scenarios' }).click();
    await page.locator('.lane-list .lane').first().waitFor({ timeout: 30_000 });
    await page
      .locator('.lane-list .lane')
      .filter({ hasText: 'rerouted in B' })
      .first()
      .getByRole('button')
      .first()
      .click();
    await routeDrawn(page);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}compare-phone-390x844.png` });
  }, 90_000);
});
