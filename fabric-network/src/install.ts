/**
 * `npm run fabric:install`: builds Fabric's binaries for the pinned release from the Go module proxy
 * into <FABRIC_CACHE_DIR>/<version>/bin and copies the release's sampleconfig beside them. Does
 * nothing when that release is already built.
 *
 * Why not `go install github.com/hyperledger/fabric/cmd/peer@<pseudo-version>`: the go command then
 * loads the module's deprecation notice from the proxy's version list (`@v/list`), which our proxy
 * refuses for this module, so the command fails before building. Instead we write a throwaway
 * module that requires the pinned pseudo-version and run `go install` of the commands inside it:
 * the same sources and the same dependency versions (Fabric's own go.mod), without that look-up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { networkConfig } from './config.js';
import { elapsedSeconds, info, step } from './lib/log.js';
import { run } from './lib/proc.js';
import { FABRIC_RELEASE } from './release.js';

export interface Installation {
  /** <cache>/<version> */
  home: string;
  bin: string;
  /** Fabric's sampleconfig folder of the release (core.yaml, orderer.yaml, configtx.yaml). */
  sampleConfig: string;
}

interface Marker {
  version: string;
  pseudoVersion: string;
  goVersion: string;
  builtAt: string;
  buildSeconds: number;
}

export function installationPaths(cacheDir = networkConfig().cacheDir): Installation {
  const home = path.join(cacheDir, FABRIC_RELEASE.version);
  return { home, bin: path.join(home, 'bin'), sampleConfig: path.join(home, 'sampleconfig') };
}

function markerFile(inst: Installation): string {
  return path.join(inst.home, 'release.json');
}

/** Whether the pinned release is completely installed. */
export function isInstalled(inst: Installation): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile(inst), 'utf8')) as Marker;
    if (m.pseudoVersion !== FABRIC_RELEASE.pseudoVersion) return false;
  } catch {
    return false;
  }
  const files = [
    ...FABRIC_RELEASE.commands.map((c) => path.join(inst.bin, c)),
    ...['core.yaml', 'orderer.yaml', 'configtx.yaml'].map((f) => path.join(inst.sampleConfig, f)),
  ];
  return files.every((f) => fs.existsSync(f));
}

/** Builds the pinned release unless it is already installed. */
export async function ensureInstalled(): Promise<Installation> {
  const inst = installationPaths();
  if (isInstalled(inst)) {
    info(`Fabric ${FABRIC_RELEASE.version} already built in ${inst.bin}`);
    return inst;
  }
  await build(inst);
  return inst;
}

async function build(inst: Installation): Promise<void> {
  const t0 = Date.now();
  let goVersion: string;
  try {
    goVersion = (await run('go', ['env', 'GOVERSION'])).stdout.trim();
  } catch (e) {
    throw new Error(`building Fabric needs Go >= 1.22 on PATH with a working GOPROXY (${e instanceof Error ? e.message : String(e)})`);
  }
  step(`Building Fabric ${FABRIC_RELEASE.version} (${FABRIC_RELEASE.module}@${FABRIC_RELEASE.pseudoVersion}) with ${goVersion}`);
  info(`into ${inst.bin}`);

  const buildDir = path.join(inst.home, 'build');
  fs.rmSync(buildDir, { recursive: true, force: true });
  fs.mkdirSync(buildDir, { recursive: true });
  fs.mkdirSync(inst.bin, { recursive: true });
  fs.writeFileSync(path.join(buildDir, 'go.mod'), [
    'module rtl.local/fabricbuild',
    '',
    'go 1.22',
    '',
    `require ${FABRIC_RELEASE.module} ${FABRIC_RELEASE.pseudoVersion}`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(buildDir, 'doc.go'), '// Package fabricbuild only pins the Fabric release to build.\npackage fabricbuild\n');

  step('Downloading the Fabric module and its sample configuration');
  const dl = await run('go', ['mod', 'download', '-json', `${FABRIC_RELEASE.module}@${FABRIC_RELEASE.pseudoVersion}`], { cwd: buildDir });
  const mod = JSON.parse(dl.stdout) as { Dir?: string; Error?: string };
  if (!mod.Dir) throw new Error(`go mod download gave no Dir: ${mod.Error ?? dl.stdout}`);
  info(`module source: ${mod.Dir}`);
  fs.rmSync(inst.sampleConfig, { recursive: true, force: true });
  fs.cpSync(path.join(mod.Dir, 'sampleconfig'), inst.sampleConfig, { recursive: true });
  // The module cache is read-only; our copy must be writable so later runs can replace it.
  fs.chmodSync(inst.sampleConfig, 0o755);
  for (const f of fs.readdirSync(inst.sampleConfig, { recursive: true }) as string[]) {
    const p = path.join(inst.sampleConfig, f);
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  info(`sample configuration: ${inst.sampleConfig}`);

  step(`Compiling ${FABRIC_RELEASE.commands.join(', ')} (CGO_ENABLED=0; a few minutes on 2 cores)`);
  const ldflags = [
    `-X ${FABRIC_RELEASE.module}/common/metadata.Version=${FABRIC_RELEASE.version}`,
    `-X ${FABRIC_RELEASE.module}/common/metadata.CommitSHA=${FABRIC_RELEASE.commit.slice(0, 12)}`,
  ].join(' ');
  let downloads = 0;
  let compiled = 0;
  let lastReport = Date.now();
  await run('go', [
    'install', '-mod=mod', '-trimpath', '-v', '-ldflags', ldflags,
    ...FABRIC_RELEASE.commands.map((c) => `${FABRIC_RELEASE.module}/cmd/${c}`),
  ], {
    cwd: buildDir,
    // Pure Go build: static binaries, no C toolchain needed (Fabric needs cgo only for PKCS#11).
    env: { ...process.env, GOBIN: inst.bin, CGO_ENABLED: '0' },
    onLine: (line) => {
      if (line.startsWith('go: downloading')) {
        downloads++;
        if (downloads % 20 === 1) info(`${line.slice(4)} (${downloads} modules so far)`);
        return;
      }
      if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line.trim())) {
        compiled++;
        if (Date.now() - lastReport > 10_000) {
          lastReport = Date.now();
          info(`compiled ${compiled} packages (${Math.round((Date.now() - t0) / 1000)}s) … ${line.trim()}`);
        }
        return;
      }
      if (line.trim()) info(line);
    },
  });
  const v = await run(path.join(inst.bin, 'peer'), ['version']);
  info(`peer version: ${v.stdout.split('\n').find((l) => /Version:/.test(l))?.trim() ?? '?'}`);
  const buildSeconds = Math.round((Date.now() - t0) / 1000);
  const marker: Marker = {
    version: FABRIC_RELEASE.version,
    pseudoVersion: FABRIC_RELEASE.pseudoVersion,
    goVersion,
    builtAt: new Date().toISOString(),
    buildSeconds,
  };
  fs.writeFileSync(markerFile(inst), `${JSON.stringify(marker, null, 2)}\n`);
  fs.rmSync(buildDir, { recursive: true, force: true });
  step(`Fabric ${FABRIC_RELEASE.version} built in ${buildSeconds}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  ensureInstalled().then(
    (inst) => {
      info(`binaries: ${inst.bin} (${elapsedSeconds().toFixed(0)}s)`);
    },
    (err: unknown) => {
      process.stderr.write(`fabric:install failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
