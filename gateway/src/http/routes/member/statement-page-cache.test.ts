import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, ifNoneMatch, pageKey, StatementPageCache, strongEtag } from './statement-page-cache';

describe('StatementPageCache', () => {
  it('keys pages by party, run, limit and cursor', () => {
    const keys = [pageKey('P1', 'R', 50, undefined), pageKey('P2', 'R', 50, undefined), pageKey('P1', 'R', 20, undefined), pageKey('P1', 'R', 50, 'c'), pageKey('P1', 'R2', 50, undefined)];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('serves a page only with the run summary it was built from', () => {
    const cache = new StatementPageCache();
    const page = cache.set('k', '{"a":1}', 'run-v1');
    expect(page.etag).toBe(strongEtag(new TextEncoder().encode('{"a":1}')));
    expect(page.headers['content-length']).toBe('7');
    expect(cache.get('k', 'run-v1')).toBe(page);
    expect(cache.get('k', 'run-v2')).toBeUndefined();
    expect(cache.has('k')).toBe(false);
    expect(cache.bytes).toBe(0);
  });

  it('serves a page without a re-check only within recheckMs of its last check', () => {
    let now = 1000;
    const cache = new StatementPageCache({ recheckMs: 2000, now: () => now });
    const page = cache.set('k', '{"a":1}', 'run-v1');
    now += 2000;
    expect(cache.fresh('k')).toBe(page);
    now += 1;
    expect(cache.fresh('k')).toBeUndefined();
    expect(cache.has('k')).toBe(true);
    // A re-check with the same summary renews the window; a different one drops the page.
    expect(cache.get('k', 'run-v1')).toBe(page);
    expect(cache.fresh('k')).toBe(page);
    now += 2001;
    expect(cache.get('k', 'run-v2')).toBeUndefined();
    expect(cache.fresh('k')).toBeUndefined();
    expect(cache.fresh('missing')).toBeUndefined();
  });

  it('serves an alias of a page as the page itself, renewed and expired together', () => {
    let now = 0;
    const cache = new StatementPageCache({ recheckMs: 2000, now: () => now });
    const page = cache.set('k', '{"a":1}', 'f');
    cache.alias('raw', 'k');
    cache.alias('other', 'missing');
    expect(cache.fresh('raw')).toBe(page);
    expect(cache.has('other')).toBe(false);
    now += 2001;
    expect(cache.fresh('raw')).toBeUndefined();
    expect(cache.get('k', 'f')).toBe(page);
    expect(cache.fresh('raw')).toBe(page);
    expect(cache.bytes).toBe(2 * page.bytes.byteLength);
  });

  it('drops the least recently used pages beyond its entry and byte bounds', () => {
    const cache = new StatementPageCache({ maxEntries: 2, maxBytes: 40 });
    cache.set('a', '1234567890', 'f');
    cache.set('b', '1234567890', 'f');
    cache.get('a', 'f');
    cache.set('c', '1234567890', 'f');
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    const bytes = new StatementPageCache({ maxBytes: 40 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) bytes.set(k, '1234567890', 'f');
    expect(bytes.size).toBe(4);
    expect(bytes.bytes).toBe(40);
    expect(bytes.has('a')).toBe(false);
    // A page over a quarter of the bound is answered but not kept.
    expect(bytes.set('big', 'x'.repeat(11), 'f').bytes.byteLength).toBe(11);
    expect(bytes.has('big')).toBe(false);
  });

  it('keeps a gzip representation of pages worth compressing, with its own ETag', () => {
    const cache = new StatementPageCache();
    const body = JSON.stringify({ lines: Array.from({ length: 100 }, (_, i) => ({ index: i, proof: ['ab'.repeat(32)] })) });
    const page = cache.set('k', body, 'f');
    expect(page.gzip).toBeDefined();
    expect(gunzipSync(page.gzip!.bytes).toString('utf8')).toBe(body);
    expect(page.gzip!.bytes.byteLength).toBeLessThan(page.bytes.byteLength / 4);
    expect(page.gzip!.etag).not.toBe(page.etag);
    expect(page.gzip!.headers).toMatchObject({ 'content-encoding': 'gzip', 'content-length': String(page.gzip!.bytes.byteLength), etag: page.gzip!.etag, vary: 'Accept-Encoding' });
    expect(page.headers.vary).toBe('Accept-Encoding');
    // Both representations count against the byte bound.
    expect(cache.bytes).toBe(page.bytes.byteLength + page.gzip!.bytes.byteLength);
    expect(cache.set('small', '{"a":1}', 'f').gzip).toBeUndefined();
  });

  it('reads Accept-Encoding as RFC 9110 does', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('br, identity')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    expect(ifNoneMatch('"x"', '"x"')).toBe(true);
    expect(ifNoneMatch('W/"x"', '"x"')).toBe(true);
    expect(ifNoneMatch('"y", "x"', '"x"')).toBe(true);
    expect(ifNoneMatch('*', '"x"')).toBe(true);
    expect(ifNoneMatch('"y"', '"x"')).toBe(false);
    expect(ifNoneMatch(undefined, '"x"')).toBe(false);
  });
});
