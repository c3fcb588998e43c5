/** The record of the processes a network run started (<state>/processes.json). */
import fs from 'node:fs';
import { z } from 'zod';
import { isRunning, type ManagedProcess } from './lib/proc.js';
import type { Topology } from './topology.js';

const processesSchema = z.object({
  processes: z.array(z.object({
    name: z.string(),
    pid: z.number().int().positive(),
    command: z.string(),
    args: z.array(z.string()),
    log: z.string(),
  })),
});

export function readProcesses(topo: Topology): ManagedProcess[] {
  if (!fs.existsSync(topo.processesFile)) return [];
  return processesSchema.parse(JSON.parse(fs.readFileSync(topo.processesFile, 'utf8'))).processes;
}

/** Appends a started process to the record at once, so `fabric:down` can stop it even if `up` fails later. */
export function recordProcess(topo: Topology, p: ManagedProcess): void {
  const all = [...readProcesses(topo), p];
  fs.mkdirSync(topo.stateDir, { recursive: true });
  fs.writeFileSync(topo.processesFile, `${JSON.stringify({ processes: all }, null, 2)}\n`);
}

export function runningProcesses(topo: Topology): ManagedProcess[] {
  return readProcesses(topo).filter((p) => isRunning(p));
}

/** Replaces the record of the process with the same name (a node restarted under a new pid). */
export function replaceProcess(topo: Topology, p: ManagedProcess): void {
  const all = [...readProcesses(topo).filter((x) => x.name !== p.name), p];
  fs.mkdirSync(topo.stateDir, { recursive: true });
  fs.writeFileSync(topo.processesFile, `${JSON.stringify({ processes: all }, null, 2)}\n`);
}
