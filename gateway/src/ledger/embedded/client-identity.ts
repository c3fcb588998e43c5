/**
 * The caller's identity as fabric-shim's `ClientIdentity` presents it to a contract. The embedded
 * ledger has no certificates: the identity comes from the gateway's `LedgerIdentity`, and the
 * `role` attribute stands for the enrolment attribute a Fabric CA would put in the certificate.
 */
import type { LedgerIdentity } from '../port';

/** Fabric-style distinguished-name string for a user of an organisation. */
export function identityId(identity: LedgerIdentity): string {
  return `x509::/OU=client/CN=${identity.user}::/O=${identity.mspId}/CN=ca.${identity.mspId}`;
}

/** The bytes a peer would carry as the creator's `idBytes` (here the id string). */
export function identityBytes(identity: LedgerIdentity): Buffer {
  return Buffer.from(identityId(identity), 'utf8');
}

/** Implements the members of fabric-shim's `ClientIdentity` that contracts use. */
export class EmbeddedClientIdentity {
  constructor(private readonly identity: LedgerIdentity) {}

  getMSPID(): string {
    return this.identity.mspId;
  }

  getID(): string {
    return identityId(this.identity);
  }

  getIDBytes(): Uint8Array {
    return identityBytes(this.identity);
  }

  /** Only `role` exists; every other attribute is absent (`null`), as with a bare certificate. */
  getAttributeValue(name: string): string | null {
    return name === 'role' ? this.identity.role : null;
  }

  assertAttributeValue(name: string, value: string): boolean {
    const actual = this.getAttributeValue(name);
    return actual !== null && actual === value;
  }
}
