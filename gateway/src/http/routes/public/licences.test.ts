import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MSP, operatorOf } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { todayUtc } from './common';
import { expectError, ok } from './test-support';

interface Verification {
  code: string;
  status: string;
  asOf: string;
  licenceId: string;
  licensee: { id: string; name: string | null };
  tariff: { id: string; name: string | null };
  validFrom: string;
  validTo: string;
  territory: string;
  scope: string;
  revocation: { reasonCode: string; txId: string } | null;
  receipt: { txId: string; blockNumber: string; blockHash: string; validationCode: string };
}

describe('public licence verification', () => {
  let t: TestApp;
  const codeOf = async (licenceId: string) => (await t.services.sql<{ code: string }[]>`select code from rm.licences where id = ${licenceId}`)[0]!.code;
  const verify = (code: string, query = '') => t.call('GET', `/api/public/licences/verify/${code}${query}`);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verifies a licence with its licensee, tariff, term, territory, scope and the receipt of its issue', async () => {
    const code = await codeOf('MCSC-L001-LIC-2026');
    const v = await ok<Verification>(await verify(code, '?asOf=2026-06-30'));
    expect(v).toMatchObject({ code, status: 'valid', asOf: '2026-06-30', licenceId: 'MCSC-L001-LIC-2026', validFrom: '2026-01-01', validTo: '2026-12-31', territory: 'CN-BJ' });
    expect(v.licensee).toEqual({ id: 'MCSC-L001', name: '欢乐颂KTV(朝阳店)' });
    expect(v.tariff.id).toBe('MCSC-T-KTV-2026');
    expect(v.scope).toContain('欢乐颂KTV');
    const issued = (await t.services.sql<{ tx: string }[]>`select data->>'txId' as tx from rm.licences where code = ${code}`)[0]!.tx;
    const receipt = await t.services.ledger.receipt(issued);
    expect(v.receipt).toEqual({ ...v.receipt, txId: issued, blockNumber: receipt.blockNumber.toString(), blockHash: receipt.blockHash, validationCode: 'VALID' });
    // The fee is between the licensee and the collective.
    expect(JSON.stringify(v)).not.toMatch(/"fee"|"currency"/);
  });

  it('says not yet valid before the term and expired after it; today by default', async () => {
    const code = await codeOf('MCSC-L001-LIC-2026');
    expect((await ok<Verification>(await verify(code, '?asOf=2025-12-31'))).status).toBe('not_yet_valid');
    expect((await ok<Verification>(await verify(code, '?asOf=2027-01-01'))).status).toBe('expired');
    // The tenth demo licence ends on 2026-09-30.
    const short = await codeOf('MCSC-L010-LIC-2026');
    expect((await ok<Verification>(await verify(short, '?asOf=2026-10-01'))).status).toBe('expired');
    const today = await ok<Verification>(await verify(code));
    expect(today.asOf).toBe(todayUtc());
    expect(today.status).toBe(todayUtc() < '2026-01-01' ? 'not_yet_valid' : todayUtc() > '2026-12-31' ? 'expired' : 'valid');
  });

  it('says revoked once the collective revokes it, and still proves the issuing transaction', async () => {
    const code = await codeOf('MCSC-L002-LIC-2026');
    const before = await ok<Verification>(await verify(code, '?asOf=2026-06-30'));
    const revoked = await t.services.ledger.submit(operatorOf(MSP.music), 'licensing:revokeLicence', { commandId: 'test-revoke-l002', licenceId: 'MCSC-L002-LIC-2026', reasonCode: 'FRAUD' });
    await t.services.projector.waitFor(revoked.txId);
    const after = await ok<Verification>(await verify(code, '?asOf=2026-06-30'));
    expect(after.status).toBe('revoked');
    expect(after.revocation).toMatchObject({ reasonCode: 'FRAUD', txId: revoked.txId });
    expect(after.receipt).toEqual(before.receipt);
  });

  it('answers 404 for an unknown code and 400 for a malformed code or date', async () => {
    await expectError(await verify('LIC-000000000000'), 404, 'NOT_FOUND', 'code');
    await expectError(await verify('lic-123'), 400, 'VALIDATION.INVALID_ARGUMENT', 'code');
    await expectError(await verify(await codeOf('MCSC-L001-LIC-2026'), '?asOf=2026-13-01'), 400, 'VALIDATION.INVALID_ARGUMENT', 'asOf');
  });
});
