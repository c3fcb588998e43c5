/**
 * Raw request bodies streamed to disk: a size limit enforced while streaming (the Content-Length
 * header is checked first, but a client may omit or misstate it), the SHA-256 computed on the way,
 * and no partial file left behind on any failure.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A request body that exceeded the limit (answered 413). */
export class PayloadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the body exceeds the limit of ${limit} bytes`);
    this.name = 'PayloadTooLarge';
  }
}

/** What was written. */
export interface StoredBody {
  path: string;
  bytes: number;
  sha256: string;
}

/** Streams `body` to `path` (creating its directory); throws {@link PayloadTooLarge} past `limit` bytes, removing the partial file. */
export async function streamBodyToFile(body: ReadableStream<Uint8Array> | null, path: string, limit: number): Promise<StoredBody> {
  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > limit) return done(new PayloadTooLarge(limit));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const source = body ? Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
  return { path, bytes, sha256: hash.digest('hex') };
}

/** Reads a (small) text body fully, refusing more than `limit` bytes without buffering them. */
export async function readBodyText(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>)) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    bytes += b.length;
    if (bytes > limit) throw new PayloadTooLarge(limit);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
