/**
 * Schemas of the repertoire the operator registers (works with creators and shares, recordings),
 * mirroring the chaincode's own so that bad input is refused before the first of several batches
 * is written.
 */
import { z } from '@hono/zod-openapi';
import { DateString, IdString } from './common';

/** At most this many works go into one `repertoire:registerWorks` transaction (the chaincode's limit). */
export const WORKS_PER_TX = 200;
/** At most this many works in one `POST /works` request. */
export const MAX_WORKS_PER_REQUEST = 5000;

/** One rights holder's share: a percentage with at most 4 decimals. */
export const ShareLine = z.object({ partyId: IdString, share: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'expected a percentage with at most 4 decimals') }).strict();
/** A share set of one right type. */
export const ShareSet = z.array(ShareLine).max(50);

/** A work to register. */
export const WorkInput = z
  .object({
    workId: IdString,
    iswc: z.string().regex(/^T-?\d{3}\.?\d{3}\.?\d{3}-?\d$/, 'expected an ISWC such as T-123.456.789-0').optional(),
    title: z.string().trim().min(1).max(300),
    alternateTitles: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
    creators: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(200),
            role: z.enum(['composer', 'author', 'author_composer', 'arranger', 'translator', 'publisher', 'sub_publisher']),
            partyId: IdString.optional(),
            ipiNameNumber: z.string().regex(/^\d{9,11}$/, 'expected an IPI name number (9 to 11 digits)').optional(),
          })
          .strict(),
      )
      .min(1)
      .max(30),
    shares: z.object({ performing: ShareSet.optional(), mechanical: ShareSet.optional() }).strict(),
    effectiveFrom: DateString,
  })
  .strict()
  .openapi('WorkInput');

/** A work as the ledger takes it. */
export type WorkInputT = z.output<typeof WorkInput>;

/** A recording to register. */
export const RecordingInput = z
  .object({
    isrc: z.string().regex(/^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$/, 'expected an ISRC such as CN-A01-26-00001'),
    workId: IdString,
    title: z.string().trim().min(1).max(300),
    artist: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .openapi('RecordingInput');

/** Sum of share percentages in units of 0.0001 % (exact integers, no floating point). */
export function shareUnits(lines: readonly { share: string }[]): number {
  let total = 0;
  for (const l of lines) {
    const [i = '0', f = ''] = l.share.split('.');
    total += Number(i) * 10_000 + Number((f + '0000').slice(0, 4));
  }
  return total;
}

/** Normalised ISWC (`T-DDD.DDD.DDD-C`), as the chaincode stores it. */
export function normaliseIswc(iswc: string): string {
  const d = iswc.replace(/[^0-9]/g, '');
  return `T-${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}
