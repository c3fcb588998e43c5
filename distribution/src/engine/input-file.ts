/**
 * Reading input files once: the bytes stream to the parser and into a SHA-256 at the same time,
 * so the digest the ledger records is of exactly the bytes that were parsed. Formats are detected
 * from content, never from file names.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';

/** Formats the engine reads. */
export type WorksFormat = 'cwr' | 'works-csv';
/** Usage formats the engine reads. */
export type UsageFormat = 'dsr' | 'usage-csv';

/** Stable code of an {@link InputError}. */
export type InputErrorCode = 'INPUT.UNREADABLE' | 'INPUT.UNKNOWN_FORMAT';

/** A file that cannot be read or whose format is not recognised. */
export class InputError extends Error {
  /** Creates an error with a stable code and the offending file. */
  constructor(readonly code: InputErrorCode, message: string, readonly path: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Streams a file's chunks while feeding `hash`; the digest is complete once the iteration ends. */
export async function* hashedChunks(path: string, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    hash.update(b);
    yield b;
  }
}

/** A fresh SHA-256. */
export function sha256(): Hash {
  return createHash('sha256');
}

async function head(path: string): Promise<string> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new InputError('INPUT.UNREADABLE', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, path);
  }
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let s = buf.subarray(0, bytesRead).toString('utf8');
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    return s;
  } finally {
    await fh.close();
  }
}

/** Detects CWR (starts with an `HDR` record) or works.csv (starts with its header row). */
export async function detectWorksFormat(path: string): Promise<WorksFormat> {
  const s = await head(path);
  if (/^HDR/.test(s)) return 'cwr';
  if (/^"?work_id"?,/.test(s)) return 'works-csv';
  throw new InputError('INPUT.UNKNOWN_FORMAT', `${path}: not a CWR file (first record HDR) or a works.csv (header starting "work_id,")`, path);
}

/** Detects a DDEX DSR flat file (`HEAD`/`FHEA` record or `#` column rows) or usage.csv (its header row). */
export async function detectUsageFormat(path: string): Promise<UsageFormat> {
  const s = await head(path);
  if (/^"?usage_id"?,/.test(s)) return 'usage-csv';
  if (/^(HEAD|FHEA)\t/.test(s) || /^#[A-Z]{2,4}\d{0,2}(\.\d{1,2})?\t/.test(s)) return 'dsr';
  throw new InputError('INPUT.UNKNOWN_FORMAT', `${path}: not a DDEX DSR flat file (HEAD record) or a usage.csv (header starting "usage_id,")`, path);
}
