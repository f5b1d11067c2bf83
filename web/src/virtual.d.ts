/** Provided by web/basemap-plugin.ts. */
declare module 'virtual:basemap' {
  export const landUrl: string;
  export const bordersUrl: string;
}
