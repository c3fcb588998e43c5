/**
 * Tariffs and licences. A tariff is published with its reasoning and formula and never edited
 * (a new tariff supersedes it). A licence ties a licensee to a tariff for a term, territory and
 * scope; anyone can verify it by its code. Expiry is derived from the term, revocation recorded.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { formatMoney, money } from '@rtl/distribution/money';
import { tariffFormulaSchema } from '@rtl/distribution/tariff';
import { requireOperatorOf, requirePartyOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import type { LedgerContext } from '../ledger-context';
import type { LicenceRecord, TariffRecord } from '../records';
import {
  amountOf,
  commandIdSchema,
  currencySchema,
  dateSchema,
  decimalAmountSchema,
  idSchema,
  reasonCodeSchema,
  rightTypeSchema,
  textSchema,
  useTypeSchema,
} from '../schemas';
import { createRecord, mustRead, readRecord, txDate, txTime, writeRecord } from '../state';

const publishTariffArgs = z
  .object({
    commandId: commandIdSchema,
    tariffId: idSchema,
    collectiveId: idSchema,
    name: textSchema(200),
    useType: useTypeSchema,
    rightTypes: z.array(rightTypeSchema).min(1).max(2),
    reasoning: textSchema(5000),
    formula: tariffFormulaSchema,
    effectiveFrom: dateSchema,
    effectiveTo: dateSchema.optional(),
    supersedes: idSchema.optional(),
  })
  .strict();

const issueLicenceArgs = z
  .object({
    commandId: commandIdSchema,
    licenceId: idSchema,
    licenseeId: idSchema,
    tariffId: idSchema,
    validFrom: dateSchema,
    validTo: dateSchema,
    territory: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'expected an ISO 3166 code such as CN or CN-BJ'),
    scope: textSchema(500),
    fee: decimalAmountSchema,
    currency: currencySchema,
  })
  .strict();

const revokeLicenceArgs = z.object({ commandId: commandIdSchema, licenceId: idSchema, reasonCode: reasonCodeSchema, note: textSchema(500).optional() }).strict();
const verifyLicenceArgs = z.object({ code: z.string().regex(/^LIC-[0-9A-F]{12}$/, 'expected a licence code such as LIC-0123456789AB'), asOf: dateSchema.optional() }).strict();
const getByIdArgs = (key: string) => z.object({ [key]: idSchema }).strict();

/** Status of a licence on a date. */
export type LicenceStatus = 'active' | 'expired' | 'revoked' | 'not_yet_valid';

/** The status a licence has on a date. */
export function licenceStatus(licence: LicenceRecord, date: string): LicenceStatus {
  if (licence.revoked) return 'revoked';
  if (date < licence.validFrom) return 'not_yet_valid';
  if (date > licence.validTo) return 'expired';
  return 'active';
}

/** Tariff publication and licence issue, revocation and verification. */
export class LicensingContract extends LedgerContract {
  constructor() {
    super('licensing');
  }

  /** Publishes a tariff with its reasoning and formula. */
  async publishTariff(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, publishTariffArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      if (a.effectiveTo && a.effectiveTo < a.effectiveFrom) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'effectiveTo is before effectiveFrom', { field: 'effectiveTo' });
      if (a.supersedes) {
        const old = await mustRead<TariffRecord>(ctx, 'tariff', [a.supersedes], 'supersedes');
        if (old.collectiveId !== a.collectiveId) throw new LedgerError('ACCESS.DENIED', 'a tariff can only supersede its own collective’s tariff', { field: 'supersedes' });
      }
      const tariff: TariffRecord = {
        id: a.tariffId,
        collectiveId: a.collectiveId,
        name: a.name,
        useType: a.useType,
        rightTypes: [...new Set(a.rightTypes)].sort(),
        reasoning: a.reasoning,
        formula: a.formula,
        effectiveFrom: a.effectiveFrom,
        ...(a.effectiveTo && { effectiveTo: a.effectiveTo }),
        ...(a.supersedes && { supersedes: a.supersedes }),
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'tariff', [a.tariffId], tariff, 'tariffId');
      return { tariff };
    });
  }

  /** Issues a licence to a licensee of the caller's collective under one of its tariffs. */
  async issueLicence(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, issueLicenceArgs, async (a) => {
      const tariff = await mustRead<TariffRecord>(ctx, 'tariff', [a.tariffId], 'tariffId');
      await requireOperatorOf(ctx, tariff.collectiveId);
      await requirePartyOf(ctx, a.licenseeId, 'licensee', tariff.collectiveId, 'licenseeId');
      if (a.validTo < a.validFrom) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'validTo is before validFrom', { field: 'validTo' });
      if (a.currency !== tariff.formula.currency) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `the tariff is priced in ${tariff.formula.currency}`, { field: 'currency' });
      const fee = amountOf(a.fee, a.currency, 'fee', { nonNegative: true });
      // The code is derived from the transaction id: unguessable, yet identical on every peer.
      const code = `LIC-${createHash('sha256').update(`${a.licenceId}\u0000${ctx.stub.getTxID()}`).digest('hex').slice(0, 12).toUpperCase()}`;
      const licence: LicenceRecord = {
        id: a.licenceId,
        code,
        collectiveId: tariff.collectiveId,
        licenseeId: a.licenseeId,
        tariffId: a.tariffId,
        validFrom: a.validFrom,
        validTo: a.validTo,
        territory: a.territory,
        scope: a.scope,
        fee: formatMoney(money(fee, a.currency)),
        currency: a.currency,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'licence', [a.licenceId], licence, 'licenceId');
      await writeRecord(ctx, 'licence-code', [code], { licenceId: a.licenceId }, 'created', false);
      return { licence };
    });
  }

  /** Revokes a licence, with a reason code. */
  async revokeLicence(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, revokeLicenceArgs, async (a) => {
      const licence = await mustRead<LicenceRecord>(ctx, 'licence', [a.licenceId], 'licenceId');
      await requireOperatorOf(ctx, licence.collectiveId);
      if (licence.revoked) throw new LedgerError('LEDGER.INVALID_STATE', `licence ${a.licenceId} is already revoked`, { field: 'licenceId' });
      const updated: LicenceRecord = {
        ...licence,
        revoked: { at: txTime(ctx), txId: ctx.stub.getTxID(), reasonCode: a.reasonCode, ...(a.note && { note: a.note }) },
      };
      await writeRecord(ctx, 'licence', [a.licenceId], updated, 'updated');
      return { licence: updated };
    });
  }

  /** Verifies a licence by its code: the licence, its status on a date and the tariff it is under. */
  async verifyLicence(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, verifyLicenceArgs, async (a) => {
      const link = await mustRead<{ licenceId: string }>(ctx, 'licence-code', [a.code], 'code');
      const licence = await mustRead<LicenceRecord>(ctx, 'licence', [link.licenceId], 'code');
      const asOf = a.asOf ?? txDate(ctx);
      const tariff = await readRecord<TariffRecord>(ctx, 'tariff', [licence.tariffId]);
      return { licence, status: licenceStatus(licence, asOf), asOf, tariff };
    });
  }

  /** A tariff by id. */
  async getTariff(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, getByIdArgs('tariffId'), (a) => mustRead<TariffRecord>(ctx, 'tariff', [String(a.tariffId)], 'tariffId'));
  }

  /** A licence by id. */
  async getLicence(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, getByIdArgs('licenceId'), async (a) => {
      const licence = await mustRead<LicenceRecord>(ctx, 'licence', [String(a.licenceId)], 'licenceId');
      return { licence, status: licenceStatus(licence, txDate(ctx)) };
    });
  }
}
