/**
 * The error contract (RFC 9457) for what the framework and Node's parser answer, not the routes:
 * problem+json everywhere, `Connection: close` where the server closes the socket, no body for
 * HEAD, security headers on refusals, 503 while shutting down. Raw sockets where an HTTP client
 * library would refuse to send the request or would hide what the server did with the socket.
 */
import { type AddressInfo, connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS_POLICY } from '../../src/api/app.js';
import { json, testApi, type TestApi } from '../helpers/api.js';

interface Raw {
  /** Everything the server sent. */
  text: string;
  /** The server ended the socket (a keep-alive client must not reuse it). */
  closedByServer: boolean;
}

/** Writes `request` and collects the answer until the server closes the socket or `waitMs` passes. */
function raw(port: number, request: Buffer | string, waitMs = 20_000): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closedByServer });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => done(true));
    socket.on('error', reject);
    socket.write(request);
  });
}

interface Response {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The responses in `text`, in order (a keep-alive socket may carry several). */
function responses(text: string): Response[] {
  const out: Response[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const lines = rest.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(end + 4, end + 4 + length);
    out.push({ status: Number(lines[0]?.split(' ')[1]), headers, body });
    rest = rest.slice(end + 4 + body.length);
  }
  return out;
}

const HOST = 'Host: localhost\r\n';

describe('errors of the HTTP parser', () => {
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

  it('431 for an oversized query: problem+json, security headers, Connection: close, socket closed', async () => {
    const r = await raw(port, `GET /api/v1/routes?from=${'x'.repeat(20_000)} HTTP/1.1\r\n${HOST}\r\n`);
    expect(r.closedByServer).toBe(true);
    const [res] = responses(r.text);
    expect(res?.status).toBe(431);
    expect(res?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res?.headers.connection).toBe('close');
    expect(res?.headers['x-content-type-options']).toBe('nosniff');
    expect(res?.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    expect(JSON.parse(res?.body ?? '')).toMatchObject({ type: '/problems/headers-too-large', status: 431 });
  });

  it('a HEAD request over the header limit gets the 431 headers and no body', async () => {
    const r = await raw(port, `HEAD /api/v1/routes?from=${'x'.repeat(20_000)} HTTP/1.1\r\n${HOST}\r\n`);
    expect(r.closedByServer).toBe(true);
    const [head, body] = r.text.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toMatch(/\r\nContent-Length: \d+\r\n/i);
    expect(body).toBe('');
  });

  it('a keep-alive client sending a broken request after a good one gets a problem and a closed socket', async () => {
    const r = await raw(
      port,
      Buffer.concat([
        Buffer.from(`GET /health HTTP/1.1\r\n${HOST}Connection: keep-alive\r\n\r\n`),
        Buffer.from('GET /api/v1/locations?q='),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(` HTTP/1.1\r\n${HOST}\r\n`),
      ]),
    );
    const [first, second] = responses(r.text);
    expect(first?.status).toBe(200);
    expect(first?.headers.connection).toBe('keep-alive');
    expect(second?.status).toBe(400);
    expect(second?.headers.connection).toBe('close');
    expect(JSON.parse(second?.body ?? '')).toMatchObject({ type: '/problems/bad-request' });
    expect(r.closedByServer).toBe(true);
  });

  it('a broken Content-Length is named as such', async () => {
    const r = await raw(port, `POST /api/v1/scenarios HTTP/1.1\r\n${HOST}Content-Length: ten\r\n\r\n`);
    const [res] = responses(r.text);
    expect(res?.status).toBe(400);
    expect(res?.headers.connection).toBe('close');
    expect(JSON.parse(res?.body ?? '').detail).toMatch(/Content-Length/);
  });

  it('a malformed percent-encoding in the path: problem+json; HEAD gets no body', async () => {
    const get = responses(
      (await raw(port, `GET /api/v1/locations/%E0%A4%A HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`)).text,
    );
    expect(get[0]?.status).toBe(400);
    expect(get[0]?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(get[0]?.headers['x-content-type-options']).toBe('nosniff');
    const head = await raw(port, `HEAD /api/v1/locations/%E0%A4%A HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`);
    expect(head.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(head.text.split('\r\n\r\n')[1]).toBe('');
  });

  it('malformed JSON: problem+json and Connection: close (the body may not have been read to its end)', async () => {
    const r = await raw(
      port,
      `POST /api/v1/scenarios HTTP/1.1\r\n${HOST}Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{x}`,
    );
    const [res] = responses(r.text);
    expect(res?.status).toBe(400);
    expect(res?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res?.headers.connection).toBe('close');
    expect(JSON.parse(res?.body ?? '')).toMatchObject({ type: '/problems/malformed-json' });
  });
});

describe('any bytes in the query string (property)', () => {
  let api: TestApi;
  let port: number;
  beforeAll(async () => {
    api = await testApi();
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    port = (api.app.server.address() as AddressInfo).port;
    // The place search loads the world gazetteer on first use (seconds): not inside the property.
    await api.get('/api/v1/locations?q=baku');
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  it('get an answer, never a 5xx; every error is problem+json, and a parser error closes the socket', async () => {
    // Any byte but CR and LF, which would end the request line and start a request of their own.
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => b.filter((x) => x !== 13 && x !== 10));
    await fc.assert(
      fc.asyncProperty(bytes, fc.boolean(), async (q, head) => {
        const r = await raw(
          port,
          Buffer.concat([
            Buffer.from(`${head ? 'HEAD' : 'GET'} /api/v1/locations?q=`),
            Buffer.from(q),
            Buffer.from(` HTTP/1.1\r\n${HOST}Connection: close\r\n\r\n`),
          ]),
        );
        expect(r.closedByServer).toBe(true);
        const [res] = responses(r.text);
        expect(res, r.text.slice(0, 200)).toBeDefined();
        expect(res?.status).toBeLessThan(500);
        if ((res?.status ?? 0) >= 400) {
          expect(res?.headers['content-type']).toMatch(/^application\/problem\+json/);
          if (head) expect(res?.body).toBe('');
          else expect(JSON.parse(res?.body ?? '').status).toBe(res?.status);
        }
      }),
      { numRuns: 60, seed: 14 },
    );
  }, 120_000);
});

describe('a request not sent in time', () => {
  let api: TestApi;
  let port: number;
  beforeAll(async () => {
    api = await testApi({ config: { headersTimeoutMs: 1000, requestTimeoutMs: 1000 } });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    port = (api.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await api.close();
  });

  it('is a 408 problem and the socket is closed', async () => {
    // Headers started and never finished: Node's timer fires within a checking interval (1 s).
    const r = await raw(port, `GET /health HTTP/1.1\r\n${HOST}`, 10_000);
    expect(r.closedByServer).toBe(true);
    const [res] = responses(r.text);
    expect(res?.status).toBe(408);
    expect(res?.headers.connection).toBe('close');
    expect(JSON.parse(res?.body ?? '')).toMatchObject({ type: '/problems/request-timeout', status: 408 });
  });
});

describe('refusals and framework answers through inject', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi();
  });
  afterAll(async () => {
    await api.close();
  });

  it('a query value whose percent-encoding is not UTF-8 is a 400 naming the parameter', async () => {
    const r = await api.get('/api/v1/locations?q=%FF%FE');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = json(r);
    expect(p.type).toBe('/problems/invalid-parameter');
    expect(p.errors[0]).toMatchObject({ field: 'query.q' });
    // Valid encodings still pass.
    expect((await api.get('/api/v1/locations?q=%D0%90%D0%BA%D1%82%D0%B0%D1%83')).statusCode).toBe(200);
  });

  it('a body shorter than its Content-Length is a 400 saying so, and the socket is not reused', async () => {
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: { 'content-type': 'application/json', 'content-length': '40' },
      payload: '{"name":"x"}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers.connection).toBe('close');
    expect(json(r)).toMatchObject({ type: '/problems/bad-request' });
    expect(json(r).detail).toMatch(/Content-Length/);
  });

  it('a text/plain body is an unsupported media type, not an invalid body', async () => {
    const r = await api.app.inject({
      method: 'POST',
      url: '/api/v1/scenarios',
      headers: { authorization: `Bearer ${await api.key('planner')}`, 'content-type': 'text/plain' },
      payload: 'a scenario, please',
    });
    expect(r.statusCode).toBe(415);
    expect(json(r).type).toBe('/problems/unsupported-media-type');
  });

  it('a refused key still gets the security headers', async () => {
    const r = await api.get('/api/v1/scenarios', 'ck_nope_nope');
    expect(r.statusCode).toBe(401);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    expect(r.headers['x-request-id']).toBeTruthy();
  });

  it('while shutting down: 503 problem+json with Retry-After and Connection: close', async () => {
    api.ctx.closing = true;
    try {
      const r = await api.get('/api/v1/locations?q=aktau');
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.headers.connection).toBe('close');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(json(r).type).toBe('/problems/unavailable');
    } finally {
      api.ctx.closing = false;
    }
  });
});
