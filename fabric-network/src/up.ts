/**
 * `npm run fabric:up`: creates and starts the local Fabric network natively (no Docker):
 * crypto material, the `royalty` channel, one Raft orderer, one peer per organisation, the
 * chaincode as a service (one server per peer organisation by default), and a connection profile.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleChaincode, packageServer, planServers, startServer, type ChaincodeServer } from './chaincode.js';
import { firstFile, ordererArgs, osnadminArgs, peerCliEnv, peerTargets } from './cli.js';
import { networkConfig, PACKAGE_DIR, type NetworkConfig } from './config.js';
import { CHANNEL_PROFILE, generateCrypto, writeConfigtx, writeOrdererConfig, writePeerConfig } from './generate.js';
import { ensureInstalled, type Installation } from './install.js';
import { elapsedSeconds, info, step } from './lib/log.js';
import { run, runCapture, sleep, startDetached, waitFor } from './lib/proc.js';
import { writeConnectionProfile, type ConnectionProfile } from './profile.js';
import { FABRIC_RELEASE } from './release.js';
import { recordProcess, runningProcesses } from './state.js';
import { ENDORSEMENT_POLICY, REGULATOR_MSP_ID, topology, type PeerOrg, type Topology } from './topology.js';

const CHAINCODE_VERSION = '1.0';
const CHAINCODE_SEQUENCE = 1;

function allPorts(cfg: NetworkConfig): number[] {
  const p = cfg.ports;
  return [p.orderer, p.ordererAdmin, p.ordererOperations, ...p.peers.flatMap((x) => [x.peer, x.chaincodeCallback, x.chaincodeServer, x.operations])];
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** Waits until an operations endpoint answers GET /healthz with status OK. */
async function waitHealthy(name: string, url: string, timeoutMs: number): Promise<void> {
  await waitFor(`${name} ${url}/healthz`, timeoutMs, async () => {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { status?: string; failed_checks?: unknown };
    if (res.status === 200 && body.status === 'OK') return true;
    throw new Error(`healthz ${res.status} ${JSON.stringify(body)}`);
  });
}

/** Whether the orderer reports itself Raft leader of the channel (its Prometheus metrics). */
async function raftLeader(cfg: NetworkConfig): Promise<boolean | undefined> {
  const res = await fetch(`http://${cfg.host}:${cfg.ports.ordererOperations}/metrics`, { signal: AbortSignal.timeout(2000) });
  const text = await res.text();
  const line = text.split('\n').find((l) => l.startsWith(`consensus_etcdraft_is_leader{channel="${cfg.channel}"}`));
  return line?.trim().endsWith(' 1') ? true : undefined;
}

function copyBuilder(topo: Topology): void {
  const src = path.join(PACKAGE_DIR, 'builders', 'ccaas', 'bin');
  const dst = path.join(topo.stateDir, 'builders', 'ccaas', 'bin');
  fs.mkdirSync(dst, { recursive: true });
  for (const f of ['detect', 'build', 'release']) {
    fs.copyFileSync(path.join(src, f), path.join(dst, f));
    fs.chmodSync(path.join(dst, f), 0o755);
  }
}

async function startOrderer(inst: Installation, cfg: NetworkConfig, topo: Topology): Promise<void> {
  step(`Starting orderer ${topo.orderer.nodeName} (Raft) on ${cfg.host}:${cfg.ports.orderer}`);
  const dir = writeOrdererConfig(inst, cfg, topo);
  const p = startDetached('orderer', path.join(inst.bin, 'orderer'), [], path.join(topo.logsDir, 'orderer.log'), {
    cwd: dir,
    env: { ...process.env, FABRIC_CFG_PATH: dir, FABRIC_LOGGING_SPEC: cfg.loggingSpec },
  });
  recordProcess(topo, p);
  info(`pid ${p.pid}, log ${p.log}`);
  await waitHealthy('orderer', `http://${cfg.host}:${cfg.ports.ordererOperations}`, cfg.timeoutMs);
  info('orderer healthy');
}

