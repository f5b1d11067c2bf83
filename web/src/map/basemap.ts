/**
 * The offline basemap: Natural Earth 1:50m land and borders from the `world-atlas` package,
 * converted to GeoJSON at build time (basemap-plugin.ts) and served from this origin. No tile
 * server and no request leaves this origin.
 */
import { bordersUrl, landUrl, waterCellDeg, waterUrl } from 'virtual:basemap';
import type { WaterGrid } from './sea-lanes';

export interface Basemap {
  landUrl: string;
  bordersUrl: string;
}

/** Absolute URLs: MapLibre fetches them from its worker, which has no base URL of its own. */
export const BASEMAP: Basemap = {
  landUrl: new URL(landUrl, window.location.href).href,
  bordersUrl: new URL(bordersUrl, window.location.href).href,
};

/** The sea lanes' water grid (see sea-lanes.ts), fetched once. */
export async function loadWaterGrid(): Promise<WaterGrid> {
  const res = await fetch(waterUrl);
  if (!res.ok) throw new Error(`the water grid (${waterUrl}) did not load: HTTP ${res.status}`);
  const land = new Uint8Array(await res.arrayBuffer());
  const width = Math.round(360 / waterCellDeg);
  const height = Math.round(180 / waterCellDeg);
  if (land.length !== Math.ceil((width * height) / 8))
    throw new Error(
      `the water grid has ${land.length} bytes, not the ${Math.ceil((width * height) / 8)} a ` +
        `${waterCellDeg}° grid needs`,
    );
  return { width, height, cellDeg: waterCellDeg, west: -180, north: 90, land };
}
