/**
 * Configuration of the local Fabric network, parsed once from the environment (fails fast).
 *
 * | variable                 | default                                 | meaning                                        |
 * | ------------------------ | --------------------------------------- | ---------------------------------------------- |
 * | FABRIC_CACHE_DIR         | ~/.cache/rtl-fabric                     | built binaries, per release: <dir>/<version>/   |
 * | FABRIC_STATE_DIR         | <repo>/.fabric/network                  | crypto material, ledgers, logs, pids, profile  |
 * | FABRIC_HOST              | 127.0.0.1                               | address every node listens on and advertises   |
 * | FABRIC_PORT_BASE         | 27000                                   | first port of the network's port block         |
 * | FABRIC_CHANNEL           | royalty                                 | channel name                                   |
 * | FABRIC_CHAINCODE_NAME    | royalty                                 | chaincode name                                 |
 * | FABRIC_CHAINCODE_ENTRY   | <repo>/chaincode/src/index.ts           | module exporting `contracts`, bundled by esbuild |
 * | FABRIC_CHAINCODE_SERVERS | per-org                                 | `per-org` (one server per peer org) or `shared` |
 * | FABRIC_LOGGING_SPEC      | info                                    | log spec for peers and orderer                 |
 * | FABRIC_TIMEOUT_SECONDS   | 120                                     | how long to wait for health, leader, commits   |
 * | FABRIC_BATCH_TIMEOUT     | 500ms                                   | orderer batch timeout (sample: 2s)             |
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository's root folder (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The fabric-network package folder. */
export const PACKAGE_DIR = path.join(REPO_ROOT, 'fabric-network');

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);
const absPath = z.preprocess(emptyAsUndefined, z.string().min(1).transform((p) => path.resolve(p)).optional());

const envSchema = z.object({
  FABRIC_CACHE_DIR: absPath,
  FABRIC_STATE_DIR: absPath,
  FABRIC_HOST: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9.-]+$/).default('127.0.0.1')),
  FABRIC_PORT_BASE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1024).max(65_000).default(27_000)),
  FABRIC_CHANNEL: z.preprocess(emptyAsUndefined, z.string().regex(/^[a-z][a-z0-9.-]{0,248}$/).default('royalty')),
  FABRIC_CHAINCODE_NAME: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9]+([A-Za-z0-9_-]*[A-Za-z0-9])?$/).default('royalty')),
  FABRIC_CHAINCODE_ENTRY: absPath,
  FABRIC_CHAINCODE_SERVERS: z.preprocess(emptyAsUndefined, z.enum(['per-org', 'shared']).default('per-org')),
  FABRIC_LOGGING_SPEC: z.preprocess(emptyAsUndefined, z.string().default('info')),
  FABRIC_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(5).max(3600).default(120)),
  FABRIC_BATCH_TIMEOUT: z.preprocess(emptyAsUndefined, z.string().regex(/^[1-9][0-9]*(ms|s)$/, 'expected e.g. 500ms or 2s').default('500ms')),
});

/** Ports of one peer organisation. */
export interface PeerPorts {
  /** Peer gRPC (endorser, deliver, gateway, gossip). */
  peer: number;
  /** Peer's chaincode callback listener (unused by chaincode-as-a-service, but always bound). */
  chaincodeCallback: number;
  /** The organisation's chaincode server (chaincode as a service). */
  chaincodeServer: number;
  /** Operations endpoint (/healthz, /metrics). */
  operations: number;
}

export interface NetworkConfig {
  cacheDir: string;
  stateDir: string;
  host: string;
  portBase: number;
  channel: string;
  chaincodeName: string;
  chaincodeEntry: string;
  chaincodeServers: 'per-org' | 'shared';
  loggingSpec: string;
  timeoutMs: number;
  /** How long the orderer waits to fill a block (a Go duration such as 500ms). */
  batchTimeout: string;
  ports: {
    orderer: number;
    ordererAdmin: number;
    ordererOperations: number;
    /** Peer organisations in topology order: music, audiovisual, regulator. */
    peers: [PeerPorts, PeerPorts, PeerPorts];
  };
}

/**
 * Port layout from the base B (default 27000, clear of PostgreSQL's 5432 and Fabric's usual 7050+):
 * orderer B+50 (gRPC and Raft cluster), B+53 (channel participation admin), B+443 (operations);
 * peer org i (0 music, 1 audiovisual, 2 regulator): B+51+10i (peer), B+52+10i (chaincode callback),
 * B+55+10i (chaincode server), B+444+i (operations).
 */
export function portsFor(base: number): NetworkConfig['ports'] {
  const peer = (i: number): PeerPorts => ({
    peer: base + 51 + 10 * i,
    chaincodeCallback: base + 52 + 10 * i,
    chaincodeServer: base + 55 + 10 * i,
    operations: base + 444 + i,
  });
  return {
    orderer: base + 50,
    ordererAdmin: base + 53,
    ordererOperations: base + 443,
    peers: [peer(0), peer(1), peer(2)],
  };
}

/** Parses a configuration from an environment (exported for tests). */
export function parseNetworkConfig(env: NodeJS.ProcessEnv): NetworkConfig {
  const e = envSchema.parse(env);
  return {
    cacheDir: e.FABRIC_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'rtl-fabric'),
    stateDir: e.FABRIC_STATE_DIR ?? path.join(REPO_ROOT, '.fabric', 'network'),
    host: e.FABRIC_HOST,
    portBase: e.FABRIC_PORT_BASE,
    channel: e.FABRIC_CHANNEL,
    chaincodeName: e.FABRIC_CHAINCODE_NAME,
    chaincodeEntry: e.FABRIC_CHAINCODE_ENTRY ?? path.join(REPO_ROOT, 'chaincode', 'src', 'index.ts'),
    chaincodeServers: e.FABRIC_CHAINCODE_SERVERS,
    loggingSpec: e.FABRIC_LOGGING_SPEC,
    timeoutMs: e.FABRIC_TIMEOUT_SECONDS * 1000,
    batchTimeout: e.FABRIC_BATCH_TIMEOUT,
    ports: portsFor(e.FABRIC_PORT_BASE),
  };
}

let cached: NetworkConfig | undefined;

/** The network configuration of this process's environment. */
export function networkConfig(): NetworkConfig {
  cached ??= parseNetworkConfig(process.env);
  return cached;
}
