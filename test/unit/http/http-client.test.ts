import { describe, expect, it } from 'vitest';

import { HttpClient } from '../../../src/http/http-client.js';
import { HttpRequestError, HttpResponseNotJsonError } from '../../../src/http/http-errors.js';
import { MAX_RECORDED_BODY_CHARS } from '../../../src/http/recorded-body.js';
import { closedPort, sendJson, startTestServer } from './test-server.js';

async function requestError(promise: Promise<unknown>): Promise<HttpRequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpRequestError) return error;
    throw error;
  }
  throw new Error('the request succeeded');
}

describe('HttpClient requests', () => {
  it('sends JSON and parses a JSON response', async () => {
    const server = await startTestServer((req, res) =>
      sendJson(res, { echo: JSON.parse(req.body) as unknown, method: req.method }, 201),
    );
    const client = new HttpClient({ baseUrl: server.baseUrl });
    const res = await client.post('/orders', { json: { sku: 'A1', qty: 2 } });

    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.body).toEqual({ echo: { sku: 'A1', qty: 2 }, method: 'POST' });
    expect(res.json<{ method: string }>().method).toBe('POST');
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('returns non-2xx responses instead of throwing', async () => {
    const server = await startTestServer((_req, res) => sendJson(res, { error: 'nope' }, 422));
    const client = new HttpClient({ baseUrl: server.baseUrl });
    const res = await client.put('/x', {
      body: 'plain',
      headers: { 'content-type': 'text/plain' },
    });

    expect(res.status).toBe(422);
    expect(res.ok).toBe(false);
    expect(res.body).toEqual({ error: 'nope' });
    expect(server.received[0]?.body).toBe('plain');
  });

  it('keeps a text body as text and explains why json() fails', async () => {
    const server = await startTestServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    });
    const client = new HttpClient({ baseUrl: server.baseUrl });
    const res = await client.get('/page');

    expect(res.body).toBe('<html>oops</html>');
    expect(() => res.json()).toThrow(HttpResponseNotJsonError);
    expect(() => res.json()).toThrow(
      new RegExp(`GET ${server.baseUrl}/page \\(500 Internal Server Error\\) is not JSON.*<html>`),
    );
  });

  it('appends query parameters and skips undefined ones', async () => {
    const server = await startTestServer((req, res) => sendJson(res, { url: req.url }));
    const client = new HttpClient({ baseUrl: `${server.baseUrl}/api/` });
    const res = await client.get('/search?sort=asc', {
      query: { q: 'a b&c', page: 2, exact: true, missing: undefined },
    });

    expect(res.body).toEqual({ url: '/api/search?sort=asc&q=a+b%26c&page=2&exact=true' });
  });

  it('joins the base path and an absolute URL path correctly', async () => {
    const server = await startTestServer((req, res) => sendJson(res, { url: req.url }));
    const urls: unknown[] = [];
    for (const [base, path] of [
      [`${server.baseUrl}/v1`, 'users'],
      [`${server.baseUrl}/v1/`, '/users'],
      [`${server.baseUrl}/v1`, '/users'],
      [server.baseUrl, `${server.baseUrl}/other`],
    ] as const) {
      urls.push((await new HttpClient({ baseUrl: base }).get(path)).body);
    }
    expect(urls).toEqual([
      { url: '/v1/users' },
      { url: '/v1/users' },
      { url: '/v1/users' },
      { url: '/other' },
    ]);
  });

  it('sends default headers, and per-request headers win', async () => {
    const server = await startTestServer((req, res) => sendJson(res, req.headers));
    const client = new HttpClient({ baseUrl: server.baseUrl, headers: { 'X-Tenant': 'a' } });
    client.setBearerToken('tok-1');
    client.setHeader('X-Trace', 'on');
    client.removeHeader('x-trace');
    const res = await client.get('/', { headers: { 'x-tenant': 'b' } });

    expect(res.body).toMatchObject({ 'x-tenant': 'b', authorization: 'Bearer tok-1' });
    expect(res.body).not.toHaveProperty('x-trace');
    expect(client.headers).toEqual({ authorization: 'Bearer tok-1', 'x-tenant': 'a' });
  });

  it('refuses a body on GET and json together with body', async () => {
    const client = new HttpClient({ baseUrl: 'http://127.0.0.1:9' });
    await expect(client.get('/', { json: {} })).rejects.toThrow(/GET request cannot have a body/);
    await expect(client.post('/', { json: {}, body: 'x' })).rejects.toThrow(/not both/);
    expect(client.history).toEqual([]);
  });

  it('rejects a base URL it cannot append paths to', () => {
    expect(() => new HttpClient({ baseUrl: 'localhost:8000' })).toThrow(/http or https/);
    expect(() => new HttpClient({ baseUrl: '/api' })).toThrow(/absolute/);
    expect(() => new HttpClient({ baseUrl: 'http://h/?x=1' })).toThrow(/query/);
    expect(() => new HttpClient({ baseUrl: 'http://h', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('HttpClient history', () => {
  it('records each exchange, and takeHistory returns only the new ones', async () => {
    const server = await startTestServer((req, res) => sendJson(res, { path: req.url }));
    const client = new HttpClient({ baseUrl: server.baseUrl });
    await client.get('/a');
    await client.post('/b', { json: { n: 1 } });

    const first = client.takeHistory();
    expect(first.map((e) => [e.request.method, e.request.url, e.response?.status])).toEqual([
      ['GET', `${server.baseUrl}/a`, 200],
      ['POST', `${server.baseUrl}/b`, 200],
    ]);
    expect(first[1]?.request.body).toEqual({ n: 1 });
    expect(first[1]?.response?.body).toEqual({ path: '/b' });
    expect(first[0]?.durationMs).toBeGreaterThan(0);
    expect(Date.parse(first[0]?.startedAt ?? '')).not.toBeNaN();
    expect(client.takeHistory()).toEqual([]);

    await client.delete('/c');
    expect(client.takeHistory().map((e) => e.request.url)).toEqual([`${server.baseUrl}/c`]);
    expect(client.history).toHaveLength(3);
  });

  it('redacts secrets in records but sends them unchanged', async () => {
    const server = await startTestServer((req, res) =>
      sendJson(
        res,
        { access_token: 'resp-secret-1', user: { name: 'qa', password: 'resp-secret-2' } },
        200,
        { 'set-cookie': 'sid=resp-secret-3', 'x-request-id': 'r1' },
      ),
    );
    const client = new HttpClient({
      baseUrl: server.baseUrl,
      headers: { 'X-Api-Key': 'req-secret-1', 'X-Auth-Token': 'req-secret-2' },
    });
    client.setBearerToken('req-secret-3');
    const res = await client.post('/login', {
      json: { user: 'qa', Password: 'req-secret-4', nested: [{ card_number: '4111' }] },
      headers: { cookie: 'sid=req-secret-5' },
      query: { api_key: 'req-secret-6', page: 1 },
    });

    // What was sent and returned is untouched.
    expect(server.received[0]?.headers.authorization).toBe('Bearer req-secret-3');
    expect(server.received[0]?.url).toContain('api_key=req-secret-6');
    expect(res.json<{ access_token: string }>().access_token).toBe('resp-secret-1');

    const [exchange] = client.takeHistory();
    const recorded = JSON.stringify(exchange);
    expect(recorded).not.toMatch(/req-secret|resp-secret|4111/);
    expect(exchange?.request.headers).toMatchObject({
      authorization: '***',
      'x-api-key': '***',
      'x-auth-token': '***',
      cookie: '***',
      'content-type': 'application/json',
    });
    expect(exchange?.request.url).toBe(`${server.baseUrl}/login?api_key=***&page=1`);
    expect(exchange?.request.body).toEqual({
      user: 'qa',
      Password: '***',
      nested: [{ card_number: '***' }],
    });
    expect(exchange?.response?.headers).toMatchObject({
      'set-cookie': '***',
      'x-request-id': 'r1',
    });
    expect(exchange?.response?.body).toEqual({
      access_token: '***',
      user: { name: 'qa', password: '***' },
    });
  });

  it('sends URL credentials as Basic auth and never records the password', async () => {
    const server = await startTestServer((req, res) =>
      sendJson(res, { auth: req.headers.authorization }),
    );
    const client = new HttpClient({ baseUrl: server.baseUrl.replace('//', '//qa:hunter%232@') });
    const res = await client.get('/x');

    expect(res.body).toEqual({ auth: `Basic ${Buffer.from('qa:hunter#2').toString('base64')}` });
    expect(client.history[0]?.request).toMatchObject({
      url: `${server.baseUrl}/x`,
      headers: { authorization: '***' },
    });
    expect(JSON.stringify(client.history)).not.toMatch(/hunter/);
  });

  it('cuts long bodies in records but returns them whole', async () => {
    const long = 'x'.repeat(MAX_RECORDED_BODY_CHARS * 3);
    const server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(long);
    });
    const client = new HttpClient({ baseUrl: server.baseUrl });
    const res = await client.post('/upload', { body: long });

    expect(res.text).toHaveLength(long.length);
    const [exchange] = client.takeHistory();
    for (const body of [exchange?.request.body, exchange?.response?.body]) {
      expect(typeof body).toBe('string');
      expect((body as string).length).toBeLessThan(MAX_RECORDED_BODY_CHARS + 100);
      expect(body).toMatch(/body cut at 65536 of 196608 characters\]$/);
    }
  });

  it('forks with a copy of the headers and an empty history', async () => {
    const server = await startTestServer((req, res) => sendJson(res, req.headers));
    const main = new HttpClient({ baseUrl: `${server.baseUrl}/main`, timeoutMs: 1234 });
    main.setBearerToken('before-checkpoint');
    await main.get('/login');

    const path = main.fork({ baseUrl: `${server.baseUrl}/path` });
    path.setHeader('x-path', 'card');
    const res = await path.get('/pay');

    expect(res.body).toMatchObject({ authorization: 'Bearer before-checkpoint' });
    expect(server.received.at(-1)?.url).toBe('/path/pay');
    expect(path.timeoutMs).toBe(1234);
    expect(path.history).toHaveLength(1);
    expect(main.history).toHaveLength(1);
    expect(main.headers).not.toHaveProperty('x-path');
  });
});

describe('HttpClient failures', () => {
  it('times out a server that never answers, naming the URL', async () => {
    const server = await startTestServer(() => undefined);
    const client = new HttpClient({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
    const started = performance.now();
    const error = await requestError(client.get('/slow', { timeoutMs: 200 }));

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error.kind).toBe('timeout');
    expect(error.code).toBe('VENOMQA_HTTP_REQUEST_FAILED');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`GET ${server.baseUrl}/slow failed: timed out after 200 ms`);
    expect(error.hint).toMatch(/timeout/);
    expect(client.history[0]).toMatchObject({
      request: { method: 'GET', url: `${server.baseUrl}/slow` },
      error: 'timed out after 200 ms',
    });
    expect(client.history[0]?.response).toBeUndefined();
  });

  it('times out a response that stalls in the middle of its body', async () => {
    const server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const client = new HttpClient({ baseUrl: server.baseUrl, timeoutMs: 200 });
    const error = await requestError(client.get('/stall'));
    expect(error.kind).toBe('timeout');
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const client = new HttpClient({ baseUrl: `http://127.0.0.1:${port}` });
    const error = await requestError(client.post('/orders', { json: { token: 'abc' } }));

    expect(error.kind).toBe('network');
    expect(error.message).toBe(`POST http://127.0.0.1:${port}/orders failed: connection refused`);
    expect(error.hint).toContain(`http://127.0.0.1:${port}`);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(client.history[0]).toMatchObject({
      request: { body: { token: '***' } },
      error: 'connection refused',
    });
  });

  it('aborts requests in flight when its signal aborts, and refuses new ones', async () => {
    const server = await startTestServer(() => undefined);
    const controller = new AbortController();
    const client = new HttpClient({ baseUrl: server.baseUrl, signal: controller.signal });
    const forked = client.fork({ baseUrl: server.baseUrl });
    const pending = requestError(client.get('/wait'));
    const pendingFork = requestError(forked.get('/wait'));
    setTimeout(() => controller.abort(new Error('fail_fast: another path failed')), 50);

    for (const error of [await pending, await pendingFork]) {
      expect(error.kind).toBe('aborted');
      expect(error.message).toBe(
        `GET ${server.baseUrl}/wait failed: aborted (fail_fast: another path failed)`,
      );
    }
    const later = await requestError(client.get('/later'));
    expect(later.kind).toBe('aborted');
    expect(client.history.map((e) => e.error)).toEqual([
      'aborted (fail_fast: another path failed)',
      'aborted (fail_fast: another path failed)',
    ]);
  });
});