async function createChannel(inst: Installation, cfg: NetworkConfig, topo: Topology): Promise<string> {
  step(`Creating channel '${cfg.channel}' (configtxgen, osnadmin channel join; no system channel)`);
  const configPath = writeConfigtx(inst, cfg, topo);
  const block = path.join(topo.channelDir, `${cfg.channel}.block`);
  await run(path.join(inst.bin, 'configtxgen'), ['-profile', CHANNEL_PROFILE, '-outputBlock', block, '-channelID', cfg.channel, '-configPath', configPath],
    { env: { ...process.env, FABRIC_CFG_PATH: configPath } });
  info(`genesis block ${block}`);
  const joined = await run(path.join(inst.bin, 'osnadmin'), ['channel', 'join', '--channelID', cfg.channel, '--config-block', block, ...osnadminArgs(cfg, topo)]);
  info(`orderer joined: ${joined.stdout.replace(/\s+/g, ' ').trim()}`);
  step('Waiting for the Raft leader');
  await waitFor('the Raft leader', cfg.timeoutMs, () => raftLeader(cfg));
  const list = await run(path.join(inst.bin, 'osnadmin'), ['channel', 'list', '--channelID', cfg.channel, ...osnadminArgs(cfg, topo)]);
  info(`orderer is Raft leader of '${cfg.channel}': ${list.stdout.replace(/\s+/g, ' ').trim()}`);
  return block;
}

async function startPeer(inst: Installation, cfg: NetworkConfig, topo: Topology, org: PeerOrg): Promise<void> {
  step(`Starting ${org.peerName} (${org.mspId}, ${org.description}) on ${cfg.host}:${org.ports.peer}`);
  const dir = writePeerConfig(inst, cfg, topo, org);
  const p = startDetached(`peer-${org.key}`, path.join(inst.bin, 'peer'), ['node', 'start'], path.join(topo.logsDir, `peer-${org.key}.log`), {
    cwd: dir,
    env: { ...process.env, FABRIC_CFG_PATH: dir, FABRIC_LOGGING_SPEC: cfg.loggingSpec },
  });
  recordProcess(topo, p);
  info(`pid ${p.pid}, log ${p.log}`);
}

async function joinPeer(inst: Installation, cfg: NetworkConfig, org: PeerOrg, block: string): Promise<void> {
  const env = peerCliEnv(inst, cfg, org);
  await waitFor(`${org.peerName} to join '${cfg.channel}'`, cfg.timeoutMs, async () => {
    const r = await runCapture(path.join(inst.bin, 'peer'), ['channel', 'join', '-b', block], { env });
    if (r.code === 0) return true;
    throw new Error(r.stderr.trim().split('\n').pop());
  }, 1000);
  await waitFor(`${org.peerName} to receive block 0`, cfg.timeoutMs, async () => {
    const r = await runCapture(path.join(inst.bin, 'peer'), ['channel', 'getinfo', '-c', cfg.channel], { env });
    return r.code === 0 && /"height":\s*[1-9]/.test(r.stdout) ? true : undefined;
  });
  info(`${org.peerName} joined '${cfg.channel}'`);
}

