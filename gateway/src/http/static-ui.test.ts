import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticUiRouter } from './static-ui';

describe('static UI', () => {
  let dir: string;
  const appFor = (dist: string) => {
    const app = new Hono();
    app.get('/openapi.json', (c) => c.json({ openapi: '3.1.0' }));
    app.route('/', staticUiRouter(dist));
    app.notFound((c) => c.json({ error: { code: 'NOT_FOUND' } }, 404));
    return app;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ui-dist-'));
    await mkdir(join(dir, 'built', 'assets'), { recursive: true });
    await writeFile(join(dir, 'built', 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(join(dir, 'built', 'assets', 'index-abc.js'), 'console.log(1)');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the app, its assets (immutable) and index.html for client-side routes', async () => {
    const app = appFor(join(dir, 'built'));
    expect(await (await app.request('/')).text()).toContain('<title>app</title>');
    const asset = await app.request('/assets/index-abc.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const route = await app.request('/verify/LIC-1234');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>app</title>');
  });

  it('leaves the API alone: its own answers and JSON 404s, and a missing file is a 404', async () => {
    const app = appFor(join(dir, 'built'));
    expect(await (await app.request('/openapi.json')).json()).toEqual({ openapi: '3.1.0' });
    const api = await app.request('/api/nope');
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await app.request('/auth/whatever')).headers.get('content-type')).toContain('application/json');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
  });

  it('says how to build the app when ui/dist is missing', async () => {
    const app = appFor(join(dir, 'absent'));
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build:ui');
    expect((await app.request('/member')).status).toBe(404);
  });
});
