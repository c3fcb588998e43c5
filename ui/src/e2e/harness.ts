/**
 * The browser tests' harness: a whole gateway on the demo data (`createTestApp`) behind a real
 * HTTP server on a free loopback port, serving the built web app, and headless Chromium driven by
 * playwright-core. Outside CI a missing Chromium skips the tests with the reason printed; under
 * `CI=true` it is an error.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from '../../../gateway/src/testing/test-app';
import { UI_DIST } from '../../../gateway/src/http/static-ui';
import { en, type MessageKey } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';

/** Debian's Chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. Under CI=true they must run. */
export function skipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true they must run`);
  return reason;
}

/** Where screenshots go (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/ui-e2e/', import.meta.url));

/** Builds the web app unless a build exists. */
export async function ensureUiBuilt(): Promise<void> {
  if (existsSync(join(UI_DIST, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'warn' });
}

/** A running gateway with a browser. */
export interface UiServer {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the gateway on a free port and launches Chromium. */
export async function startUiServer(): Promise<UiServer> {
  await ensureUiBuilt();
  await mkdir(ARTIFACTS, { recursive: true });
  const t = await createTestApp();
  const server = serve({ fetch: t.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) resolve();
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    t,
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    },
  };
}

/** The languages the journeys run in. */
export const LANGS = ['en', 'zh-CN'] as const;

/** A message of a catalogue, placeholders filled: what the page must show. */
export function msg(lang: (typeof LANGS)[number], key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text: string = lang === 'en' ? en[key] : zhCN[key];
  return text.replace(/\{(\w+)\}/g, (m, n: string) => (n in vars ? String(vars[n]) : m));
}
