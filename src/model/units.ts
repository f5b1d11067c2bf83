/** Hours, as a real number. */
export type Hours = number;
/** Kilometres along the actual alignment (not great-circle unless labelled). */
export type Km = number;
/** United States dollars. */
export type Usd = number;
/** Kilograms of CO2-equivalent, well-to-wheel unless labelled otherwise. */
export type KgCo2e = number;
/** ISO 3166-1 alpha-2 country code, upper case. */
export type CountryCode = string;
/** A location id: a UN/LOCODE (5 characters, e.g. DEDUI) or a project code `CC-NAME` (e.g. KZ-ALTYNKOL). */
export type LocationId = string;

export const HOURS_PER_DAY = 24;
export const KM_PER_NAUTICAL_MILE = 1.852;
