import type { Km } from './units.js';

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance: a lower bound for any surface route between two points. */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): Km {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
