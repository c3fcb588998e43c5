/**
 * Canonical serialisation and hashes of the chain: the data hash of a block over its
 * transactions, the block hash over the header, and the state hash over the sorted state.
 */
import { createHash, type Hash } from 'node:crypto';
import { keyToBytes } from './keys';

/** SHA-256 of a string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always give equal bytes (the
 * same rule the chaincode follows so two endorsers agree). `bigint` becomes a decimal string,
 * as money crosses every boundary; `undefined` members are dropped as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of Object.keys(obj).sort()) {
        const v = obj[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialise ${typeof value}`);
  }
}

/** The hash chain's "previous hash" of block 0. */
export const ZERO_HASH = '0'.repeat(64);

/**
 * Block hash: SHA-256 over the header (number, previous hash, data hash), as Fabric hashes its
 * block header; the data hash binds the transactions.
 */
export function blockHash(number: bigint, previousHash: string, dataHash: string): string {
  return sha256Hex(JSON.stringify([number.toString(), previousHash, dataHash]));
}

/** Incremental data hash: one canonical line per transaction, in block order. */
export class DataHasher {
  private readonly hash: Hash = createHash('sha256');

  add(canonicalTx: string): void {
    this.hash.update(canonicalTx).update('\n');
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Incremental state hash over `(key, value, version)` entries fed in key order; each field is
 * length-prefixed so no two different states share a byte stream.
 */
export class StateHasher {
  private readonly hash: Hash = createHash('sha256');
  private readonly header = Buffer.alloc(24);
  count = 0;

  add(key: string, value: Uint8Array, block: number, tx: number): void {
    const kb = keyToBytes(key);
    this.header.writeUInt32BE(kb.length, 0);
    this.header.writeUInt32BE(value.byteLength, 4);
    this.header.writeBigUInt64BE(BigInt(block), 8);
    this.header.writeBigUInt64BE(BigInt(tx), 16);
    this.hash.update(this.header).update(kb).update(value);
    this.count++;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
