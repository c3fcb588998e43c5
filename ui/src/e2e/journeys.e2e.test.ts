/**
 * The main journey of each audience, in a real browser, in English and in Chinese: a member
 * verifies a statement line (and a tampered proof fails), a licensee checks coverage and verifies
 * its licence, the regulator opens the deadline tracker and downloads the annual report, an
 * operator runs a distribution and watches it finish. Screenshots go to test-artifacts/ui-e2e/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../gateway/src/auth/demo-accounts';
import { distributionJobs } from '../../../gateway/src/jobs/distribution-job';
import { ARTIFACTS, LANGS, msg, skipReason, startUiServer, type UiServer } from './harness';

const reason = skipReason();
if (reason) console.log(reason);

type Lang = (typeof LANGS)[number];

/** A usage report naming demo works by id (MCSC-M001 holds a share of MCSC-W0001) and one nobody manages. */
function usageCsv(): string {
  const rows = ['usage_id,work_id,iswc,isrc,title,creators,plays,amount'];
  for (let i = 1; i <= 12; i++) rows.push(`u${i},MCSC-W${String(i).padStart(4, '0')},,,,,${i * 7},`);
  rows.push('u13,,,,Nobody Knows This Song,Nobody,9,');
  return `${rows.join('\n')}\n`;
}

