/**
 * The network's organisations, nodes and where their files live in the state folder.
 */
import path from 'node:path';
import type { NetworkConfig, PeerPorts } from './config.js';

/** MSP id of the regulator; passed to the chaincode as REGULATOR_MSP_ID. */
export const REGULATOR_MSP_ID = 'RegulatorMSP';

/** Every write needs the regulator's peer together with the acting collective's peer. */
export const ENDORSEMENT_POLICY =
  "OR(AND('MusicCmoMSP.peer','RegulatorMSP.peer'),AND('AvCmoMSP.peer','RegulatorMSP.peer'))";

export interface PeerOrg {
  /** Short key used in folder and process names. */
  key: 'music' | 'av' | 'regulator';
  mspId: string;
  role: 'collective' | 'regulator';
  description: string;
  domain: string;
  peerName: string;
  ports: PeerPorts;
  /** cryptogen output for this organisation. */
  cryptoDir: string;
  peerDir: string;
  peerTlsDir: string;
  peerMspDir: string;
  tlsCaCert: string;
  adminMspDir: string;
  clientMspDir: string;
  /** TLS server certificate for the organisation's chaincode server. */
  chaincodeTlsDir: string;
  /** The peer's generated configuration (core.yaml) and its data. */
  nodeDir: string;
}

export interface OrdererOrg {
  mspId: string;
  domain: string;
  nodeName: string;
  cryptoDir: string;
  nodeCryptoDir: string;
  tlsCaCert: string;
  adminMspDir: string;
  adminTlsDir: string;
  nodeDir: string;
}

export interface Topology {
  stateDir: string;
  cryptoDir: string;
  configDir: string;
  channelDir: string;
  chaincodeDir: string;
  logsDir: string;
  processesFile: string;
  profileFile: string;
  orderer: OrdererOrg;
  /** music, audiovisual, regulator. */
  peerOrgs: [PeerOrg, PeerOrg, PeerOrg];
}

const BASE_DOMAIN = 'royalty.test';

export function topology(cfg: NetworkConfig): Topology {
  const stateDir = cfg.stateDir;
  const cryptoDir = path.join(stateDir, 'crypto');
  const nodesDir = path.join(stateDir, 'nodes');

  const ordDomain = `orderer.${BASE_DOMAIN}`;
  const ordCrypto = path.join(cryptoDir, 'ordererOrganizations', ordDomain);
  const ordNode = `orderer0.${ordDomain}`;
  const orderer: OrdererOrg = {
    mspId: 'OrdererMSP',
    domain: ordDomain,
    nodeName: ordNode,
    cryptoDir: ordCrypto,
    nodeCryptoDir: path.join(ordCrypto, 'orderers', ordNode),
    tlsCaCert: path.join(ordCrypto, 'tlsca', `tlsca.${ordDomain}-cert.pem`),
    adminMspDir: path.join(ordCrypto, 'users', `Admin@${ordDomain}`, 'msp'),
    adminTlsDir: path.join(ordCrypto, 'users', `Admin@${ordDomain}`, 'tls'),
    nodeDir: path.join(nodesDir, ordNode),
  };

  const org = (key: PeerOrg['key'], mspId: string, role: PeerOrg['role'], description: string, ports: PeerPorts): PeerOrg => {
    const domain = `${key}.${BASE_DOMAIN}`;
    const dir = path.join(cryptoDir, 'peerOrganizations', domain);
    const peerName = `peer0.${domain}`;
    const peerDir = path.join(dir, 'peers', peerName);
    return {
      key,
      mspId,
      role,
      description,
      domain,
      peerName,
      ports,
      cryptoDir: dir,
      peerDir,
      peerTlsDir: path.join(peerDir, 'tls'),
      peerMspDir: path.join(peerDir, 'msp'),
      tlsCaCert: path.join(dir, 'tlsca', `tlsca.${domain}-cert.pem`),
      adminMspDir: path.join(dir, 'users', `Admin@${domain}`, 'msp'),
      clientMspDir: path.join(dir, 'users', `User1@${domain}`, 'msp'),
      chaincodeTlsDir: path.join(dir, 'peers', `ccaas.${domain}`, 'tls'),
      nodeDir: path.join(nodesDir, peerName),
    };
  };

  return {
    stateDir,
    cryptoDir,
    configDir: path.join(stateDir, 'config'),
    channelDir: path.join(stateDir, 'channel'),
    chaincodeDir: path.join(stateDir, 'chaincode'),
    logsDir: path.join(stateDir, 'logs'),
    processesFile: path.join(stateDir, 'processes.json'),
    profileFile: path.join(stateDir, 'connection-profile.json'),
    orderer,
    peerOrgs: [
      org('music', 'MusicCmoMSP', 'collective', 'music copyright collective', cfg.ports.peers[0]),
      org('av', 'AvCmoMSP', 'collective', 'audiovisual copyright collective', cfg.ports.peers[1]),
      org('regulator', REGULATOR_MSP_ID, 'regulator', 'copyright regulator', cfg.ports.peers[2]),
    ],
  };
}
