/**
 * The map: the offline basemap, the corridor network by mode and status, tooltips, and overlays
 * for a chosen route, a scenario comparison and assignment flows. MapLibre GL with a style that
 * needs no glyphs, sprites or tiles (labels are HTML markers), so nothing is fetched from anywhere
 * but this origin.
 *
 * The container carries what is drawn for assistive technology and tests: `aria-label` describes
 * the highlighted route, and `data-route-legs` counts the route features actually rendered.
 */
import maplibregl, {
  type ExpressionSpecification,
  type GeoJSONSource,
  type MapLayerMouseEvent,
  type StyleSpecification,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { LinkFeature, LocationFeature, Network, PassageFeature } from '../api/types';
import { h } from '../dom';
import type { Basemap } from './basemap';
import { KIND_COLORS, MODE_COLORS, rampColor } from './colors';
import { linkContent, locationContent, passageContent } from './popup-content';
import type { LonLat, SeaRouter } from './sea-lanes';
import { must } from '../invariant';

export interface DrawnLeg {
  linkId: string;
  from: string;
  to: string;
  mode: string;
  /** Ends not on the network (door-to-door legs to a place of the gazetteer): their coordinates. */
  fromLonLat?: [number, number];
  toLonLat?: [number, number];
}

export interface DrawnPlace {
  id: string;
  name: string;
  role: 'origin' | 'destination' | 'stop';
  /** A place off the network: where to put its label. */
  lonLat?: [number, number];
}

export interface FlowOnLink {
  linkId: string;
  from: string;
  flowTeu: number;
  utilization: number | null;
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const MODE_MATCH: ExpressionSpecification = [
  'match',
  ['get', 'mode'],
  'rail',
  must(MODE_COLORS.rail),
  'road',
  must(MODE_COLORS.road),
  'sea',
  must(MODE_COLORS.sea),
  'ferry',
  must(MODE_COLORS.ferry),
  '#555',
];
const INTERACTIVE = ['locations', 'passages', 'links-operational', 'links-planned', 'links-hit'] as const;

/** The basemap never needs detail beyond zoom 6; MapLibre over-zooms those tiles. */
const BASEMAP_SOURCE = { type: 'geojson', maxzoom: 6, tolerance: 0.5, buffer: 32 } as const;

function baseStyle(b: Basemap): StyleSpecification {
  return {
    version: 8,
    sources: {
      land: {
        ...BASEMAP_SOURCE,
        data: b.landUrl,
        attribution: 'Basemap: Natural Earth (public domain) via world-atlas',
      },
      borders: { ...BASEMAP_SOURCE, data: b.bordersUrl },
    },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': '#d7e3ec' } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f5f3ee' } },
      { id: 'coast', type: 'line', source: 'land', paint: { 'line-color': '#9fb3c4', 'line-width': 0.6 } },
      {
        id: 'borders',
        type: 'line',
        source: 'borders',
        paint: { 'line-color': '#b9b2a6', 'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.5, 6, 1.1] },
      },
    ],
  };
}

export class MapView {
  private map: maplibregl.Map | null = null;
  private network: Network | null = null;
  private linkById = new Map<string, LinkFeature>();
  /** Sea and ferry links routed over water (display only), by link id and waypoints. */
  private seaLines = new Map<string, LonLat[]>();
  private seaRouter: SeaRouter | null = null;
  private placeById = new Map<string, LocationFeature>();
  private markers: maplibregl.Marker[] = [];
  private popup: maplibregl.Popup | null = null;
  private pinned = false;
  private padding = { top: 40, bottom: 40, left: 40, right: 40 };
  readonly ready: Promise<void>;

  constructor(
    private readonly container: HTMLElement,
    basemap: Basemap,
    private readonly onError: (message: string) => void,
  ) {
    this.ready = this.init(basemap);
  }

  private fail(message: string): void {
    this.container.classList.add('map-failed');
    this.container.replaceChildren(h('p', { class: 'map-message', role: 'status' }, message));
    this.onError(message);
  }

  private init(b: Basemap): Promise<void> {
    let map: maplibregl.Map;
    try {
      map = new maplibregl.Map({
        container: this.container,
        style: baseStyle(b),
        center: [60, 40],
        zoom: 2.2,
        minZoom: 1,
        maxZoom: 10,
        attributionControl: { compact: true },
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        cooperativeGestures: false,
      });
    } catch (e) {
      this.fail(
        `The map cannot be drawn in this browser (${e instanceof Error ? e.message : 'WebGL unavailable'}). ` +
          `Planning still works: the options are listed on the left.`,
      );
      return Promise.resolve();
    }
    this.map = map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-left');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
    map.on('error', (e) => {
      const source = (e as { sourceId?: string }).sourceId;
      this.onError(
        source && ['land', 'borders'].includes(source)
          ? `The basemap (${source}) did not load: ${e.error?.message ?? 'unknown error'}`
          : `Map: ${e.error?.message ?? 'an error occurred while drawing'}`,
      );
    });
    map.on('idle', () => this.reportRendered());
    return new Promise((resolve) => {
      map.once('load', () => {
        // Compact attribution starts open; fold it to its (i) button so it covers no map.
        this.container.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
        this.addLayers(map);
        if (this.network) this.setNetwork(this.network);
        resolve();
      });
    });
  }

  private addLayers(map: maplibregl.Map): void {
    map.addSource('network', { type: 'geojson', data: EMPTY, promoteId: 'key' });
    map.addSource('flows', { type: 'geojson', data: EMPTY });
    map.addSource('compare-a', { type: 'geojson', data: EMPTY });
    map.addSource('route', { type: 'geojson', data: EMPTY });
    map.addSource('route-stops', { type: 'geojson', data: EMPTY });
    const isLink: ExpressionSpecification = ['==', ['get', 'featureType'], 'link'];
    const width: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 2, 1.4, 5, 2.4, 8, 3.5];
    map.addLayer({
      id: 'links-operational',
      type: 'line',
      source: 'network',
      filter: ['all', isLink, ['==', ['get', 'status'], 'operational']],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': MODE_MATCH, 'line-width': width, 'line-opacity': 0.85 },
    });
    map.addLayer({
      id: 'links-planned',
      type: 'line',
      source: 'network',
      filter: ['all', isLink, ['!=', ['get', 'status'], 'operational']],
      paint: {
        'line-color': MODE_MATCH,
        'line-width': width,
        'line-dasharray': [2, 1.5],
        'line-opacity': ['case', ['get', 'enabled'], 0.95, 0.45],
      },
    });
    // A wide invisible line under the links makes them easy to hover and tap.
    map.addLayer({
      id: 'links-hit',
      type: 'line',
      source: 'network',
      filter: isLink,
      paint: { 'line-color': '#000', 'line-opacity': 0, 'line-width': 12 },
    });
    map.addLayer({
      id: 'flows',
      type: 'line',
      source: 'flows',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['get', 'color'], 'line-width': ['get', 'width'], 'line-opacity': 0.9 },
    });
    map.addLayer({
      id: 'compare-a',
      type: 'line',
      source: 'compare-a',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#475569', 'line-width': 4, 'line-dasharray': [1.5, 1.2], 'line-opacity': 0.9 },
    });
    map.addLayer({
      id: 'route-casing',
      type: 'line',
      source: 'route',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 9, 'line-opacity': 0.95 },
    });
    map.addLayer({
      id: 'route-line',
      type: 'line',
      source: 'route',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': MODE_MATCH, 'line-width': 5 },
    });
    map.addLayer({
      id: 'passages',
      type: 'circle',
      source: 'network',
      filter: ['==', ['get', 'featureType'], 'passage'],
      paint: {
        'circle-radius': 3.5,
        'circle-color': '#ffffff',
        'circle-stroke-color': KIND_COLORS.passage,
        'circle-stroke-width': 1.6,
      },
    });
    map.addLayer({
      id: 'locations',
      type: 'circle',
      source: 'network',
      filter: ['==', ['get', 'featureType'], 'location'],
      paint: {
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          2,
          ['case', ['get', 'major'], 3.6, 2.6],
          6,
          ['case', ['get', 'major'], 6, 4.5],
        ],
        'circle-color': [
          'match',
          ['get', 'category'],
          'border',
          '#ffffff',
          'gauge-change',
          KIND_COLORS.gaugeChange,
          'seaport',
          KIND_COLORS.seaport,
          KIND_COLORS.place,
        ],
        'circle-stroke-color': ['match', ['get', 'category'], 'border', KIND_COLORS.border, '#ffffff'],
        'circle-stroke-width': ['match', ['get', 'category'], 'border', 1.8, 1],
      },
    });
    map.addLayer({
      id: 'route-stops',
      type: 'circle',
      source: 'route-stops',
      paint: {
        'circle-radius': 5,
        'circle-color': '#ffffff',
        'circle-stroke-color': '#0f172a',
        'circle-stroke-width': 2,
      },
    });

    for (const layer of INTERACTIVE) {
      map.on('mousemove', layer, (e) => this.hover(e));
      map.on('mouseleave', layer, () => {
        map.getCanvas().style.cursor = '';
        if (!this.pinned) this.popup?.remove();
      });
      map.on('click', layer, (e) => {
        this.hover(e);
        this.pinned = true;
      });
    }
  }

  private hover(e: MapLayerMouseEvent): void {
    const map = this.map;
    if (!map || !this.network) return;
    const f = e.features?.[0];
    if (!f) return;
    map.getCanvas().style.cursor = 'pointer';
    if (this.pinned) return;
    const props = f.properties as { featureType?: string; id?: string };
    let content: HTMLElement | null = null;
    if (props.featureType === 'location') {
      const loc = this.placeById.get(props.id ?? '');
      if (loc) content = locationContent(loc, this.network.sources);
    } else if (props.featureType === 'link') {
      const link = this.linkById.get(props.id ?? '');
      if (link) content = linkContent(link, this.network.sources);
    } else if (props.featureType === 'passage') {
      const p = this.network.features.find(
        (x): x is PassageFeature => x.properties.featureType === 'passage' && x.properties.id === props.id,
      );
      if (p) content = passageContent(p, this.network.sources);
    }
    if (!content) return;
    if (!this.popup) {
      this.popup = new maplibregl.Popup({ closeButton: true, closeOnClick: true, maxWidth: '340px', offset: 10 });
      this.popup.on('close', () => (this.pinned = false));
    }
    this.popup.setLngLat(e.lngLat).setDOMContent(content).addTo(map);
  }

  /** Draws the network (and keeps it for route geometry). */
  setNetwork(net: Network): void {
    this.network = net;
    this.linkById = new Map(
      net.features
        .filter((f): f is LinkFeature => f.properties.featureType === 'link')
        .map((f) => [f.properties.id, f]),
    );
    this.placeById = new Map(
      net.features
        .filter((f): f is LocationFeature => f.properties.featureType === 'location')
        .map((f) => [f.properties.id, f]),
    );
    const src = this.map?.getSource<GeoJSONSource>('network');
    if (!src) return;
    // Flat properties for styling: nested arrays/objects do not survive the worker round trip well.
    src.setData({
      type: 'FeatureCollection',
      features: net.features.map((f) => {
        const p = f.properties;
        const base = { key: f.id, featureType: p.featureType, id: p.id };
        if (p.featureType === 'link')
          return {
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: this.lineOf(f as LinkFeature) },
            properties: { ...base, mode: p.mode, status: p.status, enabled: p.enabled },
          } as Feature;
        if (p.featureType === 'location') {
          const kinds = p.kinds as string[];
          const category = kinds.includes('border-crossing')
            ? 'border'
            : kinds.includes('gauge-change')
              ? 'gauge-change'
              : kinds.includes('seaport')
                ? 'seaport'
                : 'place';
          return {
            type: 'Feature',
            geometry: f.geometry,
            properties: { ...base, category, major: kinds.includes('city') || kinds.includes('seaport') },
          } as Feature;
        }
        return { type: 'Feature', geometry: f.geometry, properties: base } as Feature;
      }),
    });
    this.draw(true);
  }

  /** A link's line: over water for sea and ferry links once the water grid is there, else as served. */
  private lineOf(f: LinkFeature): LonLat[] {
    const coords = f.geometry.coordinates as LonLat[];
    if (!this.seaRouter || (f.properties.mode !== 'sea' && f.properties.mode !== 'ferry')) return coords;
    const key = `${f.properties.id}:${coords.flat().join(',')}`;
    let line = this.seaLines.get(key);
    if (!line) {
      line = this.seaRouter.route(coords);
      this.seaLines.set(key, line);
    }
    return line;
  }

  /** Routes sea and ferry links over water from now on, and redraws. */
  setSeaRouter(router: SeaRouter): void {
    this.seaRouter = router;
    if (this.network) this.setNetwork(this.network);
  }

  /** The coordinates of a leg in travel direction. */
  private legLine(leg: DrawnLeg): [number, number][] | null {
    const f = this.linkById.get(leg.linkId);
    if (!f) {
      // A computed door-to-door truck leg: not a link of the network, drawn straight between its ends.
      const at = (id: string, given?: [number, number]) =>
        given ?? (this.placeById.get(id)?.geometry.coordinates as [number, number] | undefined);
      const a = at(leg.from, leg.fromLonLat);
      const b = at(leg.to, leg.toLonLat);
      return a && b ? [a, b] : null;
    }
    const coords = this.lineOf(f);
    return f.properties.from === leg.from ? coords : [...coords].reverse();
  }

  private legsCollection(legs: readonly DrawnLeg[]): FeatureCollection<LineString> {
    const features: Feature<LineString>[] = [];
    for (const leg of legs) {
      const line = this.legLine(leg);
      if (line)
        features.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: line },
          properties: { mode: leg.mode, linkId: leg.linkId },
        });
    }
    return { type: 'FeatureCollection', features };
  }

  /** What is drawn over the network; kept so it can be (re)drawn once the map has loaded. */
  private overlay: {
    route: { legs: readonly DrawnLeg[]; places: readonly DrawnPlace[]; description: string } | null;
    compareA: readonly DrawnLeg[] | null;
    flows: readonly FlowOnLink[] | null;
  } = { route: null, compareA: null, flows: null };
  private networkFitted = false;

  private clearMarkers(): void {
    for (const m of this.markers) m.remove();
    this.markers = [];
  }

  private label(place: DrawnPlace): void {
    const lonLat = place.lonLat ?? (this.placeById.get(place.id)?.geometry.coordinates as [number, number] | undefined);
    if (!lonLat || !this.map) return;
    const el = h('div', { class: `map-label map-label-${place.role}`, 'aria-hidden': 'true' }, place.name);
    const anchor = place.role === 'destination' ? 'bottom-left' : 'bottom-right';
    this.markers.push(
      new maplibregl.Marker({ element: el, anchor, offset: [0, -6] }).setLngLat(lonLat).addTo(this.map),
    );
  }

  private bboxOf(fcs: FeatureCollection<LineString>[]): [number, number, number, number] | null {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const fc of fcs) {
      for (const f of fc.features) {
        for (const [x, y] of f.geometry.coordinates as [number, number][]) {
          w = Math.min(w, x);
          e = Math.max(e, x);
          s = Math.min(s, y);
          n = Math.max(n, y);
        }
      }
    }
    return Number.isFinite(w) ? [w, s, e, n] : null;
  }

  /** Extra room on the sides covered by panels (px). */
  setPadding(p: Partial<typeof this.padding>): void {
    this.padding = { ...this.padding, ...p };
  }

  /** Applies the overlay to the map (once it has loaded); `fit` zooms to what is highlighted. */
  private draw(fit: boolean): void {
    const map = this.map;
    const o = this.overlay;
    const route = o.route ? this.legsCollection(o.route.legs) : (EMPTY as FeatureCollection<LineString>);
    const compareA = o.compareA ? this.legsCollection(o.compareA) : (EMPTY as FeatureCollection<LineString>);
    this.container.setAttribute(
      'aria-label',
      o.route ? `Map. Highlighted: ${o.route.description}` : 'Map of the corridor network',
    );
    this.container.dataset.routeLinks = o.route ? o.route.legs.map((l) => l.linkId).join(' ') : '';
    if (!map?.getSource('route') || !this.network) return;
    must(map.getSource<GeoJSONSource>('route')).setData(route);
    must(map.getSource<GeoJSONSource>('compare-a')).setData(compareA);
    const stops: Feature<Point>[] = (o.route?.places ?? [])
      .filter((p) => p.role === 'stop')
      .map((p) => this.placeById.get(p.id))
      .filter((f): f is LocationFeature => f !== undefined)
      .map((f) => ({ type: 'Feature', geometry: f.geometry as Point, properties: { id: f.properties.id } }));
    must(map.getSource<GeoJSONSource>('route-stops')).setData({ type: 'FeatureCollection', features: stops });
    const flows: Feature<LineString>[] = [];
    const max = Math.max(1, ...(o.flows ?? []).map((f) => f.flowTeu));
    for (const f of o.flows ?? []) {
      const line = f.flowTeu > 0 ? this.legLine({ linkId: f.linkId, from: f.from, to: '', mode: '' }) : null;
      if (line) {
        flows.push({
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: line },
          properties: {
            color: f.utilization === null ? '#64748b' : rampColor(f.utilization),
            width: 1.5 + 8 * Math.sqrt(f.flowTeu / max),
          },
        });
      }
    }
    must(map.getSource<GeoJSONSource>('flows')).setData({ type: 'FeatureCollection', features: flows });
    this.container.dataset.flowLinks = String(flows.length);
    // The network fades while a route or flows are drawn over it.
    const dim = o.route !== null || o.compareA !== null || o.flows !== null;
    map.setPaintProperty('links-operational', 'line-opacity', dim ? 0.22 : 0.85);
    map.setPaintProperty('links-planned', 'line-opacity', dim ? 0.18 : ['case', ['get', 'enabled'], 0.95, 0.45]);
    map.setPaintProperty('locations', 'circle-opacity', dim ? 0.5 : 1);
    map.setPaintProperty('locations', 'circle-stroke-opacity', dim ? 0.5 : 1);
    this.clearMarkers();
    for (const p of o.route?.places ?? []) if (p.role !== 'stop') this.label(p);
    this.placePosition();
    if (!fit) return;
    const b =
      this.bboxOf([route, compareA]) ??
      (this.networkFitted ? null : (this.network.bbox as [number, number, number, number]));
    if (b?.length === 4) {
      this.networkFitted = true;
      map.fitBounds(b, { padding: this.padding, maxZoom: 6.5, duration: o.route ? 600 : 0 });
    }
  }

  /** Highlights one route (null clears it); labels its origin and destination, marks its stops. */
  showRoute(legs: readonly DrawnLeg[] | null, places: readonly DrawnPlace[] = [], description = ''): void {
    this.overlay.route = legs ? { legs, places, description } : null;
    this.overlay.compareA = null;
    this.draw(legs !== null);
  }

  /** Scenario A's route dashed grey, B's in colour. */
  showComparison(
    a: readonly DrawnLeg[] | null,
    b: readonly DrawnLeg[] | null,
    places: readonly DrawnPlace[],
    description: string,
  ): void {
    this.overlay.route = b ? { legs: b, places, description } : null;
    this.overlay.compareA = a;
    this.draw(a !== null || b !== null);
  }

  clearComparison(): void {
    if (this.overlay.compareA === null) return;
    this.overlay.compareA = null;
    this.draw(false);
  }

  /** Links coloured by utilisation and sized by flow (TEU/yr); null clears. */
  showFlows(flows: readonly FlowOnLink[] | null): void {
    if (flows === null && this.overlay.flows === null) return;
    this.overlay.flows = flows;
    this.draw(false);
  }

  /** Counts rendered route features once the map is idle (for assistive text and tests). */
  private reportRendered(): void {
    const map = this.map;
    if (!map?.getLayer('route-line')) return;
    const n = map.queryRenderedFeatures({ layers: ['route-line'] }).length;
    this.container.dataset.routeLegs = String(n);
    this.container.dataset.ready = 'true';
  }

  private position: { marker: maplibregl.Marker | null; at: string | null; label: string } = {
    marker: null,
    at: null,
    label: '',
  };

  /**
   * The container's last known position as a marker at a place of the network (null clears). Kept
   * apart from the route's labels, which every redraw replaces; drawn once the network is known.
   */
  showPosition(at: string | null, label = ''): void {
    this.position.marker?.remove();
    this.position = { marker: null, at, label };
    this.container.dataset.position = at ?? '';
    this.placePosition();
  }

  private placePosition(): void {
    const { at, label, marker } = this.position;
    if (!at || marker || !this.map) return;
    const lonLat = this.placeById.get(at)?.geometry.coordinates as [number, number] | undefined;
    if (!lonLat) return;
    // Below and right of the place, clear of the route's labels (drawn above it).
    const el = h('div', { class: 'map-position', title: label, 'aria-hidden': 'true' }, h('span', {}, label));
    this.position.marker = new maplibregl.Marker({ element: el, anchor: 'top-left', offset: [4, 4] })
      .setLngLat(lonLat)
      .addTo(this.map);
  }

  resize(): void {
    this.map?.resize();
  }
}
