/**
 * The offline basemap: Natural Earth 1:50m land and borders from the `world-atlas` package,
 * converted to GeoJSON at build time (basemap-plugin.ts) and served from this origin. No tile
 * server and no request leaves this origin.
 */
import { bordersUrl, landUrl } from 'virtual:basemap';

export interface Basemap {
  landUrl: string;
  bordersUrl: string;
}

/** Absolute URLs: MapLibre fetches them from its worker, which has no base URL of its own. */
export const BASEMAP: Basemap = {
  landUrl: new URL(landUrl, window.location.href).href,
  bordersUrl: new URL(bordersUrl, window.location.href).href,
};
