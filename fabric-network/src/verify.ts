/**
 * `npm run fabric:verify`: an end-to-end check of a running network with the `peer` CLI.
 *
 * 1. The music collective registers its collective (fixed command id, so re-runs are idempotent)
 *    and a new member, endorsed by its own peer and the regulator's peer: both must be VALID.
 * 2. The regulator's peer returns the new member.
 * 3. A write endorsed by the music collective's peer alone is ordered but marked invalid by every
 *    peer with ENDORSEMENT_POLICY_FAILURE, and the regulator's peer does not have it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ordererArgs, peerCliEnv, peerTargets } from './cli.js';
import { networkConfig, type NetworkConfig } from './config.js';
import { installationPaths, isInstalled, type Installation } from './install.js';
import { info, step } from './lib/log.js';
import { runCapture } from './lib/proc.js';
import { runningProcesses } from './state.js';
import { topology, type PeerOrg, type Topology } from './topology.js';

interface Ctx {
  inst: Installation;
  cfg: NetworkConfig;
  topo: Topology;
}

async function invoke(c: Ctx, as: PeerOrg, endorsers: PeerOrg[], fn: string, args: unknown) {
  return runCapture(path.join(c.inst.bin, 'peer'), [
    'chaincode', 'invoke', ...ordererArgs(c.cfg, c.topo), '-C', c.cfg.channel, '-n', c.cfg.chaincodeName,
    ...peerTargets(c.cfg, endorsers), '--waitForEvent',
    '-c', JSON.stringify({ Args: [fn, JSON.stringify(args)] }),
  ], { env: { ...peerCliEnv(c.inst, c.cfg, as, 'client'), FABRIC_LOGGING_SPEC: 'info' } }); // info: the commit status lines
}

async function query(c: Ctx, at: PeerOrg, fn: string, args: unknown) {
  return runCapture(path.join(c.inst.bin, 'peer'), [
    'chaincode', 'query', '-C', c.cfg.channel, '-n', c.cfg.chaincodeName, '-c', JSON.stringify({ Args: [fn, JSON.stringify(args)] }),
  ], { env: peerCliEnv(c.inst, c.cfg, at, 'client') });
}

const statusOf = (out: string) => /committed with status \((\w+)\)/.exec(out)?.[1] ?? /invalidated with status \((\w+)\)/.exec(out)?.[1];
const lastLine = (out: string) => out.trim().split('\n').pop() ?? '';

function expect(cond: boolean, what: string, detail: string): void {
  if (!cond) throw new Error(`${what}\n${detail}`);
  info(`ok: ${what}`);
}

export async function verify(): Promise<void> {
  const cfg = networkConfig();
  const topo = topology(cfg);
  const inst = installationPaths();
  if (!isInstalled(inst) || runningProcesses(topo).length === 0) throw new Error('the network is not running: `npm run fabric:up` first');
  const c: Ctx = { inst, cfg, topo };
  const [music, , regulator] = topo.peerOrgs;
  const stamp = Date.now().toString(36);
  const member = (partyId: string) => ({
    commandId: `verify-${partyId}`, partyId, collectiveId: 'verify-music', kind: 'member', name: `Verification member ${partyId}`, memberType: 'composer',
  });

  step(`${music.mspId} registers its collective, endorsed by ${music.peerName} + ${regulator.peerName}`);
  const reg = await invoke(c, music, [music, regulator], 'parties:registerCollective',
    { commandId: 'fabric-verify-collective', collectiveId: 'verify-music', name: 'Verification music collective', country: 'CN' });
  const regOut = reg.stdout + reg.stderr;
  expect(reg.code === 0 && statusOf(regOut) === 'VALID', 'registerCollective committed VALID (idempotent on re-runs)', regOut);

  const good = `m-${stamp}-ok`;
  step(`${music.mspId} registers member ${good}, endorsed by both peers`);
  const inv = await invoke(c, music, [music, regulator], 'parties:registerParty', member(good));
  const invOut = inv.stdout + inv.stderr;
  expect(inv.code === 0 && statusOf(invOut) === 'VALID', 'registerParty committed VALID on both peers', invOut);

  step(`Querying ${good} from ${regulator.peerName}`);
  const q = await query(c, regulator, 'parties:getParty', { partyId: good });
  expect(q.code === 0 && q.stdout.includes(good), `the regulator's peer returns the member: ${lastLine(q.stdout)}`, q.stdout + q.stderr);

  const bad = `m-${stamp}-forged`;
  step(`${music.mspId} registers member ${bad}, endorsed by ${music.peerName} alone`);
  const forged = await invoke(c, music, [music], 'parties:registerParty', member(bad));
  const forgedOut = forged.stdout + forged.stderr;
  expect(forged.code !== 0 && statusOf(forgedOut) === 'ENDORSEMENT_POLICY_FAILURE',
    'the transaction is rejected at validation with ENDORSEMENT_POLICY_FAILURE', forgedOut);
  const q2 = await query(c, regulator, 'parties:getParty', { partyId: bad });
  expect(q2.code !== 0 && /NOT_FOUND/.test(q2.stdout + q2.stderr), `the regulator's peer has no ${bad}: ${lastLine(q2.stderr)}`, q2.stdout + q2.stderr);
  step('Verification passed');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  verify().catch((err: unknown) => {
    process.stderr.write(`fabric:verify failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
