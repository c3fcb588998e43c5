/**
 * `npm run fabric:down`: stops every process `fabric:up` started (by the process ids recorded in
 * <state>/processes.json, chaincode servers first) and removes the network's state folder.
 * Set FABRIC_KEEP_STATE=1 to stop the processes but keep the state (logs, ledgers) for inspection.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { networkConfig } from './config.js';
import { info, step, warn } from './lib/log.js';
import { stopProcess } from './lib/proc.js';
import { readProcesses } from './state.js';
import { topology } from './topology.js';

const ORDER = ['chaincode-', 'peer-', 'orderer'];
const rank = (name: string) => ORDER.findIndex((p) => name.startsWith(p));

export async function down(): Promise<void> {
  const cfg = networkConfig();
  const topo = topology(cfg);
  const procs = readProcesses(topo).sort((a, b) => rank(a.name) - rank(b.name));
  step(`Stopping ${procs.length} recorded process(es)`);
  for (const p of procs) {
    const r = await stopProcess(p);
    info(`${p.name} (pid ${p.pid}): ${r}`);
  }
  if (process.env.FABRIC_KEEP_STATE === '1') {
    warn(`keeping ${topo.stateDir} (FABRIC_KEEP_STATE=1)`);
    fs.rmSync(topo.processesFile, { force: true });
    return;
  }
  if (fs.existsSync(topo.stateDir)) {
    step(`Removing ${topo.stateDir}`);
    fs.rmSync(topo.stateDir, { recursive: true, force: true });
  }
  step('Network down');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  down().catch((err: unknown) => {
    process.stderr.write(`fabric:down failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
