/**
 * PostgreSQL going away under a running API (the probe: 500 `internal` on every route). The store
 * reaches the server through a TCP relay the test cuts and restores, as a restart or a network
 * partition would: open connections are reset, new ones refused. Needs TEST_PG_URL (`.ci/run`).
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { configFromEnv } from '../../src/api/config.js';
import { KeyService } from '../../src/api/keys.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { FastifyInstance } from 'fastify';
import { loadOnce } from '../helpers/api.js';
import { TEST_TODAY } from '../helpers/cli.js';
import { DEFAULT_DATA } from '../helpers/tmp-dataset.js';

const url = process.env.TEST_PG_URL;
if (!url && process.env.CORRIDOR_REQUIRE_PG === '1') {
  describe('PostgreSQL down', () => {
    it('needs TEST_PG_URL', () => {
      throw new Error('CORRIDOR_REQUIRE_PG=1 but TEST_PG_URL is not set');
    });
  });
}

/** A TCP relay to the real server that can be cut (every socket reset, the port closed) and restored. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }
  get isUp(): boolean {
    return this.server !== undefined;
  }
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.resetAndDestroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe.skipIf(!url)('PostgreSQL down', () => {
  let relay: Relay;
  let store: Store;
  let app: FastifyInstance;
  let key: string;

  beforeAll(async () => {
    const target = new URL(url ?? '');
    relay = new Relay(target.hostname, Number(target.port || 5432));
    await relay.up();
    const via = new URL(url ?? '');
    via.hostname = '127.0.0.1';
    via.port = String(relay.port);
    store = await openStore(via.toString(), { schema: `down_${process.pid}_${Date.now().toString(36)}` });
    const config = configFromEnv({ LOG_LEVEL: 'silent' }, { jobWorkers: 0, publicationPollMs: 0, webhookPollMs: 0 });
    ({ app } = await buildApp({ config, load: loadOnce(DEFAULT_DATA), store, today: () => TEST_TODAY }));
    await app.ready();
    key = (await new KeyService(store).create('viewer', { organisation: 'down-org' })).key;
  });
  afterAll(async () => {
    if (!relay.isUp) await relay.up();
    await app?.close();
    await store?.close();
    await relay.down();
  });

  it('answers 503 with Retry-After while the database is gone, and recovers when it is back', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/scenarios' })).statusCode).toBe(200);

    await relay.down();
    for (const headers of [{}, { authorization: `Bearer ${key}` }]) {
      const r = await app.inject({ method: 'GET', url: '/api/v1/scenarios', headers });
      expect(r.statusCode, r.body).toBe(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(r.body)).toMatchObject({ type: '/problems/unavailable', status: 503 });
      expect(r.body).not.toMatch(/ECONN|terminated|127\.0\.0\.1/);
    }
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);

    await relay.up();
    const back = await app.inject({
      method: 'GET',
      url: '/api/v1/scenarios',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(back.statusCode, back.body).toBe(200);
  });
});
