/**
 * Bench entries for the web planner (issue 8):
 * - `web network layer`: the GeoJSON of GET /api/v1/network built from the default dataset
 *   (networkGeoJson + JSON.stringify): what the first request per scenario costs (the server
 *   keeps the serialized answer afterwards). Target ≤ 20 ms.
 * - `web page load`: Debian's headless Chromium with software WebGL (SwiftShader, no GPU — the
 *   slowest realistic client) opens `/?from=Xi'an&to=Duisburg&avoid=RU` in a fresh context;
 *   time to the options listed and to the chosen route drawn on the map (MapLibre idle with the
 *   route rendered). Median over runs. The sizes of the built page are reported with it.
 * Neither has a peer: no other planner serves this network. Skipped when dist/web or
 * /usr/bin/chromium is missing.
 *
 * `webEntries({quick, log})` is what bench/run.js calls; `node bench/web.js [--quick]` runs it alone.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { median, timeRuns } from './lib/stats.js';
import { startBenchServer } from './server-child.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist');
const CHROMIUM = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function networkEntry(quick, log) {
  const { loadDataset, defaultDataDir } = await import(join(DIST, 'data', 'load.js'));
  const { networkGeoJson } = await import(join(DIST, 'api', 'network-geojson.js'));
  const ds = loadDataset(defaultDataDir()).dataset;
  let bytes = 0;
  const r = timeRuns(
    () => (bytes = JSON.stringify(networkGeoJson(ds, undefined)).length),
    quick
      ? { warmup: 5, minRuns: 20, maxRuns: 200, budgetMs: 500 }
      : { warmup: 20, minRuns: 50, maxRuns: 1000, budgetMs: 3000 },
  );
  log(`  web network layer: ${r.medianMs.toFixed(2)} ms (${(bytes / 1024).toFixed(0)} kB JSON)`);
  return {
    name:
      `web network layer (GeoJSON of ${ds.locations.length} locations, ${ds.links.length} links, ` +
      `${ds.passages.length} passages)`,
    oursMs: r.medianMs,
    peer: null,
    peerMs: null,
    ratio: null,
    bytes,
    reps: `${r.warmup} warm-up + ${r.runs} timed`,
    target: '≤ 20 ms',
    targetMet: r.medianMs <= 20,
  };
}

function pageSizes() {
  const dir = join(DIST, 'web', 'assets');
  const out = {};
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.map')) continue;
    const kind = f.endsWith('.js') ? 'js' : f.endsWith('.css') ? 'css' : f.startsWith('basemap-') ? 'basemap' : 'other';
    const raw = readFileSync(join(dir, f));
    out[kind] ??= { bytes: 0, gzipBytes: 0 };
    out[kind].bytes += statSync(join(dir, f)).size;
    out[kind].gzipBytes += gzipSync(raw).length;
  }
  return out;
}

async function pageEntry(quick, log) {
  const name = 'web page load (headless Chromium, software WebGL)';
  if (!existsSync(join(DIST, 'web', 'index.html')))
    return {
      name,
      oursMs: null,
      peer: null,
      peerMs: null,
      ratio: null,
      skipped: true,
      note: 'dist/web is missing: npm run build:web',
    };
  if (!existsSync(CHROMIUM))
    return {
      name,
      oursMs: null,
      peer: null,
      peerMs: null,
      ratio: null,
      skipped: true,
      note: `${CHROMIUM} is missing (apt-get install chromium)`,
    };
  const { chromium } = await import('playwright-core');
  const server = await startBenchServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const runs = quick ? 3 : 7;
  const optionsMs = [];
  const routeMs = [];
  try {
    for (let i = -1; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.route('**/*', (r) =>
        /^https?:\/\/(localhost|127\.0\.0\.1)[:/]/.test(r.request().url()) ? r.continue() : r.abort(),
      );
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${server.url}/?from=${encodeURIComponent("Xi'an")}&to=Duisburg&avoid=RU`);
      await page.locator('.options .option').first().waitFor({ timeout: 60_000 });
      const t1 = performance.now();
      await page.waitForFunction(() => Number(globalThis.document.getElementById('map').dataset.routeLegs) > 0, null, {
        timeout: 60_000,
      });
      const t2 = performance.now();
      await context.close();
      if (i < 0) continue; // warm-up: server caches, disk cache of the OS
      optionsMs.push(t1 - t0);
      routeMs.push(t2 - t0);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const sizes = pageSizes();
  log(`  ${name}: options ${median(optionsMs).toFixed(0)} ms, route drawn ${median(routeMs).toFixed(0)} ms`);
  return {
    name,
    oursMs: median(routeMs),
    peer: null,
    peerMs: null,
    ratio: null,
    optionsListedMs: median(optionsMs),
    routeDrawnMs: median(routeMs),
    runs,
    sizes,
    note:
      "navigation to /?from=Xi'an&to=Duisburg&avoid=RU until the options are listed and until the map has " +
      'rendered the chosen route; fresh browser context per run (no cache), 1280×800; software WebGL on 2 ' +
      'shared cores, so a machine with a GPU draws faster',
  };
}

/** @param {{quick?: boolean, log?: (s: string) => void}} opts */
export async function webEntries({ quick = false, log = () => {} } = {}) {
  log('\nweb planner');
  return [await networkEntry(quick, log), await pageEntry(quick, log)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const entries = await webEntries({ quick: process.argv.includes('--quick'), log: console.log });
  console.log(JSON.stringify(entries, null, 2));
}
