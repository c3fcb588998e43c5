import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';

// A CWR 2.1 file built field by field (positions as in the CWR specification).
const pad = (s: string, n: number) => s.padEnd(n, ' ').slice(0, n);
const prefix = (t: string, tx: number, rec: number) => t + String(tx).padStart(8, '0') + String(rec).padStart(8, '0');
const spu = (tx: number, rec: number, ip: string, name: string, ipi: string, pr: string, mr: string) =>
  prefix('SPU', tx, rec) + '01' + pad(ip, 9) + pad(name, 45) + ' ' + pad('E', 2) + pad('', 9) + pad(ipi, 11) + pad('', 14) + '021' + pr + '034' + mr + '034' + '00000' + ' N';
const swr = (tx: number, rec: number, ip: string, last: string, first: string, ipi: string, pr: string, mr: string) =>
  prefix('SWR', tx, rec) + pad(ip, 9) + pad(last, 45) + pad(first, 30) + ' ' + 'CA' + pad('', 9) + pad(ipi, 11) + '021' + pr + '034' + mr + '034' + '00000' + ' N';
const nwr = (tx: number, title: string, id: string, iswc: string) =>
  prefix('NWR', tx, 0) + pad(title, 60) + 'EN' + pad(id, 14) + pad(iswc, 11) + '00000000' + pad('', 12) + 'POP' + '000300' + 'Y' + pad('', 9) + 'ORI';

/** Works: one by a known member and an unknown IPI, one over-claimed, one with a bad share, one by a writer without IPI. */
function cwrFile(ipiKnown: string, ipiOther = '00000000000'): string {
  const lines = [
    'HDRPB000000199' + pad('TEST PUBLISHER', 45) + '01.10' + '20260115' + '120000' + '20260115',
    'GRHNWR0000102.100000000000',
    nwr(0, 'IMPORTED ONE', 'MCSC-CWR1', ''),
    swr(0, 1, 'W1', 'WANG', 'WEI', ipiKnown, '05000', '05000'),
    swr(0, 2, 'W2', 'STRANGER', 'SAM', '00999888777', '03000', '05000'),
    spu(0, 3, 'P9', 'SOME PUBLISHER', '00999888666', '02000', '00000'),
    nwr(1, 'OVER CLAIMED', 'MCSC-CWR2', ''),
    swr(1, 1, 'W1', 'WANG', 'WEI', ipiKnown, '10000', '10000'),
    spu(1, 2, 'P1', 'KNOWN PUBLISHER', ipiOther, '05000', '00000'),
    nwr(2, 'BAD SHARE', 'MCSC-CWR3', ''),
    swr(2, 1, 'W1', 'WANG', 'WEI', ipiKnown, 'XXX00', '05000'),
    nwr(3, 'NO IPI', 'MCSC-CWR4', ''),
    swr(3, 1, 'W3', 'NONAME', 'NED', '', '10000', '10000'),
    'GRT000010000000400000013   0000000000',
    'TRL000010000000400000015',
  ];
  return lines.join('\r\n') + '\r\n';
}

interface ImportJson {
  import: {
    id: string;
    status: string;
    report: {
      registered: string[];
      rejected: Array<{ line: number; workId: string | null; code: string; field: string | null }>;
      unknownIpis: Array<{ ipiNameNumber: string; registeredAs: string | null }>;
      unidentified: Array<{ line: number; name: string }>;
      effectiveFrom: string;
    };
  };
}

