/**
 * The per-address connection cap and the server timeouts (issue #14, API4: "2,000 half-open
 * sockets were accepted"). Real sockets against a listening server; no timing assertions: the
 * test waits for the server's own count, then checks what it did with one socket more.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/api/config.js';
import { testApi, type TestApi } from '../helpers/api.js';

const CAP = 5;
let api: TestApi;
let port = 0;
const sockets: Socket[] = [];
beforeAll(async () => {
  api = await testApi({ config: { maxConnectionsPerIp: CAP } });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await api.close();
});

const open = () =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
const closed = (s: Socket) =>
  new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
async function until(cond: () => boolean) {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

describe('connections per address', () => {
  it('holds CAP idle sockets of one address and destroys the next one; a closed one frees its place', async () => {
    const held: Socket[] = [];
    for (let i = 0; i < CAP; i++) held.push(await open());
    const cap = api.ctx.connections;
    expect(cap).toBeDefined();
    await until(() => cap?.open('127.0.0.1') === CAP);
    const extra = await open().catch(() => undefined);
    if (extra) await closed(extra);
    await until(() => (cap?.refused ?? 0) >= 1);
    expect(cap?.open('127.0.0.1')).toBe(CAP);

    // The held ones still serve requests.
    const first = held[0] as Socket;
    const answer = new Promise<string>((resolve) => first.once('data', (d) => resolve(String(d))));
    first.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1.1 200/);

    first.destroy();
    await until(() => cap?.open('127.0.0.1') === CAP - 1);
    const again = await open();
    await until(() => cap?.open('127.0.0.1') === CAP);
    expect(again.destroyed).toBe(false);
    for (const s of held) s.destroy();
    again.destroy();
    await until(() => cap?.open('127.0.0.1') === 0);
  });

  it('applies the documented timeouts to the HTTP server', () => {
    const c = configFromEnv({});
    expect(c).toMatchObject({
      maxConnectionsPerIp: 100,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
    });
    const server = api.app.server;
    expect(server.headersTimeout).toBe(c.headersTimeoutMs);
    expect(server.requestTimeout).toBe(c.requestTimeoutMs);
    expect(server.keepAliveTimeout).toBe(c.keepAliveTimeoutMs);
    expect(() => configFromEnv({ HEADERS_TIMEOUT_MS: '90000', REQUEST_TIMEOUT_MS: '60000' })).toThrow(
      /HEADERS_TIMEOUT_MS/,
    );
  });
});
