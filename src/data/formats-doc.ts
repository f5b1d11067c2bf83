/**
 * Generates docs/formats/ from the zod schemas, so the documentation of the data format cannot
 * drift from what the loader accepts (a test compares the committed files with this output).
 */
import { z } from 'zod';
import { FILE_SCHEMAS } from './schema.js';
import { PRICING_FILE_INTRO, PRICING_FILE_SCHEMAS } from './schema-tariffs.js';
import { SeasonsFileSchema, ServicesFileSchema } from './schema-services.js';
import { ScenarioFileSchema } from './schema-scenarios.js';
import { CommoditiesFileSchema, DemandSetSchema } from './schema-demand.js';
import { ObservationsFileSchema } from './schema-observations.js';
import { must } from '../model/invariant.js';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  default?: unknown;
  format?: string;
};

const FILE_INTRO: Record<string, string> = {
  'sources.yaml':
    'The registry of sources. Every `source:` in the other files names an `id` here. Grades follow ' +
    'corridor-facts: P primary/official, S secondary press quoting an official, C commercial, A anecdotal.',
  'locations.yaml':
    'Places: cities, terminals, ports, dry ports, border crossings, gauge-change points. `id` is the ' +
    'UN/LOCODE where one exists (DEDUI, AZALA, GEPTI), otherwise a project code `CC-NAME` (KZ-ALTYNKOL). ' +
    '`aliases` make other spellings resolve ("Xian", "Constanta").',
  'links.yaml':
    'Line-haul connections between two locations. Exactly one of `durationH` and `speedKmh`. `countries` ' +
    'lists every country the link touches, in travel order from `from` to `to`. Links with a status ' +
    'other than `operational` are off unless a scenario named in `scenarios` is chosen.',
  'transfers.yaml':
    'What happens at a location: `handling` (change of mode), `gauge-change` (1435 ↔ 1520 mm, only ' +
    'possible where one is defined) and `border` (customs and train exchange, charged to every path ' +
    'passing through). Times are min / typical / max hours; routes use the typical value.',
  'passages.yaml':
    'Straits and canals. A route through a passage transits its `countries`; avoiding a country avoids its passages.',
  'corridors.yaml':
    'Route families. Every link names one in `corridor`; options are named after their `route` families ' +
    '(an `access` family is a feeder or shared section that does not name an option).',
  'rates.yaml':
    'First-approximation unit rates: the reference cargo (one 40-foot container), freight rates per ' +
    'TEU-km by mode, and well-to-wheel emission factors per tonne-km by mode and traction.',
  'services.yaml':
    'Departures over the links (optional file: without it every link is continuously available). A ' +
    'service starts at `from` and runs over `links` in travel order, all of one transport class. It is ' +
    'either scheduled (`timetable`: `weekdays` or `everyDays`, `departureTimes` in local time at `from`, ' +
    '`except`/`extra` dates) or departs when full (`headwayH`: hours between departures). ' +
    '`validFrom`/`validTo` bound its calendar. Links covered by a service in a direction can only be ' +
    'used by a service in that direction; the others are continuously available at their nominal running time.',
  'seasons/<file>.yaml':
    'Optional. Storm-day statistics of a sea area, month by month (`stormDays.jan` … `dec`, each with ' +
    'provenance). A service whose `weatherDelay.season` names one is held in month m with chance ' +
    'stormDays[m] ÷ days in m (instead of the flat `probability`); the planner adds the expected hold ' +
    '(chance × mean hold), the Monte Carlo samples it.',
  'scenarios/<name>.yaml':
    'One file per scenario ("project card"). Links name the scenarios that switch them on; the file may ' +
    'also edit the world: `links` (a selector such as `id`, `ids`, `corridor`, `mode`, `location` or ' +
    '`country`, plus changes: `enabled`, `capacityPerYear`/`capacityMultiplier`, ' +
    '`durationH`/`durationMultiplier`, `costUsdPerTeu`/`costMultiplier`), `transfers` (selected by ' +
    '`location` and/or `kind`: dwell, cost and capacity), `changes` (each selects `transfers` by ' +
    'locations and kinds or `services` by id and mode, and sets or multiplies `durationH`, `headwayH` or ' +
    '`weatherDelay`), `addLinks`, `addTransfers`, `avoidCountries`, and `demand` (`set`, `scale`). ' +
    '`extends` applies other scenarios first; on the command line `--scenario A,B` composes the same ' +
    'way. Multipliers are numbers with provenance like any other figure. A file with `inEffect` ' +
    '(`from`, optional `to`, inclusive days, with the provenance of the dates) is a dated status: routes, ' +
    'quotes and plans dated inside the window (the ready date, else the quote date, else today) apply it ' +
    "unasked, before the caller's scenarios, and list it in `query.inEffect`; stored scenarios cannot carry one.",
  'demand/<name>.yaml':
    'Demand sets: origin–destination flows per commodity and year, each `perYear` in TEU, t or trains ' +
    '(converted with commodities.yaml). `corridor assign --demand <name>` assigns one; a scenario may ' +
    'name one as its default.',
  'commodities.yaml':
    'Commodities (value of time, cost of unserved demand) and the unit conversions of the flow model: ' +
    'TEU per train and per wagon, tonnes per TEU, operating days per year. Needed by `assign`, `scenario ' +
    'diff` and `report bulletin`; optional otherwise.',
  'observations/<topic>.yaml':
    'Published, dated observations the model is measured against by `corridor calibrate` (optional): ' +
    'transit times, prices, dwell, volumes and capacities, each with its source, date, regime and published ' +
    'range. They are not model inputs and carry their provenance per record (`source`), so they are not ' +
    "counted by `corridor validate`'s provenance totals. A place the network lacks is a warning; calibrate " +
    'counts such an observation as a 100% miss.',
};

