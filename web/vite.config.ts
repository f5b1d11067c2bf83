/**
 * Vite build of the web planner into dist/web (served by the API at `/`). `npx vite web` runs a
 * dev server that proxies the API to a `corridor serve` on localhost:8080.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { basemapPlugin } from './basemap-plugin.ts';

const api = process.env.CORRIDOR_API ?? 'http://localhost:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  plugins: [basemapPlugin()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // MapLibre alone is ~800 kB minified; the page is served locally, so one chunk is fine.
    chunkSizeWarningLimit: 1600,
    // The basemap files stay separate, fetched by the map's worker and cached.
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': api, '/openapi.json': api, '/problems': api } },
});
