/**
 * The hash Fabric gives a block: SHA-256 over the ASN.1 DER encoding of its header
 * `SEQUENCE { number INTEGER, previousHash OCTET STRING, dataHash OCTET STRING }` (Fabric's
 * `protoutil.BlockHeaderBytes`, which marshals a Go struct of a big.Int and two byte slices with
 * `encoding/asn1`). Each block's `previous_hash` is this hash of its predecessor's header, and
 * qscc's `GetChainInfo` reports it for the newest block.
 */
import { createHash } from 'node:crypto';

/** DER length octets: short form below 128, long form (0x80 | byte count, big-endian) above. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** A non-negative INTEGER: minimal big-endian two's complement (a leading 0 when the top bit is set). */
function derUnsignedInteger(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('block numbers are unsigned');
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  if (bytes.length === 0 || (bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return derTlv(0x02, Buffer.from(bytes));
}

/** The DER bytes Fabric hashes for a block header. */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  return derTlv(0x30, Buffer.concat([derUnsignedInteger(number), derTlv(0x04, Buffer.from(previousHash)), derTlv(0x04, Buffer.from(dataHash))]));
}

/** Hex SHA-256 of a block header, as Fabric computes it. */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): string {
  return createHash('sha256').update(blockHeaderBytes(number, previousHash, dataHash)).digest('hex');
}
