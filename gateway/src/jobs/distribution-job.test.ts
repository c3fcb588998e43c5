import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merkleRoot } from '@rtl/distribution/merkle/tree';
import { parseMoney } from '@rtl/distribution/money';
import { createTestApp, type TestApp } from '../testing/test-app';
import { DistributionJobs, distributionJobs } from './distribution-job';

interface Run {
  id: string;
  status: string;
  stage: string;
  progress: number;
  summary: Record<string, string> & { merkleRoot: string; batchCount: number };
  error: { code: string } | null;
  anchorTxIds: string[];
  ledger: { status: string; merkleRoot: string } | null;
}

const KTV = { rightType: 'performing', useType: 'ktv', period: '2026Q4' } as const;
const BGM = { rightType: 'performing', useType: 'background_music', period: '2026Q4' } as const;

/** A usage.csv: demo works by id, one by ISRC, and lines nobody can match. */
function usageCsv(): string {
  const rows = ['usage_id,work_id,iswc,isrc,title,creators,plays,amount'];
  for (let i = 1; i <= 12; i++) rows.push(`u${i},MCSC-W${String(i).padStart(4, '0')},,,,,${i * 7},`);
  rows.push('u13,,,CNMC12600013,,,5,');
  rows.push('u14,,,,Nobody Knows This Song,Nobody,9,');
  return `${rows.join('\n')}\n`;
}