const QUANTITY_NOTE =
  'Every number is an object carrying its provenance: `{value, source, ref?}` where `source` is an id ' +
  'from sources.yaml, or `{value, assumption, basis?}` where `assumption` gives the reasoning (at ' +
  'least 20 characters). A number with neither is rejected. A third class, **calibrated**, is an ' +
  'assumption whose value was fitted to observations by `corridor calibrate --fit --write`: it keeps its ' +
  '`assumption` (what the figure is) and adds `calibrated: {prior, observations, method?}` — the value before ' +
  'the fit and the ids of the observations (data/observations/) it was fitted to; a re-fit and its ' +
  'cross-validation start again from `prior`. A dwell (`durationH`) is fitted in its typical value only, ' +
  'within its own `min` and `max`. `source` and `calibrated` together are rejected (a sourced figure is never ' +
  'fitted), and `corridor validate` counts calibrated figures apart from sourced ones and assumptions.';

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && s.properties && 'value' in s.properties) return 'quantity';
  if (s.type === 'object' && s.properties && 'typical' in s.properties) return 'min/typical/max';
  if (s.type === 'object' && s.properties && 'lat' in s.properties) return 'coordinates';
  if (s.type === 'object') return 'object';
  return String(s.type ?? 'any');
}

function rows(s: JsonSchema, prefix: string, out: string[]): void {
  const props = s.properties ?? {};
  for (const [name, p] of Object.entries(props)) {
    const req = s.required?.includes(name) && p.default === undefined ? 'yes' : 'no';
    const notes = [
      p.description,
      p.pattern ? `pattern \`${p.pattern}\`` : undefined,
      p.minimum !== undefined ? `≥ ${p.minimum}` : undefined,
      p.maximum !== undefined ? `≤ ${p.maximum}` : undefined,
      p.default !== undefined ? `default \`${JSON.stringify(p.default)}\`` : undefined,
    ].filter(Boolean);
    out.push(`| \`${prefix}${name}\` | ${typeOf(p)} | ${req} | ${notes.join('; ').replace(/\|/g, '\\|')} |`);
    const inner = p.type === 'array' ? p.items : p;
    const isLeafObject =
      inner?.properties && ('value' in inner.properties || 'typical' in inner.properties || 'lat' in inner.properties);
    if (inner?.type === 'object' && inner.properties && !isLeafObject)
      rows(inner, `${prefix}${name}${p.type === 'array' ? '[]' : ''}.`, out);
  }
}