async function deployChaincode(inst: Installation, cfg: NetworkConfig, topo: Topology): Promise<ChaincodeServer[]> {
  const peer = path.join(inst.bin, 'peer');
  step(`Bundling the chaincode ${path.relative(process.cwd(), cfg.chaincodeEntry) || cfg.chaincodeEntry} (esbuild, CommonJS)`);
  const names = await bundleChaincode(cfg, topo);
  info(`contracts: ${names}`);

  const servers = planServers(cfg, topo);
  step(`Packaging ${servers.length} ccaas package(s) (${cfg.chaincodeServers} chaincode servers)`);
  for (const s of servers) {
    await packageServer(s);
    const id = await run(peer, ['lifecycle', 'chaincode', 'calculatepackageid', s.packageFile], { env: peerCliEnv(inst, cfg, s.owner) });
    s.packageId = id.stdout.trim();
    info(`${s.label}: ${s.packageId} -> ${s.address}`);
  }

  step('Starting the chaincode server(s)');
  for (const s of servers) {
    const p = startServer(cfg, topo, s);
    recordProcess(topo, p);
    info(`${s.label}: pid ${p.pid}, log ${p.log}`);
  }
  for (const s of servers) {
    const [host, port] = [s.address.slice(0, s.address.lastIndexOf(':')), Number(s.address.slice(s.address.lastIndexOf(':') + 1))];
    await waitFor(`chaincode server ${s.label} on ${s.address}`, cfg.timeoutMs, async () => ((await portFree(host, port)) ? undefined : true));
  }

  const serverOf = (org: PeerOrg) => servers.find((s) => s.orgs.includes(org));
  step('Installing the chaincode package on every peer');
  for (const org of topo.peerOrgs) {
    const s = serverOf(org);
    if (!s) throw new Error(`no chaincode server for ${org.mspId}`);
    await run(peer, ['lifecycle', 'chaincode', 'install', s.packageFile], { env: peerCliEnv(inst, cfg, org) });
    info(`installed ${s.label} on ${org.peerName}`);
  }

  const definition = ['--channelID', cfg.channel, '--name', cfg.chaincodeName, '--version', CHAINCODE_VERSION,
    '--sequence', String(CHAINCODE_SEQUENCE), '--signature-policy', ENDORSEMENT_POLICY];
  step(`Approving the definition by each organisation (endorsement policy ${ENDORSEMENT_POLICY})`);
  // Each organisation approves independently (as each would on its own machine): in parallel.
  await Promise.all(topo.peerOrgs.map(async (org) => {
    const s = serverOf(org);
    await run(peer, ['lifecycle', 'chaincode', 'approveformyorg', ...ordererArgs(cfg, topo), ...definition,
      '--package-id', s?.packageId ?? '', '--waitForEvent'], { env: peerCliEnv(inst, cfg, org) });
    info(`approved by ${org.mspId} (package ${s?.label ?? '?'})`);
  }));
  const readiness = await run(peer, ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definition, '--output', 'json'],
    { env: peerCliEnv(inst, cfg, topo.peerOrgs[2]) });
  info(`commit readiness: ${readiness.stdout.replace(/\s+/g, ' ').trim()}`);

  step('Committing the chaincode definition');
  await run(peer, ['lifecycle', 'chaincode', 'commit', ...ordererArgs(cfg, topo), ...definition,
    ...peerTargets(cfg, topo.peerOrgs), '--waitForEvent'], { env: peerCliEnv(inst, cfg, topo.peerOrgs[2]) });
  for (const org of topo.peerOrgs) {
    await waitFor(`definition committed on ${org.peerName}`, cfg.timeoutMs, async () => {
      const r = await runCapture(peer, ['lifecycle', 'chaincode', 'querycommitted', '--channelID', cfg.channel, '--name', cfg.chaincodeName],
        { env: peerCliEnv(inst, cfg, org) });
      return r.code === 0 ? true : undefined;
    });
  }
  info(`'${cfg.chaincodeName}' ${CHAINCODE_VERSION} sequence ${CHAINCODE_SEQUENCE} committed on every peer`);
  return servers;
}

function buildProfile(cfg: NetworkConfig, topo: Topology, servers: ChaincodeServer[]): ConnectionProfile {
  const identity = (mspDir: string) => ({
    certPath: firstFile(path.join(mspDir, 'signcerts')),
    keyPath: firstFile(path.join(mspDir, 'keystore')),
    mspDir,
  });
  return {
    formatVersion: 1,
    fabricVersion: FABRIC_RELEASE.version,
    createdAt: new Date().toISOString(),
    channel: cfg.channel,
    chaincode: {
      name: cfg.chaincodeName,
      version: CHAINCODE_VERSION,
      sequence: CHAINCODE_SEQUENCE,
      endorsementPolicy: ENDORSEMENT_POLICY,
      servers: servers.map((s) => ({ label: s.label, address: s.address, packageId: s.packageId ?? '', orgs: s.orgs.map((o) => o.mspId) })),
    },
    regulatorMspId: REGULATOR_MSP_ID,
    orderers: [{
      name: topo.orderer.nodeName,
      mspId: topo.orderer.mspId,
      endpoint: `${cfg.host}:${cfg.ports.orderer}`,
      adminEndpoint: `${cfg.host}:${cfg.ports.ordererAdmin}`,
      tlsCACertPath: topo.orderer.tlsCaCert,
      hostnameOverride: topo.orderer.nodeName,
      operationsUrl: `http://${cfg.host}:${cfg.ports.ordererOperations}`,
    }],
    organizations: Object.fromEntries(topo.peerOrgs.map((o) => [o.mspId, {
      mspId: o.mspId,
      role: o.role,
      description: o.description,
      peers: [{
        name: o.peerName,
        endpoint: `${cfg.host}:${o.ports.peer}`,
        tlsCACertPath: o.tlsCaCert,
        hostnameOverride: o.peerName,
        operationsUrl: `http://${cfg.host}:${o.ports.operations}`,
      }],
      client: identity(o.clientMspDir),
      admin: identity(o.adminMspDir),
    }])),
  };
}