describe('distribution runs through the API', () => {
  let t: TestApp;
  let reportId: string;
  const op = (method: string, path: string, body?: unknown, key?: string) =>
    t.call(method, `/api/operator${path}`, { as: 'music-operator', ...(body !== undefined && { body }), ...(key && { headers: { 'idempotency-key': key } }) });
  const waitDone = async (id: string): Promise<Run> => {
    // Polls the API as a client would; bounded by a number of polls, not by time.
    for (let i = 0; i < 600; i++) {
      const run = ((await (await op('GET', `/distributions/${id}`)).json()) as { run: Run }).run;
      if (run.status === 'done' || run.status === 'failed') return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${id} did not finish`);
  };
  const start = (body: Record<string, unknown>, key: string) => op('POST', '/distributions', { currency: 'CNY', method: 'points', feeRate: '0.15', deductionRate: '0.05', threshold: '0', ...body }, key);

  beforeAll(async () => {
    t = await createTestApp();
    for (const [pool, key, amount] of [[KTV, 'income-ktv-q4', '1000.00'], [BGM, 'income-bgm-q4', '333.33']] as const) {
      const res = await op('POST', '/income', { incomeId: `INC-${key}`, pool, amount, currency: 'CNY', source: { kind: 'society', reference: key } }, key);
      expect(res.status).toBe(201);
    }
    const upload = await t.call('POST', '/api/licensee/usage-reports?period=2026Q4', {
      as: 'licensee-MCSC-L001',
      body: usageCsv(),
      headers: { 'content-type': 'text/csv', 'idempotency-key': 'usage-upload-0001' },
    });
    expect(upload.status).toBe(201);
    reportId = ((await upload.json()) as { report?: { id: string }; id?: string }).report?.id ?? ((await t.db.sql<{ id: string }[]>`select id from offchain.usage_reports`)[0]!.id);
  });
  afterAll(async () => {
    if (t) await distributionJobs(t.services).idle();
    await t?.close();
  });

  it('runs, anchors and seals: payables credited exactly, statement root = on-chain root, lines traceable to the report', async () => {
    const res = await start({ pool: KTV }, 'dist-ktv-2026Q4-01');
    expect(res.status).toBe(202);
    const { run: queued } = (await res.json()) as { run: Run };
    expect(['queued', 'running', 'anchoring', 'done']).toContain(queued.status);
    const run = await waitDone(queued.id);
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: 'done', stage: 'done', progress: 1, ledger: { status: 'sealed' } });
    expect(run.anchorTxIds).toHaveLength(run.summary.batchCount + 2);

    // Conservation, exactly, in minor units.
    const m = (k: string) => parseMoney(run.summary[k]!, 'CNY').minor;
    expect(run.summary.gross).toBe('1000.00');
    expect(m('managementFee')).toBe(15000n);
    expect(m('managementFee') + m('deductions') + m('allocated') + m('suspense') + m('carriedForward') + m('rounding')).toBe(100000n);
    expect(m('suspense')).toBeGreaterThan(0n); // the unmatched line and the demo's unclaimed shares

    // The statement lines' Merkle root is the one on the ledger.
    const leaves = await t.db.sql<{ leaf: string }[]>`select leaf from offchain.statement_lines where run_id = ${run.id} order by line_index`;
    expect(leaves.length).toBeGreaterThan(0);
    const [onChain] = await t.db.sql<{ merkle_root: string; status: string }[]>`select merkle_root, status from rm.distributions where id = ${run.id}`;
    expect(merkleRoot(leaves.map((l) => l.leaf)).toString('hex')).toBe(onChain!.merkle_root);
    expect(onChain!.merkle_root).toBe(run.summary.merkleRoot);

    // Each member's payable was credited exactly the sum of its statement lines.
    const credited = await t.db.sql<{ party: string; credited: string; lines: string }[]>`
      with c as (select split_part(p.account, ':', 2) as party, -sum(p.amount) as credited from rm.postings p join rm.entries e on e.id = p.entry_id
                  where e.ref like ${`distribution/${run.id}/%`} and p.account like 'member:%:payable' group by 1),
           l as (select party_id as party, sum(net) as lines from offchain.statement_lines where run_id = ${run.id} group by 1)
      select coalesce(c.party, l.party) as party, coalesce(c.credited, 0)::text as credited, coalesce(l.lines, 0)::text as lines from c full join l on c.party = l.party`;
    expect(credited.length).toBeGreaterThan(3);
    for (const r of credited) expect({ party: r.party, credited: r.credited }).toEqual({ party: r.party, credited: r.lines });
    const [pool] = await t.db.sql<{ b: string }[]>`select (-sum(amount))::text as b from rm.postings where account = 'pool:MCSC:performing:ktv:2026Q4'`;
    expect(pool!.b).toBe('0.00');

    // Every statement line names the usage report and licensee it comes from.
    const sources = await t.db.sql<{ usage_report_id: string; licensee_id: string }[]>`select distinct usage_report_id, licensee_id from offchain.statement_lines where run_id = ${run.id}`;
    expect(sources).toEqual([{ usage_report_id: reportId, licensee_id: 'MCSC-L001' }]);
    const suspense = await t.db.sql<{ reason: string }[]>`select distinct reason from offchain.suspense_lines where run_id = ${run.id} order by reason`;
    expect(suspense.map((s) => s.reason)).toContain('SUSPENSE.UNCLAIMED_SHARE');

    // The same key returns the same run; the list shows it.
    const again = (await (await start({ pool: KTV }, 'dist-ktv-2026Q4-01')).json()) as { run: Run };
    expect(again.run.id).toBe(run.id);
    const list = (await (await op('GET', '/distributions')).json()) as { items: Run[] };
    expect(list.items.map((r) => r.id)).toContain(run.id);
  });

  it('refuses bad input, empty pools, other roles and other collectives, writing nothing', async () => {
    const before = (await t.db.sql<{ n: string }[]>`select count(*)::text as n from offchain.distribution_runs`)[0]!.n;
    const err = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: { code: string; details: { field?: string } } }).error });
    expect(await err(await start({ pool: BGM, feeRate: '0.9', deductionRate: '0.2' }, 'dist-bad-0001'))).toMatchObject({ status: 400, code: 'VALIDATION.INVALID_ARGUMENT', details: { field: 'deductionRate' } });
    expect(await err(await start({ pool: BGM, threshold: '1.001' }, 'dist-bad-0002'))).toMatchObject({ status: 400, details: { field: 'threshold' } });
    expect(await err(await start({ pool: BGM, usageReportIds: ['UR-nope'] }, 'dist-bad-0003'))).toMatchObject({ status: 404, code: 'NOT_FOUND', details: { field: 'usageReportIds.0' } });
    expect(await err(await start({ pool: { ...BGM, period: '2026Q1' } }, 'dist-bad-0004'))).toMatchObject({ status: 400, details: { field: 'usageReportIds' } });
    expect(await err(await start({ pool: KTV }, 'dist-bad-0005'))).toMatchObject({ status: 422, code: 'LEDGER.INSUFFICIENT_FUNDS', details: { field: 'pool' } });
    expect((await t.call('POST', '/api/operator/distributions', { body: {} })).status).toBe(401);
    expect((await t.call('GET', '/api/operator/distributions', { as: 'member-MCSC-M001' })).status).toBe(403);
    const mine = ((await (await op('GET', '/distributions')).json()) as { items: Run[] }).items[0]!;
    expect((await t.call('GET', `/api/operator/distributions/${mine.id}`, { as: 'av-operator' })).status).toBe(404);
    expect(((await (await t.call('GET', '/api/operator/distributions', { as: 'av-operator' })).json()) as { items: Run[] }).items).toEqual([]);
    expect((await t.db.sql<{ n: string }[]>`select count(*)::text as n from offchain.distribution_runs`)[0]!.n).toBe(before);
  });

  it('resumes interrupted runs after a restart, re-submitting anchoring steps safely', async () => {
    // A run a previous process had queued but never started.
    await t.db.sql`insert into offchain.distribution_runs ${t.db.sql({
      id: 'RUN-RESUME-1', collective_id: 'MCSC', right_type: 'performing', use_type: 'background_music', period: '2026Q4', status: 'running', stage: 'usage',
      parameters: t.db.sql.json({ pool: BGM, currency: 'CNY', method: 'points', feeRate: '0.1', deductionRate: '0', threshold: '0' }), usage_report_ids: [reportId], created_by: 'music-operator',
    })}`;
    const restarted = new DistributionJobs(t.services);
    expect(await restarted.recover()).toEqual(['RUN-RESUME-1']);
    await restarted.idle();
    const first = await waitDone('RUN-RESUME-1');
    expect(first).toMatchObject({ status: 'done', ledger: { status: 'sealed' }, summary: { gross: '333.33' } });

    // Interrupted while anchoring (as if the process died after the ledger sealed it): resuming
    // recomputes the same plan and every derived command returns its first transaction.
    await t.db.sql`update offchain.distribution_runs set status = 'anchoring', stage = 'anchoring', anchor_tx_ids = '{}' where id = 'RUN-RESUME-1'`;
    const again = new DistributionJobs(t.services);
    await again.recover();
    await again.idle();
    const second = await waitDone('RUN-RESUME-1');
    expect(second.status).toBe('done');
    expect(second.anchorTxIds).toEqual(first.anchorTxIds);
    const [entries] = await t.db.sql<{ n: string }[]>`select count(*)::text as n from rm.entries where ref like 'distribution/RUN-RESUME-1%'`;
    expect(Number(entries!.n)).toBe(first.anchorTxIds.length - 1); // open + batches post entries; the seal posts none
  });
});
