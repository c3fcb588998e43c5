/**
 * Options of the Fabric adapter, validated with zod: they come from the environment (through the
 * gateway's config) or from tests and benchmarks.
 */
import { z } from 'zod';

/** Deadline of each phase of a call, in milliseconds. */
export const deadlinesSchema = z.object({
  /** A query (evaluate) on one peer. */
  evaluate: z.number().int().positive().default(30_000),
  /** Collecting the endorsements (the organisation's peer and, through it, the regulator's). */
  endorse: z.number().int().positive().default(60_000),
  /** Handing the endorsed transaction to the orderer. */
  submit: z.number().int().positive().default(30_000),
  /** Waiting until the organisation's peer has committed the transaction's block. */
  commitStatus: z.number().int().positive().default(120_000),
});

/** Phase deadlines. */
export type Deadlines = z.infer<typeof deadlinesSchema>;

export const fabricLedgerOptionsSchema = z.object({
  /** Path of the connection profile written by `fabric:up`. */
  profilePath: z.string().min(1),
  deadlines: deadlinesSchema.default(deadlinesSchema.parse({})),
  /** How often a transaction invalidated by an MVCC or phantom read conflict is submitted again. */
  mvccRetries: z.number().int().min(0).max(50).default(5),
  /** Upper bound of the random wait before such a retry (grows with each attempt). */
  mvccRetryJitterMs: z.number().int().min(0).default(200),
  /**
   * The organisation whose peer serves events, receipts and chain info; the regulator's by default
   * (it endorses every write, so it holds every transaction). It must be in the profile.
   */
  readerMspId: z.string().min(1).optional(),
  /** Reconnection of the event stream after it breaks. */
  eventsInitialBackoffMs: z.number().int().positive().default(250),
  eventsMaxBackoffMs: z.number().int().positive().default(5_000),
});

/** What `FabricLedger.open` takes (before defaults). */
export type FabricLedgerOptionsInput = z.input<typeof fabricLedgerOptionsSchema> & {
  /** Progress and reconnection messages. */
  log?: (line: string) => void;
};
