/**
 * Read/write sets, as a peer records them while simulating: the version of every key read
 * (absent included), every range scan with the keys and versions it returned, and the writes
 * (a `null` value deletes). Serialised canonically so it can be hashed and stored.
 */
import { compareKeys } from './keys';
import type { Version } from './world-state';

/** A range scan made during simulation, re-executed at commit to detect phantoms. */
export interface RangeQueryInfo {
  start: string;
  /** Exclusive end; empty for "no upper bound". */
  end: string;
  /** True when the chaincode read the iterator to its end (then extra keys are phantoms too). */
  exhausted: boolean;
  /** Keys returned, in order, with the versions read. */
  results: Array<{ key: string; version: Version }>;
}

/** What a simulated transaction read and wrote. */
export interface RwSet {
  reads: Map<string, Version | null>;
  ranges: RangeQueryInfo[];
  /** Final value per key; `null` deletes. */
  writes: Map<string, Buffer | null>;
}

/** An empty read/write set. */
export function emptyRwSet(): RwSet {
  return { reads: new Map(), ranges: [], writes: new Map() };
}

type WireVersion = [number, number] | null;
interface WireRwSet {
  r: Array<[string, WireVersion]>;
  q: Array<{ s: string; e: string; x: boolean; r: Array<[string, [number, number]]> }>;
  w: Array<[string, string | null]>;
}

const byKey = <T>(a: [string, T], b: [string, T]): number => compareKeys(a[0], b[0]);

/**
 * Canonical JSON of a read/write set: reads and writes sorted by key (as Fabric sorts its rwset),
 * range queries in execution order, values in base64. Member order is fixed by construction.
 */
export function serializeRwSet(rw: RwSet): string {
  const reads = [...rw.reads].sort(byKey).map(([k, v]): [string, WireVersion] => [k, v ? [v.block, v.tx] : null]);
  const ranges = rw.ranges.map((q) => ({
    s: q.start,
    e: q.end,
    x: q.exhausted,
    r: q.results.map((r): [string, [number, number]] => [r.key, [r.version.block, r.version.tx]]),
  }));
  const writes = [...rw.writes].sort(byKey).map(([k, v]): [string, string | null] => [k, v ? v.toString('base64') : null]);
  // JSON.stringify keeps insertion order, which is the fixed order r, q, w (s, e, x, r).
  return JSON.stringify({ r: reads, q: ranges, w: writes } satisfies WireRwSet);
}

/** Parses {@link serializeRwSet} output. */
export function parseRwSet(text: string): RwSet {
  const wire = JSON.parse(text) as WireRwSet;
  return {
    reads: new Map(wire.r.map(([k, v]) => [k, v ? { block: v[0], tx: v[1] } : null])),
    ranges: wire.q.map((q) => ({
      start: q.s,
      end: q.e,
      exhausted: q.x,
      results: q.r.map(([key, v]) => ({ key, version: { block: v[0], tx: v[1] } })),
    })),
    writes: new Map(wire.w.map(([k, v]) => [k, v === null ? null : Buffer.from(v, 'base64')])),
  };
}
