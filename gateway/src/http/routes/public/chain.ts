/**
 * The chain as anyone may inspect it: a receipt for any transaction (where it was committed, with
 * the function and number of changes the read model recorded), the chain's height, head and —
 * on the embedded ledger — the result of recomputing every hash, and the latest blocks for a
 * ledger explorer. Transactions are listed by id, function, organisation and outcome only; their
 * arguments and write sets stay off this page, since not everything on the ledger is public.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { BlockView } from '../../../ledger/embedded/embedded-ledger';
import type { ChainVerification, LedgerPort } from '../../../ledger/port';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, encodeCursor, newRouter, PageQuery } from '../../openapi';
import { jsonResponse, PUBLIC_TAG, publicErrors } from './common';
import { ReceiptView, receiptView } from './licences';

/** A ledger that can recompute its hash chain and list its blocks (the embedded one can). */
interface ExplorableLedger extends LedgerPort {
  verify(): Promise<ChainVerification>;
  blocks(from: bigint, limit: number): Promise<BlockView[]>;
}

function canVerify(l: LedgerPort): l is LedgerPort & Pick<ExplorableLedger, 'verify'> {
  return typeof (l as Partial<ExplorableLedger>).verify === 'function';
}

function canListBlocks(l: LedgerPort): l is LedgerPort & Pick<ExplorableLedger, 'blocks'> {
  return typeof (l as Partial<ExplorableLedger>).blocks === 'function';
}

const TxId = z.string().regex(/^[0-9a-f]{64}$/, 'expected a transaction id (64 lower-case hex digits)');

const receiptRoute = createRoute({
  method: 'get',
  path: '/receipts/{txId}',
  tags: [PUBLIC_TAG],
  summary: 'Receipt of a committed transaction: block number and hash, position, validation code, time, function and number of changes',
  request: { params: z.object({ txId: TxId }) },
  responses: {
    200: jsonResponse(
      ReceiptView.extend({ fn: z.string().nullable(), changeCount: z.number().int().nullable() }).openapi('PublicReceipt'),
      'The receipt; fn and changeCount are null when the transaction carried no ledger event',
    ),
    ...publicErrors,
  },
});

const Verification = z.object({
  ok: z.boolean(),
  checkedHeight: z.string(),
  firstBadBlock: z.string().nullable().openapi({ description: 'First block whose stored contents no longer match their hashes' }),
  reason: z.string().nullable(),
  checkedAt: z.string(),
});

const chainRoute = createRoute({
  method: 'get',
  path: '/chain',
  tags: [PUBLIC_TAG],
  summary: "The chain's height and head hash, and whether every block still matches its hashes",
  responses: {
    200: jsonResponse(
      z.object({
        height: z.string(),
        headHash: z.string(),
        verification: Verification.nullable().openapi({ description: 'Null on a ledger that cannot be verified from here (a Fabric network: each peer verifies its own copy)' }),
      }).openapi('ChainStatus'),
      'Chain status',
    ),
  },
});

const BlockItem = z
  .object({
    number: z.string(),
    hash: z.string().nullable(),
    previousHash: z.string().nullable(),
    transactions: z.array(z.object({ txId: z.string(), index: z.number().int(), fn: z.string(), mspId: z.string().nullable(), timestamp: z.string(), validationCode: z.string() })),
  })
  .openapi('PublicBlock');

const blocksRoute = createRoute({
  method: 'get',
  path: '/chain/blocks',
  tags: [PUBLIC_TAG],
  summary: 'The latest blocks, newest first, with their transactions (ids, functions, outcome)',
  request: { query: PageQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }) }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(BlockItem), nextCursor: z.string().nullable() }), 'Blocks'), ...publicErrors },
});

/** How long a verification result is served before the chain is read again. */
const VERIFY_TTL_MS = 30_000;

