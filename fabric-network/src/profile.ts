/**
 * The connection profile that `fabric:up` writes to <state>/connection-profile.json for the
 * gateway's Fabric adapter. All paths are absolute. Import `connectionProfileSchema` to validate it
 * (`import { readConnectionProfile } from '@rtl/fabric-network/profile'`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const identitySchema = z.object({
  /** PEM X.509 certificate (the MSP's signcerts file). */
  certPath: z.string(),
  /** PEM PKCS#8 private key (the MSP's keystore file). */
  keyPath: z.string(),
  /** The MSP folder itself, for tools that take one (e.g. the peer CLI). */
  mspDir: z.string(),
});

const endpointSchema = z.object({
  name: z.string(),
  /** host:port to dial (gRPC over TLS). */
  endpoint: z.string(),
  /** PEM file of the TLS CA that signed the node's server certificate. */
  tlsCACertPath: z.string(),
  /** Name in the node's TLS certificate, for clients that dial an address not in its SANs. */
  hostnameOverride: z.string(),
  /** Operations endpoint base URL (GET /healthz, /metrics). */
  operationsUrl: z.string(),
});

export const connectionProfileSchema = z.object({
  formatVersion: z.literal(1),
  fabricVersion: z.string(),
  createdAt: z.string(),
  channel: z.string(),
  chaincode: z.object({
    name: z.string(),
    version: z.string(),
    sequence: z.number().int(),
    endorsementPolicy: z.string(),
    servers: z.array(z.object({ label: z.string(), address: z.string(), packageId: z.string(), orgs: z.array(z.string()) })),
  }),
  regulatorMspId: z.string(),
  orderers: z.array(endpointSchema.extend({ mspId: z.string(), adminEndpoint: z.string() })),
  organizations: z.record(z.string(), z.object({
    mspId: z.string(),
    role: z.enum(['collective', 'regulator']),
    description: z.string(),
    peers: z.array(endpointSchema),
    /** Identity of the organisation's application (gateway) client. */
    client: identitySchema,
    /** The organisation's administrator (lifecycle, channel operations). */
    admin: identitySchema,
  })),
});

export type ConnectionProfile = z.infer<typeof connectionProfileSchema>;

/** Reads and validates a connection profile written by `fabric:up`. */
export function readConnectionProfile(file: string): ConnectionProfile {
  return connectionProfileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** Writes a profile (validated first). */
export function writeConnectionProfile(file: string, profile: ConnectionProfile): void {
  const valid = connectionProfileSchema.parse(profile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(valid, null, 2)}\n`);
}
