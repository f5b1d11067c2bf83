/**
 * Errors that Node's HTTP parser raises before fastify sees a request (oversized headers, bytes
 * that are not HTTP) are answered in problem+json like every other error. Raw sockets, because an
 * HTTP client library would refuse to send such requests.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from '../helpers/api.js';

let api: TestApi;
let port: number;

beforeAll(async () => {
  api = await testApi();
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  port = (api.app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await api.close();
});

function raw(request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.end(request);
  });
}

function parse(response: string): { status: number; contentType: string; body: Record<string, unknown> } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const status = Number(head.split(' ')[1]);
  const contentType = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body: JSON.parse(body) as Record<string, unknown> };
}

describe('errors before routing', () => {
  it('answers a query string larger than the header limit with 431 problem+json', async () => {
    const q = 'x'.repeat(20_000);
    const r = parse(await raw(Buffer.from(`GET /api/v1/routes?from=${q} HTTP/1.1\r\nHost: localhost\r\n\r\n`)));
    expect(r.status).toBe(431);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ type: '/problems/headers-too-large', status: 431 });
    expect(String(r.body.detail)).toMatch(/query string/);
  });

  it('answers raw non-UTF-8 bytes in the request line with 400 problem+json', async () => {
    const request = Buffer.concat([
      Buffer.from('GET /api/v1/locations?q='),
      Buffer.from([0xff, 0xfe, 0x00, 0x80]),
      Buffer.from(' HTTP/1.1\r\nHost: localhost\r\n\r\n'),
    ]);
    const r = parse(await raw(request));
    expect(r.status).toBe(400);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ type: '/problems/bad-request', status: 400 });
  });

  it('still serves a normal request on a fresh connection afterwards', async () => {
    const r = await raw(Buffer.from('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    expect(r.split(' ')[1]).toBe('200');
  });
});