/** Recomputing the chain re-reads every block: share one run among concurrent callers and keep it a while. */
function verificationCache(verify: () => Promise<ChainVerification>, ttlMs: number) {
  let last: { at: number; result: z.infer<typeof Verification> } | undefined;
  let running: Promise<z.infer<typeof Verification>> | undefined;
  return async (): Promise<z.infer<typeof Verification>> => {
    if (last && Date.now() - last.at < ttlMs) return last.result;
    running ??= (async () => {
      try {
        const v = await verify();
        const result = { ok: v.ok, checkedHeight: v.height.toString(), firstBadBlock: v.firstBadBlock?.toString() ?? null, reason: v.reason ?? null, checkedAt: new Date().toISOString() };
        last = { at: Date.now(), result };
        return result;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
}

interface TxRow {
  tx_id: string;
  block: string;
  tx_index: number;
  fn: string;
  at: Date;
}

/** Routes for receipts and the chain. */
export function chainRoutes(services: Services, options: { verifyTtlMs?: number } = {}) {
  const { sql, ledger } = services;
  const verification = canVerify(ledger) ? verificationCache(() => ledger.verify(), options.verifyTtlMs ?? VERIFY_TTL_MS) : undefined;

  return newRouter()
    .openapi(receiptRoute, async (c) => {
      const { txId } = c.req.valid('param');
      const receipt = await ledger.receipt(txId);
      const [row] = await sql<{ fn: string; change_count: number }[]>`select fn, change_count from rm.transactions where tx_id = ${txId}`;
      return c.json({ ...receiptView(receipt), fn: row?.fn ?? null, changeCount: row?.change_count ?? null }, 200);
    })
    .openapi(chainRoute, async (c) => {
      const info = await ledger.info();
      return c.json({ height: info.height.toString(), headHash: info.lastBlockHash, verification: verification ? await verification() : null }, 200);
    })
    .openapi(blocksRoute, async (c) => {
      const q = c.req.valid('query');
      const { height } = await ledger.info();
      const cursor = decodeCursor(q.cursor, 1)?.[0];
      // Blocks strictly below `before`, newest first.
      let before = height;
      if (cursor !== undefined) {
        if (!/^\d{1,19}$/.test(String(cursor))) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'cursor: not a cursor this list issued', { field: 'cursor' });
        const n = BigInt(String(cursor));
        if (n < before) before = n;
      }
      const from = before - BigInt(q.limit) > 0n ? before - BigInt(q.limit) : 0n;
      let items: Array<z.infer<typeof BlockItem>>;
      if (canListBlocks(ledger)) {
        const blocks = await ledger.blocks(from, Number(before - from));
        items = blocks.reverse().map((b) => ({
          number: b.number.toString(),
          hash: b.hash,
          previousHash: b.previousHash,
          transactions: b.transactions.map((t) => ({ txId: t.txId, index: t.index, fn: t.fn, mspId: t.creator.mspId, timestamp: t.timestamp, validationCode: t.validationCode })),
        }));
      } else {
        // Without a block explorer on the port, the read model knows the valid transactions.
        const rows = await sql<TxRow[]>`
          select t.tx_id, t.block_number::text as block, t.tx_index, t.fn, t.at from rm.transactions t
          where t.block_number >= ${from.toString()}::bigint and t.block_number < ${before.toString()}::bigint
          order by t.block_number desc, t.tx_index`;
        const byBlock = new Map<string, Array<z.infer<typeof BlockItem>['transactions'][number]>>();
        for (const r of rows) {
          const list = byBlock.get(r.block) ?? [];
          list.push({ txId: r.tx_id, index: r.tx_index, fn: r.fn, mspId: null, timestamp: r.at.toISOString(), validationCode: 'VALID' });
          byBlock.set(r.block, list);
        }
        items = [...byBlock].map(([number, transactions]) => ({ number, hash: null, previousHash: null, transactions }));
      }
      return c.json({ items, nextCursor: from > 0n ? encodeCursor([from.toString()]) : null }, 200);
    });
}
