/**
 * The chaincode as a service: bundling the TypeScript contracts into a CommonJS module that
 * `fabric-chaincode-node server` loads, packaging the ccaas packages (connection.json +
 * metadata.json) and starting the chaincode servers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT, type NetworkConfig } from './config.js';
import { run, startDetached, type ManagedProcess } from './lib/proc.js';
import { REGULATOR_MSP_ID, type PeerOrg, type Topology } from './topology.js';

/** The chaincode server of one or more peer organisations. */
export interface ChaincodeServer {
  /** Organisations whose peers use this server. */
  orgs: PeerOrg[];
  /** The organisation that runs it (its TLS certificate and port). */
  owner: PeerOrg;
  label: string;
  address: string;
  packageFile: string;
  packageId?: string;
}

/** The modules the bundle leaves to node_modules: the shim must see the same Contract class. */
const EXTERNAL = ['fabric-contract-api', 'fabric-shim'];

/** Bundles the contracts module into <state>/chaincode/server/index.js with a package.json. */
export async function bundleChaincode(cfg: NetworkConfig, topo: Topology): Promise<string> {
  if (!fs.existsSync(cfg.chaincodeEntry)) throw new Error(`chaincode entry ${cfg.chaincodeEntry} does not exist (FABRIC_CHAINCODE_ENTRY)`);
  const outDir = path.join(topo.chaincodeDir, 'server');
  fs.mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [cfg.chaincodeEntry],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: EXTERNAL,
    // The chaincode resolves its own dependencies from the repository's node_modules.
    nodePaths: [path.join(REPO_ROOT, 'node_modules')],
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed: ${result.errors.map((e) => e.text).join('; ')}`);
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify({
    name: cfg.chaincodeName,
    version: '1.0.0',
    private: true,
    description: `Bundle of ${path.relative(REPO_ROOT, cfg.chaincodeEntry)} for fabric-chaincode-node server`,
    main: 'index.js',
  }, null, 2)}\n`);
  // The shim takes the module's `contracts` export; fail here rather than in the peer.
  const probe = await run(process.execPath, ['-e', `const m=require(${JSON.stringify(path.join(outDir, 'index.js'))});` +
    'if(!Array.isArray(m.contracts)||m.contracts.length===0){console.error("no contracts export");process.exit(3)}' +
    'console.log(m.contracts.map(c=>c.name).join(","))'], { env: nodeEnv(), cwd: outDir });
  return probe.stdout.trim();
}

function nodeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ...extra };
}

/** Plans the chaincode servers: one per peer organisation, or one shared by all. */
export function planServers(cfg: NetworkConfig, topo: Topology): ChaincodeServer[] {
  const pkgDir = path.join(topo.chaincodeDir, 'packages');
  if (cfg.chaincodeServers === 'shared') {
    const owner = topo.peerOrgs[0];
    return [{
      orgs: [...topo.peerOrgs],
      owner,
      label: `${cfg.chaincodeName}_shared`,
      address: `${cfg.host}:${owner.ports.chaincodeServer}`,
      packageFile: path.join(pkgDir, `${cfg.chaincodeName}_shared.tar.gz`),
    }];
  }
  return topo.peerOrgs.map((o) => ({
    orgs: [o],
    owner: o,
    label: `${cfg.chaincodeName}_${o.key}`,
    address: `${cfg.host}:${o.ports.chaincodeServer}`,
    packageFile: path.join(pkgDir, `${cfg.chaincodeName}_${o.key}.tar.gz`),
  }));
}

/**
 * Writes one ccaas package: metadata.json (type ccaas) and code.tar.gz holding connection.json,
 * which tells the peer where the chaincode server listens and which CA signed its TLS certificate.
 */
export async function packageServer(server: ChaincodeServer): Promise<void> {
  const work = `${server.packageFile}.d`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const connection = {
    address: server.address,
    dial_timeout: '10s',
    tls_required: true,
    client_auth_required: false,
    root_cert: fs.readFileSync(path.join(server.owner.chaincodeTlsDir, 'ca.crt'), 'utf8'),
  };
  fs.writeFileSync(path.join(work, 'connection.json'), `${JSON.stringify(connection, null, 2)}\n`);
  fs.writeFileSync(path.join(work, 'metadata.json'), `${JSON.stringify({ type: 'ccaas', label: server.label })}\n`);
  await run('tar', ['-czf', 'code.tar.gz', 'connection.json'], { cwd: work });
  await run('tar', ['-czf', server.packageFile, 'metadata.json', 'code.tar.gz'], { cwd: work });
}

/** Starts the chaincode server process for a package id (plain process; TLS server certificate). */
export function startServer(cfg: NetworkConfig, topo: Topology, server: ChaincodeServer): ManagedProcess {
  if (!server.packageId) throw new Error(`no package id for ${server.label}`);
  const moduleDir = path.join(topo.chaincodeDir, 'server');
  const cli = path.join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js');
  const tls = server.owner.chaincodeTlsDir;
  const args = [
    cli, 'server',
    '--chaincode-address', `${cfg.host}:${server.owner.ports.chaincodeServer}`,
    '--chaincode-id', server.packageId,
    '--module-path', moduleDir,
    '--chaincode-tls-cert-file', path.join(tls, 'server.crt'),
    '--chaincode-tls-key-file', path.join(tls, 'server.key'),
  ];
  return startDetached(`chaincode-${server.label}`, process.execPath, args, path.join(topo.logsDir, `chaincode-${server.label}.log`), {
    cwd: moduleDir,
    env: nodeEnv({ REGULATOR_MSP_ID, CORE_CHAINCODE_LOGGING_LEVEL: 'info' }),
  });
}