describe('CWR import', () => {
  let t: TestApp;
  let knownIpi: string;
  let otherIpi: string;
  const upload = (body: string, key: string, query = '', as = 'music-operator') =>
    t.call('POST', `/api/operator/imports/cwr${query}`, { as, body, headers: { 'content-type': 'application/octet-stream', 'idempotency-key': key } });

  beforeAll(async () => {
    t = await createTestApp();
    knownIpi = (await t.db.sql<{ ipi: string }[]>`select ipi_name_number as ipi from rm.parties where id = 'MCSC-M001'`)[0]!.ipi;
    otherIpi = (await t.db.sql<{ ipi: string }[]>`select ipi_name_number as ipi from rm.parties where id = 'MCSC-M002'`)[0]!.ipi;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('maps IPIs to members, PR/MR to performing/mechanical, registers what fits and reports the rest with lines', async () => {
    const res = await upload(cwrFile(knownIpi, otherIpi), 'cwr-import-0001');
    expect(res.status).toBe(201);
    const { report, status } = ((await res.json()) as ImportJson).import;
    expect(status).toBe('done');
    expect(report.effectiveFrom).toBe('2026-01-15');
    expect(report.registered).toEqual(['MCSC-CWR1', 'MCSC-CWR4']);
    expect(report.rejected).toEqual([
      expect.objectContaining({ line: 7, workId: 'MCSC-CWR2', code: 'SHARES.OVER_100' }),
      expect.objectContaining({ line: 11, code: 'PARSE.INVALID_SHARE' }),
    ]);
    expect(report.unknownIpis.map((u) => u.ipiNameNumber).sort()).toEqual(['00999888666', '00999888777']);
    expect(report.unidentified).toEqual([expect.objectContaining({ line: 13 })]);
    const shares = await t.db.sql<{ right_type: string; party_id: string; share: string }[]>`
      select right_type, party_id, share::text from rm.share_holders where work_id = 'MCSC-CWR1' order by right_type`;
    expect(shares).toEqual([
      { right_type: 'mechanical', party_id: 'MCSC-M001', share: '50.0000' },
      { right_type: 'performing', party_id: 'MCSC-M001', share: '50.0000' },
    ]);
    const [unclaimed] = await t.db.sql<{ u: string }[]>`select unclaimed::text as u from rm.shares where work_id = 'MCSC-CWR1' and right_type = 'performing'`;
    expect(unclaimed!.u).toBe('50.0000');
    // The same key returns the stored report; another key with a changed file imports nothing twice.
    const again = (await (await upload(cwrFile(knownIpi, otherIpi), 'cwr-import-0001')).json()) as ImportJson;
    expect(again.import.report.registered).toEqual(['MCSC-CWR1', 'MCSC-CWR4']);
    const get = (await (await t.call('GET', `/api/operator/imports/cwr/${again.import.id}`, { as: 'music-operator' })).json()) as ImportJson;
    expect(get.import.status).toBe('done');
    expect((await t.call('GET', `/api/operator/imports/cwr/${again.import.id}`, { as: 'av-operator' })).status).toBe(404);
  });

  it('registers unknown IPIs as members on request', async () => {
    const file = cwrFile(knownIpi, otherIpi).replace(/MCSC-CWR(\d)/g, 'MCSC-CWS$1');
    const res = await upload(file, 'cwr-import-0002', '?registerUnknown=true&effectiveFrom=2026-02-01');
    const { report } = ((await res.json()) as ImportJson).import;
    expect(report.unknownIpis.map((u) => u.registeredAs).sort()).toEqual(['MCSC-IPI00999888666', 'MCSC-IPI00999888777']);
    const holders = await t.db.sql<{ party_id: string; share: string }[]>`select party_id, share::text from rm.share_holders where work_id = 'MCSC-CWS1' and right_type = 'performing' order by party_id`;
    expect(holders).toEqual([
      { party_id: 'MCSC-IPI00999888666', share: '20.0000' },
      { party_id: 'MCSC-IPI00999888777', share: '30.0000' },
      { party_id: 'MCSC-M001', share: '50.0000' },
    ]);
  });

  it('refuses a body that is not CWR, other roles and anonymous callers, writing nothing', async () => {
    const res = await upload('work_id,title\nW1,x\n', 'cwr-import-0003');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; details: { field: string } } }).error).toMatchObject({ code: 'VALIDATION.INVALID_ARGUMENT', details: { field: 'body' } });
    expect((await upload(cwrFile(knownIpi, otherIpi), 'cwr-import-0004', '', 'licensee-MCSC-L001')).status).toBe(403);
    expect((await t.call('POST', '/api/operator/imports/cwr', { body: 'HDR' })).status).toBe(401);
    expect((await upload(cwrFile(knownIpi, otherIpi), 'cwr-import-0005', '?effectiveFrom=yesterday')).status).toBe(400);
    const [n] = await t.db.sql<{ n: string }[]>`select count(*)::text as n from offchain.cwr_imports`;
    expect(n!.n).toBe('2');
  });
});