describe.skipIf(reason !== null)('web UI journeys in Chromium', () => {
  let s: UiServer;
  let memberRunId: string;
  const contexts: BrowserContext[] = [];

  const op = (method: string, path: string, body: unknown, key: string) => s.t.call(method, `/api/operator${path}`, { as: 'music-operator', body, headers: { 'idempotency-key': key } });

  const waitRun = async (id: string) => {
    // Bounded by a number of polls, not by time.
    for (let i = 0; i < 1200; i++) {
      const run = ((await (await s.t.call('GET', `/api/operator/distributions/${id}`, { as: 'music-operator' })).json()) as { run: { status: string; error: unknown } }).run;
      if (run.status === 'done' || run.status === 'failed') return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${id} did not finish`);
  };

  beforeAll(async () => {
    s = await startUiServer();
    // Money in three 2026Q4 pools (one for the member's statement, one per language for the operator's run), and a usage report.
    for (const use of ['ktv', 'background_music', 'live']) {
      const res = await op('POST', '/income', { incomeId: `INC-e2e-${use}`, pool: { rightType: 'performing', useType: use, period: '2026Q4' }, amount: '1000.00', currency: 'CNY', source: { kind: 'society', reference: `e2e-${use}` } }, `e2e-income-${use}`);
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const upload = await s.t.call('POST', '/api/licensee/usage-reports?period=2026Q4', { as: 'licensee-MCSC-L001', body: usageCsv(), headers: { 'content-type': 'text/csv', 'idempotency-key': 'e2e-usage-0001' } });
    expect(upload.status, await upload.clone().text()).toBe(201);
    // The member journeys need a finished run: started through the operator API.
    const started = await op('POST', '/distributions', { pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' }, currency: 'CNY', method: 'points', feeRate: '0.15', deductionRate: '0.05', threshold: '0' }, 'e2e-dist-ktv');
    expect(started.status, await started.clone().text()).toBe(202);
    memberRunId = ((await started.json()) as { run: { id: string } }).run.id;
    const run = await waitRun(memberRunId);
    expect(run.status, JSON.stringify(run.error)).toBe('done');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    if (s) await distributionJobs(s.t.services).idle();
    await s?.close();
  });

  /** A fresh browser context in `lang` (a phone-sized one when asked), already on `path`. */
  const open = async (lang: Lang, path: string, opts: { phone?: boolean } = {}): Promise<Page> => {
    const context = await s.browser.newContext({
      baseURL: s.base,
      acceptDownloads: true,
      viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      locale: lang,
    });
    contexts.push(context);
    // The remembered language, as the language switch stores it.
    await context.addInitScript((l) => {
      if (!localStorage.getItem('rtl.lang')) localStorage.setItem('rtl.lang', l);
    }, lang);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(path);
    return page;
  };

  const signIn = async (page: Page, lang: Lang, username: string) => {
    const account = DEMO_ACCOUNTS.find((a) => a.username === username)!;
    await page.goto('/login');
    await page.getByLabel(msg(lang, 'auth.username')).fill(username);
    await page.getByLabel(msg(lang, 'auth.password')).fill(account.password);
    await page.getByRole('button', { name: msg(lang, 'auth.signIn') }).last().click();
    await page.getByRole('button', { name: msg(lang, 'auth.signOut') }).waitFor();
  };

  const shot = (page: Page, name: string, lang: Lang) => page.screenshot({ path: join(ARTIFACTS, `${name}-${lang}.png`), fullPage: true });

  it('switches the language and remembers it', async () => {
    const page = await open('en', '/');
    await page.getByRole('heading', { level: 1, name: msg('en', 'home.title') }).waitFor();
    await page.getByLabel(msg('en', 'common.language')).selectOption('zh-CN');
    await page.getByRole('heading', { level: 1, name: msg('zh-CN', 'home.title') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: msg('zh-CN', 'home.title') }).waitFor();
    await shot(page, 'home', 'zh-CN');
  });

  for (const lang of LANGS) {
    describe(lang, () => {
      it('member: opens a statement and sees a line verified in the browser', async () => {
        const page = await open(lang, '/');
        await signIn(page, lang, 'member-MCSC-M001');
        await page.getByRole('link', { name: msg(lang, 'nav.member.statements'), exact: true }).click();
        await page.getByRole('link', { name: memberRunId }).click();
        await page.getByRole('heading', { level: 1, name: msg(lang, 'statements.statementTitle', { run: memberRunId }) }).waitFor();
        const row = page.locator('tr[data-line]').first();
        await row.getByTestId('verify-line').click();
        const verdict = row.getByTestId('line-verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-verified')).toBe('true');
        expect(await verdict.textContent()).toMatch(new RegExp(msg(lang, 'verify.line.ok', { block: '\\d+' })));
        // Drill-down from the line to its work, usage and licensee.
        await row.locator('button.btn-link').click();
        await page.getByText('MCSC-L001', { exact: false }).first().waitFor();
        await shot(page, 'member-statement-verified', lang);
        // The run's credit on the payable account, with its ledger transaction.
        await page.getByRole('link', { name: msg(lang, 'nav.member.payouts'), exact: true }).click();
        const moves = page.getByTestId('movements');
        await moves.getByText(msg(lang, 'movementKind.distribution-batch')).first().waitFor();
        expect(await moves.locator('tbody tr').count()).toBeGreaterThan(0);
        expect(await moves.locator('tbody tr').first().locator('a').count()).toBeGreaterThan(0);
      });

      it('member: a tampered proof shows "not verified"', async () => {
        const page = await open(lang, '/');
        await signIn(page, lang, 'member-MCSC-M001');
        // Flip one hex digit of the first audit-path hash in the server's answer.
        await page.route('**/api/member/statements/*/lines/*/proof', async (route) => {
          const res = await route.fetch();
          const body = (await res.json()) as { proof: string[]; leaf: string };
          if (body.proof.length > 0) {
            const h = body.proof[0]!;
            body.proof[0] = (h[0] === '0' ? '1' : '0') + h.slice(1);
          } else body.leaf = body.leaf.replace(/"net":"/, '"net":"9');
          await route.fulfill({ response: res, json: body });
        });
        await page.goto(`/member/statements/${memberRunId}`);
        const row = page.locator('tr[data-line]').first();
        await row.getByTestId('verify-line').click();
        const verdict = row.getByTestId('line-verdict');
        await verdict.waitFor();
        expect(await verdict.getAttribute('data-verified')).toBe('false');
        expect(await verdict.textContent()).toContain(msg(lang, 'verify.line.bad'));
        await shot(page, 'member-statement-tampered', lang);
      });

      it('licensee: checks which works a playlist covers, then verifies its licence from the certificate', async () => {
        const work = (await (await s.t.call('GET', '/api/public/works/MCSC-W0001')).json()) as { title: string; creators: { name: string }[] };
        const page = await open(lang, '/', { phone: lang === 'zh-CN' });
        await signIn(page, lang, 'licensee-MCSC-L001');
        await page.getByRole('link', { name: msg(lang, 'nav.licensee.coverage') }).click();
        await page.getByLabel(msg(lang, 'coverage.list')).fill(`${work.title} - ${work.creators[0]?.name ?? ''}\nNobody Knows This Song - Nobody\n`);
        await page.getByRole('button', { name: msg(lang, 'coverage.check') }).click();
        await page.getByTestId('coverage-result').waitFor();
        expect(await page.getByTestId('coverage-result').getByRole('status').textContent()).toContain(msg(lang, 'coverage.summary', { matched: 1, total: 2 }));
        expect(await page.getByTestId('uncovered').textContent()).toContain('Nobody Knows This Song');
        expect(await page.getByTestId('covered').textContent()).toContain(work.title);
        await shot(page, 'licensee-coverage', lang);

        await page.getByRole('link', { name: msg(lang, 'nav.licensee.licences') }).click();
        await page.getByRole('link', { name: msg(lang, 'licences.certificate') }).first().click();
        await page.getByTestId('qr').waitFor();
        const code = (await page.getByTestId('cert-code').textContent())!.trim();
        await shot(page, 'licensee-certificate', lang);
        // The QR code's target: the public verification page.
        await page.goto(`/verify/${code}`);
        const status = page.getByTestId('licence-status');
        await status.waitFor();
        expect(await status.getAttribute('data-status')).toBe('valid');
        expect(await status.textContent()).toContain(msg(lang, 'licenceStatus.valid'));
        await shot(page, 'verify-licence', lang);
      });

      it('regulator: opens the deadline tracker and downloads the annual report', async () => {
        const page = await open(lang, '/');
        await signIn(page, lang, 'regulator');
        await page.getByRole('link', { name: msg(lang, 'nav.regulator.deadlines') }).click();
        await page.getByTestId('deadline-summary').waitFor();
        const rows = page.getByTestId('deadlines').locator('tbody tr');
        expect(await rows.count()).toBeGreaterThan(0);
        expect(await page.getByTestId('deadlines').textContent()).toContain('2027');
        await shot(page, 'regulator-deadlines', lang);

        await page.getByRole('link', { name: msg(lang, 'nav.regulator.report') }).click();
        await page.getByLabel(msg(lang, 'report.year')).fill('2026');
        await page.locator('.report-collective').first().waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
        expect(download.suggestedFilename()).toBe('annual-report-2026.csv');
        const csv = await readFile((await download.path())!, 'utf8');
        expect(csv.split(/\r?\n/)[0]).toMatch(/collective/i);
        expect(csv).toContain('MCSC');
        await shot(page, 'regulator-report', lang);
      });

      it('operator: runs a distribution and watches it finish', async () => {
        const page = await open(lang, '/');
        await signIn(page, lang, 'music-operator');
        await page.getByRole('link', { name: msg(lang, 'nav.operator.distributions') }).first().click();
        const form = page.getByRole('form', { name: msg(lang, 'runs.start') });
        await form.getByLabel(msg(lang, 'common.useType')).selectOption(lang === 'en' ? 'background_music' : 'live');
        await form.getByLabel(msg(lang, 'common.period')).fill('2026Q4');
        await form.getByRole('button', { name: msg(lang, 'runs.startButton') }).click();
        // Either the run's page opens, or the form shows the API's error (reported as the failure).
        const outcome = await Promise.race([
          page.waitForURL(/\/operator\/distributions\/RUN-/).then(() => 'started'),
          form.getByRole('alert').waitFor().then(async () => `error: ${await form.getByRole('alert').textContent()}`),
        ]);
        expect(outcome).toBe('started');
        await page.getByTestId('run-progress').waitFor();
        await page.getByTestId('run-done').waitFor({ timeout: 45_000 });
        expect(await page.getByTestId('run-progress').getAttribute('data-status')).toBe('done');
        expect(await page.locator('progress').getAttribute('value')).toBe('100');
        await shot(page, 'operator-distribution', lang);
      });
    });
  }
});
