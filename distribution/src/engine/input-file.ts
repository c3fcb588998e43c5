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

/** Size of the chunks a file is read in. */
const CHUNK = 1 << 20;

/**
 * Streams a file's chunks while feeding `hash`; the digest is complete once the iteration ends.
 * With `reuse`, every chunk is read into the same buffer, so a chunk is only valid until the next
 * one is asked for: for consumers that decode each chunk before going on (the text parsers). A
 * fresh megabyte per chunk is memory outside the JS heap, and every few dozen of them make V8
 * collect the whole heap, the repertoire included.
 */
export async function* hashedChunks(path: string, hash: Hash, reuse = false): AsyncGenerator<Buffer> {
  if (!reuse) {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
      const b = chunk as Buffer;
      hash.update(b);
      yield b;
    }
    return;
  }
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const b = buf.subarray(0, bytesRead);
      hash.update(b);
      yield b;
    }
  } finally {
    await fh.close();
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
