/** Types of hash-kernels.mjs (plain JavaScript, shared with the hashing worker). */
import type { Buffer } from 'node:buffer';

/** SHA-256 of `data` written into `out` at `at` (32 bytes). */
export function digestInto(data: Uint8Array, out: Buffer, at: number): void;

/**
 * Hashes `count` leaves laid out back to back in `bytes` from `start`, leaf k ending at `ends[k]`,
 * each already beginning with the 0x00 leaf prefix; leaf k's hash goes to `out[(first + k) * 32]`.
 */
export function hashLeafRun(bytes: Uint8Array, start: number, ends: Int32Array, count: number, out: Buffer, first: number): void;

/** Writes the parents of nodes `[from, to)` (`from` even) of a level of `n` nodes into `next`. */
export function hashPairs(cur: Buffer, n: number, next: Buffer, from: number, to: number): void;

/** Builds levels 1..`shift` of the subtrees over leaf blocks `[fromBlock, toBlock)` of 2^`shift` leaves. */
export function hashBlocks(levels: readonly Buffer[], size: number, shift: number, fromBlock: number, toBlock: number): void;

/**
 * Counts hashed leaves `[first, first + count)` off their blocks (`remaining`, shared); builds the
 * subtree of each block they complete and marks it −1. Returns the number of subtrees built.
 */
export function leavesHashed(first: number, count: number, remaining: Int32Array, levels: readonly Buffer[], size: number, shift: number): number;
