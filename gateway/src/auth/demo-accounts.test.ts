import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoData } from '../demo/demo-data';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { DEMO_ACCOUNTS, seedDemoUsers } from './demo-accounts';
import { ledgerIdentityFor, ROLES } from './identity';
import { passwordProblems } from './passwords';
import type { AuthService } from './service';
import { openTestAuth } from './test-support';

let db: TestDatabase;
let auth: AuthService;
beforeAll(async () => {
  db = await createTestDatabase();
  auth = await openTestAuth(db.sql);
});
afterAll(async () => {
  await db?.drop();
});

describe('demo accounts', () => {
  it('cover every role, pass the password policy, and name parties of the demo data', () => {
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(ROLES));
    const parties = new Map(demoData().parties.map((p) => [p.partyId, p]));
    for (const a of DEMO_ACCOUNTS) {
      expect(passwordProblems(a.password, a.username)).toEqual([]);
      if (a.partyId !== undefined) {
        const party = parties.get(a.partyId);
        expect(party, a.partyId).toBeDefined();
        expect([party?.kind, party?.collectiveId]).toEqual([a.role, a.collectiveId]);
      }
    }
  });

  it.each([['./README.md'], ['../../../README.md']])('are documented in the table of %s exactly', (path) => {
    const text = readFileSync(new URL(path, import.meta.url), 'utf8');
    // Only the demo accounts section: other tables have code-formatted cells too.
    const readme = text.slice(text.indexOf('## Demo accounts')).split(/\n## /)[0] ?? '';
    const rows = readme.split('\n').filter((l) => /^\| `[^`]+` \| `[^`]+` \|/.test(l));
    const documented = rows.map((l) => l.split('|').slice(1, 4).map((cell) => cell.trim().replace(/`/g, '')));
    expect(documented).toEqual(DEMO_ACCOUNTS.map((a) => [a.username, a.password, a.role]));
  });

  it('are seeded idempotently, and each can sign in and maps to its ledger identity', async () => {
    const first = await seedDemoUsers(auth);
    expect(first.created).toHaveLength(DEMO_ACCOUNTS.length);
    const second = await seedDemoUsers(auth);
    expect(second).toEqual({ created: [], existing: DEMO_ACCOUNTS.map((a) => a.username) });
    const identities: Record<string, string> = {};
    for (const a of DEMO_ACCOUNTS) {
      const { user } = await auth.login(a.username, a.password, `seed-test-${a.username}`);
      const id = ledgerIdentityFor(user);
      identities[a.username] = `${id.mspId}/${id.role}/${id.user}`;
    }
    expect(identities).toMatchObject({
      'music-operator': 'MusicCmoMSP/operator/music-operator',
      'av-operator': 'AvCmoMSP/operator/av-operator',
      regulator: 'RegulatorMSP/regulator/regulator',
      'member-MCSC-M001': 'MusicCmoMSP/operator/member:MCSC-M001',
      'licensee-CAVCA-L017': 'AvCmoMSP/operator/licensee:CAVCA-L017',
    });
  });
});
