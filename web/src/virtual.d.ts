/** Provided by web/basemap-plugin.ts. */
declare module 'virtual:basemap' {
  export const landUrl: string;
  export const bordersUrl: string;
  /** One bit per cell, 1 = land; rows from 90°N, columns from 180°W. */
  export const waterUrl: string;
  export const waterCellDeg: number;
}
