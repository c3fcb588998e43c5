/**
 * Programmatic control of the local network, for tests and benchmarks: bring it up or down, tell
 * whether one is running, and stop or start one organisation's peer (by its recorded process id)
 * to exercise a peer outage while the rest of the network keeps working.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { networkConfig } from './config.js';
import { isInstalled, installationPaths } from './install.js';
import { startDetached, stopProcess, waitFor } from './lib/proc.js';
import { readProcesses, replaceProcess, runningProcesses } from './state.js';
import { topology, type PeerOrg } from './topology.js';

export { down as networkDown } from './down.js';
export { up as networkUp } from './up.js';

/** Where the running network's connection profile is (written by `up`). */
export function profilePath(): string {
  return topology(networkConfig()).profileFile;
}

/** Whether processes of a network are running (started by `up` and not stopped by `down`). */
export function networkRunning(): boolean {
  return runningProcesses(topology(networkConfig())).length > 0;
}

/** Whether the pinned Fabric release's binaries are built. */
export function fabricInstalled(): boolean {
  return isInstalled(installationPaths());
}

function peerOrgOf(mspId: string): PeerOrg {
  const org = topology(networkConfig()).peerOrgs.find((o) => o.mspId === mspId);
  if (!org) throw new Error(`no peer organisation ${mspId}`);
  return org;
}

/** Stops one organisation's peer process (SIGTERM, then SIGKILL after a grace period). */
export async function stopPeer(mspId: string): Promise<void> {
  const org = peerOrgOf(mspId);
  const p = readProcesses(topology(networkConfig())).find((x) => x.name === `peer-${org.key}`);
  if (!p) throw new Error(`no recorded process for ${org.peerName}`);
  await stopProcess(p);
}

/**
 * Starts one organisation's peer again with its existing configuration and ledger (as `up` left
 * them), records the new process id, and waits until its operations endpoint reports healthy.
 */
export async function startPeer(mspId: string): Promise<void> {
  const cfg = networkConfig();
  const topo = topology(cfg);
  const org = peerOrgOf(mspId);
  const name = `peer-${org.key}`;
  const p = startDetached(name, path.join(installationPaths().bin, 'peer'), ['node', 'start'], path.join(topo.logsDir, `${name}.log`), {
    cwd: org.nodeDir,
    env: { ...process.env, FABRIC_CFG_PATH: org.nodeDir, FABRIC_LOGGING_SPEC: cfg.loggingSpec },
  });
  replaceProcess(topo, p);
  const url = `http://${cfg.host}:${org.ports.operations}/healthz`;
  await waitFor(`${org.peerName} ${url}`, cfg.timeoutMs, async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status === 200 ? true : undefined;
  });
}

/** The Go release the network's build is tested with; older ones are reported as missing. */
export const MIN_GO_VERSION = '1.26.4';

function versionAtLeast(version: string, min: string): boolean {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Why the network cannot be built here (Go missing or too old), or undefined when it can. */
export function goRequirementProblem(): string | undefined {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `Go ≥ ${MIN_GO_VERSION} is needed to build Fabric, and \`go version\` failed (${r.error?.message ?? r.stderr.trim()})`;
  const version = /go(\d+(?:\.\d+)*)/.exec(r.stdout)?.[1];
  if (!version) return `could not read the Go version from \`go version\`: ${r.stdout.trim()}`;
  if (!versionAtLeast(version, MIN_GO_VERSION)) return `Go ≥ ${MIN_GO_VERSION} is needed to build Fabric; found ${version}`;
  return undefined;
}
