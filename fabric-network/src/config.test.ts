import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNetworkConfig, portsFor, REPO_ROOT } from './config.js';
import { ENDORSEMENT_POLICY, topology } from './topology.js';

describe('fabric-network config', () => {
  it('defaults to the 27xxx port block and state under the repository', () => {
    const cfg = parseNetworkConfig({});
    expect(cfg.ports.orderer).toBe(27050);
    expect(cfg.ports.peers.map((p) => p.peer)).toEqual([27051, 27061, 27071]);
    expect(cfg.stateDir).toBe(path.join(REPO_ROOT, '.fabric', 'network'));
    expect(cfg.channel).toBe('royalty');
    expect(cfg.chaincodeServers).toBe('per-org');
  });

  it('moves every port with FABRIC_PORT_BASE and never reuses one', () => {
    const p = portsFor(31000);
    const all = [p.orderer, p.ordererAdmin, p.ordererOperations, ...p.peers.flatMap((x) => Object.values(x))];
    expect(new Set(all).size).toBe(all.length);
    expect(Math.min(...all)).toBe(31050);
    expect(parseNetworkConfig({ FABRIC_PORT_BASE: '31000' }).ports).toEqual(p);
  });

  it('fails fast on malformed values', () => {
    expect(() => parseNetworkConfig({ FABRIC_PORT_BASE: '80' })).toThrow();
    expect(() => parseNetworkConfig({ FABRIC_CHANNEL: 'Royalty Channel' })).toThrow();
    expect(() => parseNetworkConfig({ FABRIC_CHAINCODE_SERVERS: 'some' })).toThrow();
  });

  it('has the regulator endorse every write together with a collective', () => {
    const orgs = topology(parseNetworkConfig({})).peerOrgs.map((o) => o.mspId);
    expect(orgs).toEqual(['MusicCmoMSP', 'AvCmoMSP', 'RegulatorMSP']);
    expect(ENDORSEMENT_POLICY).toBe("OR(AND('MusicCmoMSP.peer','RegulatorMSP.peer'),AND('AvCmoMSP.peer','RegulatorMSP.peer'))");
  });
});
