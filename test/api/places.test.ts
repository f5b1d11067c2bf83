/** GET /api/v1/locations with the world gazetteer, and a door-to-door route through the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await testApi();
});
afterAll(() => api.close());

describe('world places in the API', () => {
  it('answers Paris with Paris, FR (a gazetteer place with country and size), not Kars', async () => {
    const r = json(await api.get('/api/v1/locations?q=Paris&limit=5'));
    expect(r.locations[0]).toMatchObject({
      name: 'Paris',
      country: 'FR',
      source: 'gazetteer',
      kind: 'city',
      label: 'Paris, FR (2.1 M)',
    });
    expect(r.locations[0].population).toBeGreaterThan(1_000_000);
    expect(r.locations.map((l: { name: string }) => l.name)).not.toContain('Kars');
  });

  it('lists the network terminal before world places of its name', async () => {
    const r = json(await api.get('/api/v1/locations?q=Duisburg'));
    expect(r.locations[0]).toMatchObject({ id: 'DEDUI', source: 'network' });
  });

  it('routes door to door with the same answer as the CLI shape', async () => {
    const r = json(await api.get('/api/v1/routes?from=Warsaw&to=Duisburg'));
    expect(r.origin).toMatchObject({ name: 'Warsaw', country: 'PL' });
    expect(r.doorToDoor.origin.description).toMatch(/^Warsaw, PL \(1\.7 M\)/);
    expect(r.options[0].legs[0]).toMatchObject({ mode: 'road', corridor: 'door-to-door' });
  });
});
