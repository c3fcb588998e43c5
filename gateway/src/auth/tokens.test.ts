import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkToken, signToken, type TokenPayload } from './tokens';

const key = randomBytes(32);
const payload: TokenPayload = { sub: '7b0c5a52-63a4-4d4c-9a0e-2f4b3c8f1a10', role: 'member', iat: 1_000, exp: 1_000 + 8 * 3600, sid: 'abc' };

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('session tokens', () => {
  it('round-trips a payload before its expiry', () => {
    expect(checkToken(signToken(payload, key), key, 2_000)).toEqual({ ok: true, payload });
  });

  it('refuses a token at and after its expiry', () => {
    const token = signToken(payload, key);
    expect(checkToken(token, key, payload.exp - 1).ok).toBe(true);
    expect(checkToken(token, key, payload.exp)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a token whose payload was changed (e.g. role raised)', () => {
    const [, sig] = signToken(payload, key).split('.');
    const forged = `${b64({ ...payload, role: 'regulator' })}.${sig}`;
    expect(checkToken(forged, key, 2_000)).toEqual({ ok: false, problem: 'bad_signature' });
    const extended = `${b64({ ...payload, exp: payload.exp + 3600 })}.${sig}`;
    expect(checkToken(extended, key, 2_000)).toEqual({ ok: false, problem: 'bad_signature' });
  });

  it('refuses a token whose signature was changed, truncated or made with another key', () => {
    const token = signToken(payload, key);
    const [text, sig] = token.split('.') as [string, string];
    const flipped = sig.slice(0, -2) + (sig.endsWith('AA') ? 'BA' : 'AA');
    expect(checkToken(`${text}.${flipped}`, key, 2_000)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(checkToken(`${text}.${sig.slice(0, 10)}`, key, 2_000)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(checkToken(signToken(payload, randomBytes(32)), key, 2_000)).toEqual({ ok: false, problem: 'bad_signature' });
  });

  it('refuses malformed tokens, and signed payloads of the wrong shape', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'not base64!.x', `${'a'.repeat(5000)}.b`]) {
      expect(checkToken(bad, key, 2_000)).toEqual({ ok: false, problem: 'malformed' });
    }
    const wrongShape = signToken({ ...payload, role: 'admin' } as unknown as TokenPayload, key);
    expect(checkToken(wrongShape, key, 2_000)).toEqual({ ok: false, problem: 'malformed' });
  });
});
