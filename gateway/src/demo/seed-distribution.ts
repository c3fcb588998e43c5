/**
 * The demo's distribution, seeded through the HTTP API exactly as people would do it: the demo KTV
 * licensee uploads a quarter's usage report, and the music collective's operator runs the
 * distribution of the KTV pool, which the job runner computes and anchors on the ledger. Members
 * then have statements to open and verify. Skipped when the collective already has a run.
 */
import type postgres from 'postgres';
import { DEMO_ACCOUNTS } from '../auth/demo-accounts';
import { DEMO_PERIOD, demoData } from './demo-data';

/** The part of the app the seed calls: Hono's in-process `request`. */
interface AppLike {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** Usage rows of a KTV venue's quarter: most by ISWC or work id, some by title and creator, a few unknown. */
export function demoUsageCsv(): string {
  const data = demoData();
  const works = data.works.filter((w) => w.collectiveId === 'MCSC');
  let seed = 7;
  const next = () => {
    // A small LCG is enough for reproducible play counts.
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = ['usage_id,work_id,iswc,isrc,title,creators,plays,amount'];
  works.forEach((w, i) => {
    const plays = 5 + (next() % 400);
    const creators = w.creators.filter((c) => c.role !== 'publisher').map((c) => c.name).join('|');
    if (i % 5 === 0) rows.push([`U${i}`, '', '', '', q(w.title), q(creators), String(plays), ''].join(','));
    else if (w.iswc) rows.push([`U${i}`, '', w.iswc, '', q(w.title), q(creators), String(plays), ''].join(','));
    else rows.push([`U${i}`, w.workId, '', '', q(w.title), q(creators), String(plays), ''].join(','));
  });
  const unknown = ['夜上海 (未登记)', 'Unregistered Love Song', '无名小调', 'Karaoke Medley 2026'];
  unknown.forEach((title, i) => rows.push([`X${i}`, '', '', '', q(title), q('佚名'), String(120 + i * 37), ''].join(',')));
  return `${rows.join('\n')}\n`;
}

/** Seeds the demo distribution; resolves once it is anchored (or was already there). */
export async function seedDemoDistribution(app: AppLike, sql: postgres.Sql, log: (line: string) => void): Promise<'done' | 'skipped'> {
  const [existing] = await sql<{ n: number }[]>`select count(*)::int as n from offchain.distribution_runs where collective_id = 'MCSC'`;
  if ((existing?.n ?? 0) > 0) return 'skipped';
  const login = async (username: string) => {
    const account = DEMO_ACCOUNTS.find((a) => a.username === username);
    if (!account) throw new Error(`no demo account ${username}`);
    const res = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account.password }) });
    if (res.status !== 200) throw new Error(`demo sign-in ${username}: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  const expectOk = async (res: Response, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };

  const licensee = await login('licensee-MCSC-L001');
  const upload = await expectOk(
    await app.request(`/api/licensee/usage-reports?period=${DEMO_PERIOD}&format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${licensee}`, 'content-type': 'text/csv', 'idempotency-key': 'demo-usage-2026Q3' },
      body: demoUsageCsv(),
    }),
    'demo usage report',
  );
  const report = upload as { id: string; accepted?: number };
  log(`seed: usage report ${report.id} uploaded by the demo KTV venue (${report.accepted ?? '?'} lines accepted)`);

  const operator = await login('music-operator');
  const started = await expectOk(
    await app.request('/api/operator/distributions', {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json', 'idempotency-key': 'demo-distribution-ktv-2026Q3' },
      body: JSON.stringify({
        pool: { rightType: 'performing', useType: 'ktv', period: DEMO_PERIOD },
        currency: 'CNY',
        method: 'points',
        feeRate: '0.15',
        deductionRate: '0.05',
        threshold: '1.00',
        usageReportIds: [report.id],
      }),
    }),
    'demo distribution',
  );
  const runId = (started.run as { id: string }).id;
  let last = '';
  for (let i = 0; i < 1200; i++) {
    const res = await expectOk(await app.request(`/api/operator/distributions/${runId}`, { headers: { authorization: `Bearer ${operator}` } }), 'demo distribution status');
    const run = res.run as { status: string; stage: string; progress: string | number; error?: unknown };
    const line = `${run.status} ${run.stage} ${run.progress}`;
    if (line !== last) log(`seed: distribution ${runId}: ${run.stage} (${run.progress})`);
    last = line;
    if (run.status === 'done') return 'done';
    if (run.status === 'failed') throw new Error(`demo distribution failed: ${JSON.stringify(run.error)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('demo distribution did not finish within 5 minutes');
}