export async function up(): Promise<void> {
  const cfg = networkConfig();
  const topo = topology(cfg);

  const running = runningProcesses(topo);
  if (running.length > 0) {
    throw new Error(`the network is already running (${running.map((p) => `${p.name}:${p.pid}`).join(', ')}); run \`npm run fabric:down\` first`);
  }
  if (fs.existsSync(topo.stateDir)) {
    info(`removing stale state ${topo.stateDir}`);
    fs.rmSync(topo.stateDir, { recursive: true, force: true });
  }
  const busy: number[] = [];
  for (const port of allPorts(cfg)) if (!(await portFree(cfg.host, port))) busy.push(port);
  if (busy.length > 0) throw new Error(`ports already in use on ${cfg.host}: ${busy.join(', ')} (set FABRIC_PORT_BASE to move the network's port block)`);

  step(`Fabric ${FABRIC_RELEASE.version}: checking the binaries`);
  const inst = await ensureInstalled();

  for (const d of [topo.configDir, topo.channelDir, topo.chaincodeDir, topo.logsDir]) fs.mkdirSync(d, { recursive: true });
  copyBuilder(topo);

  step(`Generating crypto material (cryptogen, NodeOUs) in ${topo.cryptoDir}`);
  await generateCrypto(inst, cfg, topo);
  info(`orgs: ${topo.orderer.mspId}, ${topo.peerOrgs.map((o) => o.mspId).join(', ')}`);

  await startOrderer(inst, cfg, topo);
  const block = await createChannel(inst, cfg, topo);

  for (const org of topo.peerOrgs) await startPeer(inst, cfg, topo, org);
  step('Waiting for the peers to be healthy');
  for (const org of topo.peerOrgs) {
    await waitHealthy(org.peerName, `http://${cfg.host}:${org.ports.operations}`, cfg.timeoutMs);
    info(`${org.peerName} healthy`);
  }
  step(`Joining the peers to '${cfg.channel}' (anchor peers are in the channel's genesis configuration)`);
  for (const org of topo.peerOrgs) await joinPeer(inst, cfg, org, block);

  const servers = await deployChaincode(inst, cfg, topo);

  step('Writing the connection profile');
  writeConnectionProfile(topo.profileFile, buildProfile(cfg, topo, servers));
  info(topo.profileFile);

  // Give gossip a moment to exchange membership so service discovery sees every organisation.
  await sleep(1000);
  step(`Network up in ${elapsedSeconds().toFixed(1)}s: channel '${cfg.channel}', chaincode '${cfg.chaincodeName}', state in ${topo.stateDir}`);
  info(`orderer  ${cfg.host}:${cfg.ports.orderer} (admin ${cfg.ports.ordererAdmin}, operations ${cfg.ports.ordererOperations})`);
  for (const o of topo.peerOrgs) info(`${o.mspId.padEnd(12)} peer ${cfg.host}:${o.ports.peer} (operations ${o.ports.operations}, chaincode server ${o.ports.chaincodeServer})`);
  info('stop with: npm run fabric:down');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  up().catch((err: unknown) => {
    process.stderr.write(`\nfabric:up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write('Logs are in the state folder\'s logs/; `npm run fabric:down` stops whatever was started.\n');
    process.exit(1);
  });
}
