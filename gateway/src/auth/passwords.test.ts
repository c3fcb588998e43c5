import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblems, verifyPassword, type ScryptParams } from './passwords';

// A low cost keeps the suite fast; the format and the checks are the same at any cost.
const FAST: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('accepts the right password and rejects others', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores a self-describing string without the password in it', async () => {
    const password = 'correct horse battery';
    const stored = await hashPassword(password, FAST);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(Buffer.from(password).toString('base64url'));
    expect(stored).not.toContain(Buffer.from(password).toString('hex'));
  });

  it('salts every hash, so equal passwords give different strings', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!', FAST), hashPassword('same password!', FAST)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password!', a)).toBe(true);
    expect(await verifyPassword('same password!', b)).toBe(true);
  });

  it('uses the default cost (N = 2^15) when none is given', async () => {
    const stored = await hashPassword('a longer passphrase');
    expect(stored.startsWith('scrypt$32768$8$1$')).toBe(true);
    expect(await verifyPassword('a longer passphrase', stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('treats unicode forms alike (NFC)', async () => {
    const stored = await hashPassword('caf\u00e9-au-lait!', FAST);
    expect(await verifyPassword('cafe\u0301-au-lait!', stored)).toBe(true);
  });

  it('rejects malformed or tampered hashes instead of throwing', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    const parts = stored.split('$');
    const tamperedHash = [...parts.slice(0, 5), Buffer.alloc(32, 1).toString('base64url')].join('$');
    expect(await verifyPassword('correct horse battery', tamperedHash)).toBe(false);
    const otherSalt = [...parts.slice(0, 4), Buffer.alloc(16, 7).toString('base64url'), parts[5]].join('$');
    expect(await verifyPassword('correct horse battery', otherSalt)).toBe(false);
    for (const bad of ['', 'plain text', 'scrypt$1000$8$1$abc$def', 'scrypt$1048576000$8$1$abc$def', `bcrypt$${parts.slice(1).join('$')}`]) {
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
    }
  });

  it('flags hashes made with a lower cost for rehashing', async () => {
    expect(needsRehash(await hashPassword('correct horse battery', FAST))).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });
});

describe('password policy', () => {
  it('needs at least 10 characters, counted as characters not bytes', () => {
    expect(passwordProblems('123456789')).toEqual([expect.stringMatching(/at least 10/)]);
    expect(passwordProblems('1234567890')).toEqual([]);
    // Ten CJK characters are ten characters (30 bytes in UTF-8); nine are too few.
    expect(passwordProblems('版权集体管理组织透明')).toEqual([]);
    expect(passwordProblems('版权集体管理组织透')).toHaveLength(1);
  });

  it('refuses very long passwords and the username as password', () => {
    expect(passwordProblems('x'.repeat(257))).toEqual([expect.stringMatching(/at most 256/)]);
    expect(passwordProblems('Music-Operator', 'music-operator')).toEqual([expect.stringMatching(/differ from the username/)]);
  });
});
