import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from './csv';
import { etagOf, ResponseCache } from './response-cache';

describe('the public answer cache', () => {
  it('serves an answer until its time is up', () => {
    let now = 1000;
    const cache = new ResponseCache({ ttlMs: 500, now: () => now });
    const entry = cache.set('/a', '{"x":1}', 'application/json');
    expect(cache.get('/a')?.etag).toBe(entry.etag);
    expect(new TextDecoder().decode(cache.get('/a')!.bytes)).toBe('{"x":1}');
    expect(cache.get('/a')!.headers['content-length']).toBe('7');
    now += 499;
    expect(cache.get('/a')).toBeDefined();
    now += 1;
    expect(cache.get('/a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest answers beyond its bounds', () => {
    const cache = new ResponseCache({ ttlMs: 10_000, maxEntries: 2 });
    cache.set('/1', 'a', 'application/json');
    cache.set('/2', 'b', 'application/json');
    cache.set('/3', 'c', 'application/json');
    expect([cache.get('/1'), cache.get('/2')?.etag, cache.get('/3')?.etag]).toEqual([undefined, etagOf('b'), etagOf('c')]);
    const small = new ResponseCache({ ttlMs: 10_000, maxBytes: 40 });
    small.set('/x', '0123456789', 'application/json'); // 10 bytes: at the per-entry limit of a quarter
    small.set('/y', '01234567890', 'application/json'); // over it: not kept
    expect([small.get('/x') !== undefined, small.get('/y')]).toEqual([true, undefined]);
  });

  it('keeps nothing when the time to live is zero', () => {
    const cache = new ResponseCache({ ttlMs: 0 });
    cache.set('/a', 'x', 'application/json');
    expect(cache.get('/a')).toBeUndefined();
  });

  it('gives different bodies different ETags, byte for byte', () => {
    expect(etagOf('爱')).toBe(etagOf(new TextEncoder().encode('爱')));
    expect(etagOf('a')).not.toBe(etagOf('b'));
  });
});

describe('CSV fields', () => {
  it('quotes only what needs quoting, doubling quotes, and ends records with CRLF', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 3, '中文'])).toBe('a,"b,c","say ""hi""","two\nlines",,,3,中文\r\n');
    expect(csvField('\r')).toBe('"\r"');
  });
});
