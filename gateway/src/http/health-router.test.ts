import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';

describe('gateway basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports the ledger height and the read model checkpoint', async () => {
    const res = await t.call('GET', '/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ledger: { height: string }; status: string };
    expect(body.status).toBe('ok');
    expect(BigInt(body.ledger.height)).toBeGreaterThan(1n);
  });

  it('serves OpenAPI 3.1 and the interactive docs', async () => {
    const spec = (await (await t.call('GET', '/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toContain('/auth/login');
    expect((await t.call('GET', '/docs')).status).toBe(200);
  });

  it('refuses a write body of the wrong media type with 415, not 500', async () => {
    const res = await t.call('POST', '/api/operator/tariffs', { as: 'music-operator', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'media-type-1' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const code = ((await res.json()) as { error: { code: string } }).error.code;
    expect(code).toMatch(/^VALIDATION\./);
  });

  it('answers unknown routes with the error body', async () => {
    const res = await t.call('GET', '/api/no/such/route');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
