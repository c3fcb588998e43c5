import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('gateway configuration', () => {
  it('defaults to the embedded ledger on loopback', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ LEDGER: 'embedded', HOST: '127.0.0.1', PORT: 8080, SEED_DEMO: true });
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LEDGER: 'mock' })).toThrow(/LEDGER/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });
  it('reads booleans the way people write them', () => {
    expect(loadConfig({ SEED_DEMO: 'no' }).SEED_DEMO).toBe(false);
    expect(loadConfig({ SEED_DEMO: '1' }).SEED_DEMO).toBe(true);
  });
});
