/**
 * One gRPC connection and one Fabric Gateway per organisation, each dialling that organisation's
 * own peer over TLS and signing with that organisation's client identity from the connection
 * profile. An organisation's gateway collects the other endorsements it needs (the regulator's)
 * through service discovery, as it would when each organisation runs its own gateway.
 */
import * as grpc from '@grpc/grpc-js';
import { connect, signers, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import type { ConnectionProfile } from '@rtl/fabric-network/profile';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The connection of one organisation. */
export interface OrgConnection {
  mspId: string;
  /** host:port of the organisation's peer. */
  peerEndpoint: string;
  client: grpc.Client;
  gateway: Gateway;
  network: Network;
}

/** gRPC channel options: keepalive so a vanished peer is noticed on idle event streams too. */
const channelOptions: grpc.ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  // Reconnect promptly after a peer restart (grpc-js backs off up to 120 s by default).
  'grpc.max_reconnect_backoff_ms': 2_000,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_receive_message_length': 100 * 1024 * 1024,
};

/** Opens the connection of one organisation of the profile. */
export function connectOrg(profile: ConnectionProfile, mspId: string): OrgConnection {
  const org = profile.organizations[mspId];
  if (!org) throw new Error(`organisation ${mspId} is not in the connection profile`);
  const peerNode = org.peers[0];
  if (!peerNode) throw new Error(`organisation ${mspId} lists no peer in the connection profile`);
  const credentials = grpc.credentials.createSsl(readFileSync(peerNode.tlsCACertPath));
  const client = new grpc.Client(peerNode.endpoint, credentials, {
    ...channelOptions,
    // Only needed when the dialled address is not among the certificate's names; harmless otherwise.
    'grpc.ssl_target_name_override': peerNode.hostnameOverride,
  });
  const gateway = connect({
    client,
    identity: { mspId, credentials: readFileSync(org.client.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(org.client.keyPath))),
  });
  return { mspId, peerEndpoint: peerNode.endpoint, client, gateway, network: gateway.getNetwork(profile.channel) };
}

/** Closes a connection (the gateway first: it does not own the gRPC client). */
export function closeOrg(c: OrgConnection): void {
  c.gateway.close();
  c.client.close();
}
