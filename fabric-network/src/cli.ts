/**
 * Running Fabric's command-line tools as a given organisation's admin or client.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { NetworkConfig } from './config.js';
import type { Installation } from './install.js';
import type { PeerOrg, Topology } from './topology.js';

/** The first file of a cryptogen MSP subfolder (signcerts/, keystore/). */
export function firstFile(dir: string): string {
  const f = fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort()[0];
  if (!f) throw new Error(`no file in ${dir}`);
  return path.join(dir, f);
}

/** Environment for the `peer` CLI acting as an organisation's identity against its own peer. */
export function peerCliEnv(inst: Installation, cfg: NetworkConfig, org: PeerOrg, as: 'admin' | 'client' = 'admin'): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${inst.bin}:${process.env.PATH ?? ''}`,
    // The CLI reads core.yaml too: use the organisation's generated one.
    FABRIC_CFG_PATH: org.nodeDir,
    FABRIC_LOGGING_SPEC: 'warning',
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_LOCALMSPID: org.mspId,
    CORE_PEER_MSPCONFIGPATH: as === 'admin' ? org.adminMspDir : org.clientMspDir,
    CORE_PEER_ADDRESS: `${cfg.host}:${org.ports.peer}`,
    CORE_PEER_TLS_ROOTCERT_FILE: org.tlsCaCert,
  };
}

/** `--orderer ... --tls --cafile ...` for commands that submit to the ordering service. */
export function ordererArgs(cfg: NetworkConfig, topo: Topology): string[] {
  return ['-o', `${cfg.host}:${cfg.ports.orderer}`, '--tls', '--cafile', topo.orderer.tlsCaCert];
}

/** `--peerAddresses A --tlsRootCertFiles CA` for each given organisation's peer. */
export function peerTargets(cfg: NetworkConfig, orgs: PeerOrg[]): string[] {
  return orgs.flatMap((o) => ['--peerAddresses', `${cfg.host}:${o.ports.peer}`, '--tlsRootCertFiles', o.tlsCaCert]);
}

/** osnadmin's TLS arguments (the orderer organisation's admin TLS client certificate). */
export function osnadminArgs(cfg: NetworkConfig, topo: Topology): string[] {
  return [
    '-o', `${cfg.host}:${cfg.ports.ordererAdmin}`,
    '--ca-file', topo.orderer.tlsCaCert,
    '--client-cert', path.join(topo.orderer.adminTlsDir, 'client.crt'),
    '--client-key', path.join(topo.orderer.adminTlsDir, 'client.key'),
  ];
}
