/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser): a fresh profile per
 * launch, and every request that would leave localhost aborted and recorded, so a test can assert
 * that the page works offline and asks nothing of the outside world.
 */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or null when they can. In CI a missing browser is a failure, not a skip. */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI)
    throw new Error(
      `${CHROMIUM} is missing and CI is set: install Debian's chromium (apt-get install -y chromium); .ci/run does`,
    );
  return (
    `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` to run the browser tests ` +
    `(skipped; they are required in CI)`
  );
}

export interface TestBrowser {
  /** Requests to anywhere but localhost / 127.0.0.1 / [::1], aborted. */
  blocked: string[];
  /** Console errors, uncaught page errors and failed local requests. */
  errors: string[];
  /**
   * Takes out the console errors matching `pattern` (at least one must be there): for an error
   * response the test itself provoked, which Chromium logs as "Failed to load resource".
   */
  expectedErrors(pattern: RegExp): string[];
  /** A page in a fresh context (own cookies and storage) with this viewport. */
  newPage(opts: { width: number; height: number; mobile?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Playwright starts the browser with a fresh temporary profile (--user-data-dir) of its own and
 * removes it on close.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const blocked: string[] = [];
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    blocked,
    errors,
    expectedErrors(pattern) {
      const hits = errors.filter((e) => pattern.test(e));
      if (hits.length === 0)
        throw new Error(`expected a console error matching ${pattern}; got ${JSON.stringify(errors)}`);
      for (const h of hits) errors.splice(errors.indexOf(h), 1);
      return hits;
    },
    async newPage({ width, height, mobile = false }) {
      const context = await browser.newContext({
        viewport: { width, height },
        deviceScaleFactor: mobile ? 2 : 1,
        isMobile: mobile,
        hasTouch: mobile,
        locale: 'en-GB',
        timezoneId: 'UTC',
        serviceWorkers: 'block',
      });
      contexts.push(context);
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (/^(https?|wss?):$/.test(url.protocol) && !LOCAL.has(url.hostname)) {
          blocked.push(url.href);
          return route.abort('blockedbyclient');
        }
        return route.continue();
      });
      const page = await context.newPage();
      page.on('console', (m: ConsoleMessage) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location().url}:${m.location().lineNumber})`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => {
        const url = new URL(r.url());
        if (LOCAL.has(url.hostname) && r.failure()?.errorText !== 'net::ERR_ABORTED')
          errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
      });
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}