function schemaFor(file: string): z.ZodType {
  if (file === 'scenarios/<name>.yaml') return ScenarioFileSchema;
  if (file === 'demand/<name>.yaml') return DemandSetSchema;
  if (file === 'commodities.yaml') return CommoditiesFileSchema;
  if (file === 'observations/<topic>.yaml') return ObservationsFileSchema;
  if (file === 'services.yaml') return ServicesFileSchema;
  if (file === 'seasons/<file>.yaml') return SeasonsFileSchema;
  if (file in PRICING_FILE_SCHEMAS) return PRICING_FILE_SCHEMAS[file as keyof typeof PRICING_FILE_SCHEMAS];
  return FILE_SCHEMAS[file as keyof typeof FILE_SCHEMAS];
}

/** File name under docs/formats → content. */
export function generateFormatDocs(): Record<string, string> {
  const files: Record<string, string> = {};
  const index: string[] = [
    '# Data formats',
    '',
    '<!-- Generated by `npm run docs:formats` from src/data/schema.ts. Do not edit by hand. -->',
    '',
    'A dataset is a directory of YAML files (the default one is `data/`). `corridor validate [DIR]` checks it.',
    '',
    '**Lists in several files.** `sources`, `locations`, `links`, `transfers` and `services` may each be one file',
    '(`links.yaml`) or a directory of files (`links/*.yaml`, read in name order), or both; every file has the',
    'same top-level key and its records join one list, so a region or a topic keeps a file of its own (the default',
    'dataset: `links/core.yaml` for the first release, further files by region). Ids are unique across the files.',
    '',
    `**Numbers and provenance.** ${QUANTITY_NOTE}`,
    '',
  ];
  const intros: Record<string, string> = { ...FILE_INTRO, ...PRICING_FILE_INTRO };
  for (const file of Object.keys(intros)) {
    const json = z.toJSONSchema(schemaFor(file), { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const base = file
      .replace('scenarios/<name>.yaml', 'scenario')
      .replace('tariffs/<id>.yaml', 'tariff-set')
      .replace('indices/<file>.yaml', 'indices')
      .replace('seasons/<file>.yaml', 'seasons')
      .replace('demand/<name>.yaml', 'demand')
      .replace('observations/<topic>.yaml', 'observations')
      .replace('.yaml', '');
    files[`${base}.schema.json`] = `${JSON.stringify(json, null, 2)}\n`;
    // A file whose top level is one list key (`links: [...]`) documents the list's records.
    const keys = Object.keys(json.properties ?? {});
    const only = keys.length === 1 ? json.properties?.[keys[0] ?? ''] : undefined;
    const top = only?.type === 'array' && only.items ? only.items : json;
    const listKey = top === json ? undefined : keys[0];
    const table = ['| field | type | required | notes |', '|---|---|---|---|'];
    rows(top, '', table);
    index.push(
      `## \`${file}\``,
      '',
      must(intros[file], `the intro of ${file}`),
      '',
      listKey
        ? `Top level: \`${listKey}:\` a list of records with these fields.`
        : 'Top level: a mapping with these fields.',
      '',
      ...table,
      '',
      `JSON Schema: [${base}.schema.json](${base}.schema.json)`,
      '',
    );
  }
  index.push(
    '## Quantities',
    '',
    '| field | type | required | notes |',
    '|---|---|---|---|',
    '| `value` | number | yes | the figure, in the unit the field name says (`distanceKm` → km) |',
    '| `source` | string | one of source/assumption | id in sources.yaml |',
    '| `ref` | string | no | page, table or record in the source; for a sum, the terms |',
    '| `assumption` | string | one of source/assumption | the reasoning, ≥ 20 characters |',
    '| `basis` | list of string | no | source ids an assumption builds on |',
    '| `note` | string | no | anything else a reviewer should know |',
    '',
    'A `min/typical/max` distribution has `min`, `typical`, `max` instead of `value`, with min ≤ typical ' +
      '≤ max. Coordinates have `lat`, `lon` (WGS84 decimal degrees).',
    '',
  );
  files['README.md'] = index.join('\n');
  return files;
}
