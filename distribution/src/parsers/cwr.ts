/**
 * Streaming parser for CISAC CWR 2.1 / 2.2 work registrations (fixed-width records).
 *
 * Field positions follow the CWR 2.x record layouts (1-based start and size per field). Only the
 * records needed to know who owns and collects what are modelled (HDR, GRH, NWR/REV, SPU/OPU, SPT,
 * SWR/OWR, SWT, PWR, ALT, PER, REC, GRT, TRL); other known record types are counted and skipped.
 *
 * Encoding: each line is decoded on its own — as UTF-8 when its bytes are valid UTF-8, otherwise
 * with a fallback code page (CP437 by default, since CWR files with stray 8-bit bytes come from
 * DOS-era systems; `latin1` on request). Fallback lines raise a `CWR.NON_UTF8_LINE` warning.
 * Positions count characters, so a fallback line keeps its layout. A UTF-8 BOM is skipped.
 *
 * Error policy: a bad detail record rejects its whole transaction (a work with a missing share
 * record would distribute wrongly); the bad line goes to the rejects sink and the work is counted
 * in `worksRejected`. Trailer mismatches and other structural problems are errors too.
 */
import {
  byteLineBatches,
  emptySummary,
  IssueCollector,
  makeStream,
  type FallbackEncoding,
  type ParseIssue,
  type ParseOptions,
  type ParserInput,
  type ParseStream,
  type ParseSummary,
} from './common';
import { normaliseIpiNameNumber, normaliseIsrc, normaliseIswc } from './identifiers';

/** Ownership or collection shares per right type, as decimal percentage strings (`"50.00"`). */
export interface CwrShares {
  /** Performing right. */
  pr: string;
  /** Mechanical right. */
  mr: string;
  /** Synchronisation right. */
  sr: string;
}

/** Affiliation society codes per right type (CISAC society codes, e.g. `021` BMI). */
export interface CwrSocieties {
  pr?: string;
  mr?: string;
  sr?: string;
}

/** A collection-share record (SPT/SWT): shares for one territory, included or excluded. */
export interface CwrTerritoryShare {
  line: number;
  /** TIS numeric territory code, e.g. `2136` (World). */
  tisCode: string;
  inclusion: 'I' | 'E';
  shares: CwrShares;
  sequence?: number;
}

/** A publisher on a work (SPU = controlled by the submitter, OPU = other). */
export interface CwrPublisher {
  line: number;
  controlled: boolean;
  /** Publisher sequence number: a chain of original publisher and its administrators/sub-publishers shares one. */
  chain: number;
  /** The submitter's interested-party number. */
  ipNumber?: string;
  name: string;
  unknown: boolean;
  /** E (original), AM (administrator), SE (sub-publisher), PA (income participant), AQ, ES. */
  type?: string;
  ipiNameNumber?: string;
  ipiBaseNumber?: string;
  submitterAgreementNumber?: string;
  societies: CwrSocieties;
  ownership: CwrShares;
  collection: CwrTerritoryShare[];
}

/** A writer on a work (SWR = controlled by the submitter, OWR = other). */
export interface CwrWriter {
  line: number;
  controlled: boolean;
  ipNumber?: string;
  lastName: string;
  firstName?: string;
  unknown: boolean;
  /** CA, C, A, AR, AD, TR, SA, SR, PA. */
  designation?: string;
  ipiNameNumber?: string;
  ipiBaseNumber?: string;
  societies: CwrSocieties;
  ownership: CwrShares;
  collection: CwrTerritoryShare[];
  /** Interested-party numbers of the publishers this writer is published by (PWR). */
  publisherIpNumbers: string[];
}

/** An alternate title (ALT). */
export interface CwrAlternateTitle {
  title: string;
  titleType?: string;
  language?: string;
}

/** A performing artist (PER). */
export interface CwrPerformer {
  lastName: string;
  firstName?: string;
  ipiNameNumber?: string;
  ipiBaseNumber?: string;
}

/** A recording (REC). */
export interface CwrRecording {
  line: number;
  isrc?: string;
  firstReleaseDate?: string;
  albumTitle?: string;
  label?: string;
  catalogNumber?: string;
  ean?: string;
  /** CWR 2.2 only. */
  recordingTitle?: string;
  /** CWR 2.2 only. */
  displayArtist?: string;
}

/** One work registration (NWR or REV transaction) with everything attached to it. */
export interface CwrWork {
  /** Line of the NWR/REV record. */
  line: number;
  transactionType: string;
  transactionSequence: number;
  groupId: number;
  submitterWorkId: string;
  title: string;
  iswc?: string;
  languageCode?: string;
  distributionCategory?: string;
  duration?: string;
  versionType?: string;
  alternateTitles: CwrAlternateTitle[];
  publishers: CwrPublisher[];
  writers: CwrWriter[];
  performers: CwrPerformer[];
  recordings: CwrRecording[];
}

/** The HDR record. */
export interface CwrHeader {
  senderType: string;
  /** Sender id; for an IPI-numbered sender (numeric sender type) the full 11-digit IPI name number. */
  senderId: string;
  senderName: string;
  ediVersion: string;
  creationDate: string;
  creationTime: string;
  transmissionDate: string;
  characterSet?: string;
  /** `2.2` when the HDR carries the CWR 2.2 version field, else `2.1`. */
  cwrVersion: string;
  softwarePackage?: string;
}

/** One group (GRH … GRT) as seen and as declared by its trailer. */
export interface CwrGroup {
  line: number;
  groupId: number;
  transactionType: string;
  transactions: number;
  records: number;
  declaredTransactions?: number;
  declaredRecords?: number;
}

/** Summary of a CWR parse. `accepted` counts works emitted. */
export interface CwrSummary extends ParseSummary {
  header?: CwrHeader;
  groups: CwrGroup[];
  /** Transactions seen, by type (NWR, REV, ACK, AGR, …). */
  transactions: Record<string, number>;
  worksRejected: number;
  /** Known record types that are not modelled, by type. */
  skippedRecords: Record<string, number>;
  /** Lines decoded with the fallback code page. */
  fallbackLines: number;
  /** Detail lines skipped because their work had already been rejected. */
  linesInRejectedWorks: number;
  /** Lines not parsed at all (after an unsupported version header). */
  unparsedLines: number;
  /** Declared by TRL. */
  trailer?: { groups: number; transactions: number; records: number };
}

/** CWR parser options. */
export interface CwrOptions extends ParseOptions {
  /** Code page for lines that are not valid UTF-8. Default `cp437`. */
  fallbackEncoding?: FallbackEncoding;
}

const WORK_TYPES = new Set(['NWR', 'REV', 'ISW', 'EXC']);
const OTHER_TX_TYPES = new Set(['AGR', 'ACK']);
// Work detail records we recognise but do not model.
const WORK_DETAIL_SKIPPED = new Set([
  'OWK', 'EWT', 'VER', 'ORN', 'COM', 'NAT', 'NET', 'NCT', 'NVT', 'NOW', 'NPN', 'NPR', 'NWN', 'INS', 'IND', 'ARI', 'XRF',
]);
// Everything that may appear inside an AGR or ACK transaction (an ACK echoes the acknowledged work).
const OTHER_DETAIL = new Set([
  'TER', 'IPA', 'NPA', 'MSG', 'SPU', 'OPU', 'SPT', 'SWR', 'OWR', 'SWT', 'OWT', 'PWR', 'ALT', 'PER', 'REC',
  'NWR', 'REV', 'ISW', 'EXC', ...WORK_DETAIL_SKIPPED,
]);

/** Slice by 1-based start and size, trimmed. */
function f(line: string, start: number, size: number): string {
  return line.slice(start - 1, start - 1 + size).trim();
}
function opt(s: string): string | undefined {
  return s === '' ? undefined : s;
}

class RecordError extends Error {
  constructor(readonly field: string, readonly code: string, message: string) {
    super(message);
  }
}

/** Parses a 5-character 3v2 share (`05000` = 50.00 %); blank is zero. */
function share(line: string, start: number, field: string): string {
  const raw = line.slice(start - 1, start + 4);
  const t = raw.trim();
  if (t === '') return '0.00';
  if (raw.length !== 5 || !/^\d{5}$/.test(raw)) throw new RecordError(field, 'PARSE.INVALID_SHARE', `share ${JSON.stringify(raw)} is not 5 digits (3 integer + 2 decimal)`);
  const v = Number(raw);
  if (v > 10000) throw new RecordError(field, 'PARSE.INVALID_SHARE', `share ${raw.slice(0, 3)}.${raw.slice(3)} exceeds 100.00`);
  return `${Math.floor(v / 100)}.${raw.slice(3)}`;
}

function hundredths(s: string): number {
  const [i = '0', d = '00'] = s.split('.');
  return Number(i) * 100 + Number(d);
}

function ipi(line: string, start: number, field: string): string | undefined {
  const raw = f(line, start, 11);
  if (raw === '' || /^0+$/.test(raw)) return undefined;
  const n = normaliseIpiNameNumber(raw);
  if (!n) throw new RecordError(field, 'PARSE.INVALID_IPI', `IPI name number ${JSON.stringify(raw)} is not up to 11 digits`);
  return n;
}

function societies(line: string, pr: number, mr: number, sr: number): CwrSocieties {
  const s: CwrSocieties = {};
  const a = f(line, pr, 3), b = f(line, mr, 3), c = f(line, sr, 3);
  if (a) s.pr = a;
  if (b) s.mr = b;
  if (c) s.sr = c;
  return s;
}

function territory(line: string, lineNo: number, at: number, field: string): CwrTerritoryShare {
  // at = position of the PR collection share; MR, SR, I/E, TIS code, shares-change, sequence follow.
  const inclusion = line[at + 14] ?? '';
  if (inclusion !== 'I' && inclusion !== 'E') throw new RecordError('inclusionExclusionIndicator', 'CWR.INVALID_FIELD', `inclusion/exclusion indicator ${JSON.stringify(inclusion)} is not I or E`);
  const tis = f(line, at + 16, 4);
  if (!/^\d{1,4}$/.test(tis)) throw new RecordError('tisCode', 'CWR.INVALID_FIELD', `TIS territory code ${JSON.stringify(tis)} is not numeric`);
  const seq = f(line, at + 21, 3);
  return {
    line: lineNo,
    tisCode: tis,
    inclusion,
    shares: { pr: share(line, at, `${field}.prCollectionShare`), mr: share(line, at + 5, `${field}.mrCollectionShare`), sr: share(line, at + 10, `${field}.srCollectionShare`) },
    ...(seq && /^\d+$/.test(seq) ? { sequence: Number(seq) } : {}),
  };
}

/** Parses the HDR record. */
function parseHeader(line: string): CwrHeader {
  const senderType = f(line, 4, 2);
  const id = f(line, 6, 9);
  const version = f(line, 102, 3);
  return {
    senderType,
    senderId: /^\d\d$/.test(senderType) ? senderType + id : id,
    senderName: f(line, 15, 45),
    ediVersion: f(line, 60, 5),
    creationDate: f(line, 65, 8),
    creationTime: f(line, 73, 6),
    transmissionDate: f(line, 79, 8),
    ...(opt(f(line, 87, 15)) ? { characterSet: f(line, 87, 15) } : {}),
    cwrVersion: version || '2.1',
    ...(opt(f(line, 108, 30)) ? { softwarePackage: f(line, 108, 30) } : {}),
  };
}

function parseWorkHeader(line: string, lineNo: number, groupId: number, fieldRejected: FieldRejected): CwrWork {
  const title = f(line, 20, 60);
  if (title === '') throw new RecordError('workTitle', 'CWR.MISSING_FIELD', 'work title is blank');
  const submitterWorkId = f(line, 82, 14);
  if (submitterWorkId === '') throw new RecordError('submitterWorkNumber', 'CWR.MISSING_FIELD', 'submitter work number is blank');
  const iswcRaw = f(line, 96, 11);
  let iswc: string | undefined;
  if (iswcRaw !== '') {
    iswc = normaliseIswc(iswcRaw);
    if (!iswc) fieldRejected(lineNo, 'iswc', 'PARSE.INVALID_ISWC', `ISWC ${JSON.stringify(iswcRaw)} is malformed or has a wrong check digit; field dropped`);
  }
  const w: CwrWork = {
    line: lineNo,
    transactionType: line.slice(0, 3),
    transactionSequence: Number(line.slice(3, 11)),
    groupId,
    submitterWorkId,
    title,
    alternateTitles: [],
    publishers: [],
    writers: [],
    performers: [],
    recordings: [],
  };
  if (iswc) w.iswc = iswc;
  const lang = f(line, 80, 2), cat = f(line, 127, 3), dur = f(line, 130, 6), ver = f(line, 143, 3);
  if (lang) w.languageCode = lang;
  if (cat) w.distributionCategory = cat;
  if (dur) w.duration = dur;
  if (ver) w.versionType = ver;
  return w;
}

function parsePublisher(line: string, lineNo: number): CwrPublisher {
  const chain = f(line, 20, 2);
  if (!/^\d{1,2}$/.test(chain)) throw new RecordError('publisherSequenceNumber', 'CWR.INVALID_FIELD', `publisher sequence ${JSON.stringify(chain)} is not numeric`);
  const p: CwrPublisher = {
    line: lineNo,
    controlled: line.startsWith('SPU'),
    chain: Number(chain),
    name: f(line, 31, 45),
    unknown: line[75] === 'Y',
    societies: societies(line, 113, 121, 129),
    ownership: { pr: share(line, 116, 'prOwnershipShare'), mr: share(line, 124, 'mrOwnershipShare'), sr: share(line, 132, 'srOwnershipShare') },
    collection: [],
  };
  const ip = f(line, 22, 9), type = f(line, 77, 2), ag = f(line, 99, 14), base = f(line, 140, 13);
  if (ip) p.ipNumber = ip;
  if (type) p.type = type;
  const ipiN = ipi(line, 88, 'publisherIpiNameNumber');
  if (ipiN) p.ipiNameNumber = ipiN;
  if (base) p.ipiBaseNumber = base;
  if (ag) p.submitterAgreementNumber = ag;
  return p;
}

function parseWriter(line: string, lineNo: number): CwrWriter {
  const w: CwrWriter = {
    line: lineNo,
    controlled: line.startsWith('SWR'),
    lastName: f(line, 29, 45),
    unknown: line[103] === 'Y',
    societies: societies(line, 127, 135, 143),
    ownership: { pr: share(line, 130, 'prOwnershipShare'), mr: share(line, 138, 'mrOwnershipShare'), sr: share(line, 146, 'srOwnershipShare') },
    collection: [],
    publisherIpNumbers: [],
  };
  const ip = f(line, 20, 9), first = f(line, 74, 30), des = f(line, 105, 2), base = f(line, 155, 13);
  if (ip) w.ipNumber = ip;
  if (first) w.firstName = first;
  if (des) w.designation = des;
  const ipiN = ipi(line, 116, 'writerIpiNameNumber');
  if (ipiN) w.ipiNameNumber = ipiN;
  if (base) w.ipiBaseNumber = base;
  if (w.controlled && w.lastName === '') throw new RecordError('writerLastName', 'CWR.MISSING_FIELD', 'controlled writer has no last name');
  return w;
}

function parseRecording(line: string, lineNo: number, v22: boolean, fieldRejected: FieldRejected): CwrRecording {
  const r: CwrRecording = { line: lineNo };
  const isrcRaw = f(line, 250, 12);
  if (isrcRaw !== '') {
    const isrc = normaliseIsrc(isrcRaw);
    if (isrc) r.isrc = isrc;
    else fieldRejected(lineNo, 'isrc', 'PARSE.INVALID_ISRC', `ISRC ${JSON.stringify(isrcRaw)} does not have the CC-XXX-YY-NNNNN shape; field dropped`);
  }
  const date = f(line, 20, 8), album = f(line, 99, 60), label = f(line, 159, 60), cat = f(line, 219, 18), ean = f(line, 237, 13);
  if (date && date !== '00000000') r.firstReleaseDate = date;
  if (album) r.albumTitle = album;
  if (label) r.label = label;
  if (cat) r.catalogNumber = cat;
  if (ean && !/^0+$/.test(ean)) r.ean = ean;
  if (v22) {
    const rt = f(line, 267, 60), da = f(line, 387, 60);
    if (rt) r.recordingTitle = rt;
    if (da) r.displayArtist = da;
  }
  return r;
}

/**
 * CWR's own edit rules reject an identifier field (blank it, keep the transaction) rather than the
 * whole work when only an ISWC or ISRC is malformed: the work's shares are still valid.
 */
type FieldRejected = (line: number, field: string, code: string, message: string) => void;

function isDigits(s: string): boolean {
  return s.length > 0 && /^\d+$/.test(s);
}

/**
 * Parses a CWR 2.1/2.2 file into works, streaming: memory holds one transaction at a time.
 *
 * @example
 * const works = parseCwr('CW1328EMI_059.V21', { onError: 'quarantine', rejects: [] });
 * for await (const w of works) index.add(w);
 * console.log(works.summary.accepted, works.summary.errors);
 */
export function parseCwr(input: ParserInput, options: CwrOptions = {}): ParseStream<CwrWork, CwrSummary> {
  const summary: CwrSummary = {
    ...emptySummary(),
    groups: [],
    transactions: {},
    worksRejected: 0,
    skippedRecords: {},
    fallbackLines: 0,
    unparsedLines: 0,
    linesInRejectedWorks: 0,
  };
  const issues = new IssueCollector(summary, options);
  return makeStream(summary, async function* () {
    let lineNo = 0;
    let records = 0; // non-blank lines, for TRL
    let totalTx = 0;
    let sawHdr = false;
    let sawTrl = false;
    let unsupported = false;
    let v22 = false;
    let group: CwrGroup | undefined;
    let groupOpen = false;
    let work: CwrWork | undefined;
    let txType: string | undefined; // current transaction type (work or other)
    let txRejected = false;
    let lastPublisher: CwrPublisher | undefined;
    let lastWriter: CwrWriter | undefined;

    const structural = (issue: ParseIssue, raw: string) => issues.error(issue, raw, false);
    const fieldRejected: FieldRejected = (line, field, code, message) => issues.warn({ line, field, code, message });

    const finish = (): CwrWork | undefined => {
      const w = work;
      work = undefined;
      txType = undefined;
      lastPublisher = undefined;
      lastWriter = undefined;
      if (!w) return undefined;
      if (txRejected) {
        summary.worksRejected++;
        txRejected = false;
        return undefined;
      }
      // Ownership per right may not exceed 100 % (CWR allows a small rounding tolerance of 0.06).
      for (const right of ['pr', 'mr', 'sr'] as const) {
        let total = 0;
        for (const p of w.publishers) total += hundredths(p.ownership[right]);
        for (const x of w.writers) total += hundredths(x.ownership[right]);
        if (total > 10006) issues.warn({ line: w.line, field: `${right}OwnershipShare`, code: 'CWR.SHARE_TOTAL', message: `work ${w.submitterWorkId}: ${right.toUpperCase()} ownership shares total ${(total / 100).toFixed(2)} %` });
      }
      summary.accepted++;
      return w;
    };

    const rejectTx = (issue: ParseIssue, raw: string) => {
      // Count the work as rejected even in fail mode before the throw, so the summary is honest.
      if (work && !txRejected) txRejected = true;
      issues.error(issue, raw, true);
    };

    for await (const batch of byteLineBatches(input, options.fallbackEncoding ?? 'cp437')) {
      for (const { text: line, fallback } of batch) {
        lineNo++;
        summary.lines = lineNo;
        if (unsupported) {
          summary.unparsedLines++;
          continue;
        }
        if (line.trim() === '') continue;
        records++;
        if (fallback) {
          summary.fallbackLines++;
          issues.warn({ line: lineNo, code: 'CWR.NON_UTF8_LINE', message: `line is not valid UTF-8; decoded as ${options.fallbackEncoding ?? 'cp437'}` });
        }
        const type = line.slice(0, 3);
        if (sawTrl) {
          structural({ line: lineNo, code: 'CWR.AFTER_TRAILER', message: `${type} record after TRL` }, line);
          continue;
        }
        if (type === 'HDR') {
          if (sawHdr || lineNo !== 1 && records !== 1) structural({ line: lineNo, code: 'CWR.UNEXPECTED_HEADER', message: 'HDR is not the first record' }, line);
          sawHdr = true;
          const h = parseHeader(line);
          if (h.cwrVersion.startsWith('3')) {
            unsupported = true;
            structural({ line: lineNo, field: 'version', code: 'CWR.UNSUPPORTED_VERSION', message: `CWR ${h.cwrVersion} is not supported (2.1 and 2.2 are); the rest of the file was not parsed` }, line);
            continue;
          }
          if (line.length < 86 || !/^\d{8}$/.test(h.creationDate)) structural({ line: lineNo, field: 'creationDate', code: 'CWR.INVALID_HEADER', message: 'HDR is truncated or its creation date is not YYYYMMDD' }, line);
          v22 = h.cwrVersion === '2.2';
          summary.header = h;
          continue;
        }
        if (!sawHdr) {
          sawHdr = true; // report once
          structural({ line: lineNo, code: 'CWR.MISSING_HEADER', message: 'file does not start with HDR' }, line);
        }
        if (type === 'GRH') {
          const done = finish();
          if (done) yield done;
          if (groupOpen && group) structural({ line: lineNo, code: 'CWR.MISSING_GROUP_TRAILER', message: `group ${group.groupId} has no GRT` }, line);
          const gid = f(line, 7, 5);
          group = { line: lineNo, groupId: Number(gid), transactionType: f(line, 4, 3), transactions: 0, records: 1 };
          if (!isDigits(gid)) structural({ line: lineNo, field: 'groupId', code: 'CWR.INVALID_FIELD', message: `group id ${JSON.stringify(gid)} is not numeric` }, line);
          summary.groups.push(group);
          groupOpen = true;
          continue;
        }
        if (type === 'GRT') {
          const done = finish();
          if (done) yield done;
          if (!group || !groupOpen) {
            structural({ line: lineNo, code: 'CWR.ORPHAN_RECORD', message: 'GRT without GRH' }, line);
            continue;
          }
          group.records++;
          groupOpen = false;
          const gid = f(line, 4, 5), tx = f(line, 9, 8), rc = f(line, 17, 8);
          if (!isDigits(gid) || !isDigits(tx) || !isDigits(rc)) {
            structural({ line: lineNo, code: 'CWR.INVALID_TRAILER', message: 'GRT group id, transaction count or record count is not numeric' }, line);
            continue;
          }
          group.declaredTransactions = Number(tx);
          group.declaredRecords = Number(rc);
          if (Number(gid) !== group.groupId) structural({ line: lineNo, field: 'groupId', code: 'CWR.TRAILER_MISMATCH', message: `GRT group id ${Number(gid)} but GRH said ${group.groupId}` }, line);
          if (group.declaredTransactions !== group.transactions) structural({ line: lineNo, field: 'transactionCount', code: 'CWR.TRAILER_MISMATCH', message: `GRT declares ${group.declaredTransactions} transactions, group has ${group.transactions}` }, line);
          if (group.declaredRecords !== group.records) structural({ line: lineNo, field: 'recordCount', code: 'CWR.TRAILER_MISMATCH', message: `GRT declares ${group.declaredRecords} records, group has ${group.records}` }, line);
          continue;
        }
        if (type === 'TRL') {
          const done = finish();
          if (done) yield done;
          sawTrl = true;
          if (groupOpen && group) structural({ line: lineNo, code: 'CWR.MISSING_GROUP_TRAILER', message: `group ${group.groupId} has no GRT` }, line);
          const g = f(line, 4, 5), tx = f(line, 9, 8), rc = f(line, 17, 8);
          if (!isDigits(g) || !isDigits(tx) || !isDigits(rc)) {
            structural({ line: lineNo, code: 'CWR.INVALID_TRAILER', message: 'TRL counts are not numeric' }, line);
            continue;
          }
          summary.trailer = { groups: Number(g), transactions: Number(tx), records: Number(rc) };
          if (summary.trailer.groups !== summary.groups.length) structural({ line: lineNo, field: 'groupCount', code: 'CWR.TRAILER_MISMATCH', message: `TRL declares ${summary.trailer.groups} groups, file has ${summary.groups.length}` }, line);
          if (summary.trailer.transactions !== totalTx) structural({ line: lineNo, field: 'transactionCount', code: 'CWR.TRAILER_MISMATCH', message: `TRL declares ${summary.trailer.transactions} transactions, file has ${totalTx}` }, line);
          if (summary.trailer.records !== records) structural({ line: lineNo, field: 'recordCount', code: 'CWR.TRAILER_MISMATCH', message: `TRL declares ${summary.trailer.records} records, file has ${records}` }, line);
          continue;
        }

        // Transaction and detail records.
        if (group) group.records++;
        if (!group || !groupOpen) {
          rejectTx({ line: lineNo, code: 'CWR.ORPHAN_RECORD', message: `${type} record outside a group` }, line);
          continue;
        }
        const txSeq = line.slice(3, 11), recSeq = line.slice(11, 19);
        const isTxHeader = type === group.transactionType || (WORK_TYPES.has(type) && WORK_TYPES.has(group.transactionType)) || (OTHER_TX_TYPES.has(type) && type === group.transactionType);
        if (isTxHeader) {
          const done = finish();
          if (done) yield done;
          group.transactions++;
          totalTx++;
          summary.transactions[type] = (summary.transactions[type] ?? 0) + 1;
          txType = type;
          txRejected = false;
        }
        if (!isTxHeader && txRejected && work) {
          // The work is already rejected (its first bad line is in the rejects sink); its remaining
          // lines go with it rather than cascading into follow-on errors.
          summary.linesInRejectedWorks++;
          continue;
        }
        try {
          if (!/^\d{8}$/.test(txSeq)) throw new RecordError('transactionSequence', 'CWR.INVALID_SEQUENCE', `transaction sequence ${JSON.stringify(txSeq)} is not 8 digits`);
          if (!/^\d{8}$/.test(recSeq)) throw new RecordError('recordSequence', 'CWR.INVALID_SEQUENCE', `record sequence ${JSON.stringify(recSeq)} is not 8 digits`);
          if (isTxHeader) {
            if (WORK_TYPES.has(type)) {
              work = parseWorkHeader(line, lineNo, group.groupId, fieldRejected);
            }
            continue;
          }
          if (txType === undefined) throw new RecordError('recordType', 'CWR.ORPHAN_RECORD', `${type} record before any transaction header in the group`);
          if (!work) {
            // Detail of a transaction we do not model (AGR, ACK): count it, check it is a known type.
            if (!OTHER_DETAIL.has(type)) throw new RecordError('recordType', 'CWR.UNKNOWN_RECORD', `unknown or misplaced record type ${JSON.stringify(type)} in a ${txType} transaction`);
            summary.skippedRecords[type] = (summary.skippedRecords[type] ?? 0) + 1;
            continue;
          }
          switch (type) {
            case 'SPU':
            case 'OPU':
              lastPublisher = parsePublisher(line, lineNo);
              work.publishers.push(lastPublisher);
              break;
            case 'SPT': {
              if (!lastPublisher) throw new RecordError('recordType', 'CWR.ORPHAN_RECORD', 'SPT without a preceding SPU');
              const ip = f(line, 20, 9);
              if (lastPublisher.ipNumber !== undefined && ip !== lastPublisher.ipNumber) issues.warn({ line: lineNo, field: 'interestedPartyNumber', code: 'CWR.PARTY_MISMATCH', message: `SPT party ${ip} differs from the preceding SPU party ${lastPublisher.ipNumber}` });
              lastPublisher.collection.push(territory(line, lineNo, 35, 'SPT'));
              break;
            }
            case 'SWR':
            case 'OWR':
              lastWriter = parseWriter(line, lineNo);
              work.writers.push(lastWriter);
              break;
            case 'SWT':
            case 'OWT': {
              if (!lastWriter) throw new RecordError('recordType', 'CWR.ORPHAN_RECORD', `${type} without a preceding writer record`);
              const ip = f(line, 20, 9);
              if (lastWriter.ipNumber !== undefined && ip !== lastWriter.ipNumber) issues.warn({ line: lineNo, field: 'interestedPartyNumber', code: 'CWR.PARTY_MISMATCH', message: `${type} party ${ip} differs from the preceding writer ${lastWriter.ipNumber}` });
              lastWriter.collection.push(territory(line, lineNo, 29, type));
              break;
            }
            case 'PWR': {
              const pub = f(line, 20, 9);
              const wIp = f(line, 102, 9);
              const target = (wIp && work.writers.find((x) => x.ipNumber === wIp)) || lastWriter;
              if (!target) throw new RecordError('writerIpNumber', 'CWR.ORPHAN_RECORD', 'PWR without a writer to attach to');
              if (pub) target.publisherIpNumbers.push(pub);
              break;
            }
            case 'ALT': {
              const title = f(line, 20, 60);
              if (title === '') throw new RecordError('alternateTitle', 'CWR.MISSING_FIELD', 'alternate title is blank');
              const a: CwrAlternateTitle = { title };
              const tt = f(line, 80, 2), lang = f(line, 82, 2);
              if (tt) a.titleType = tt;
              if (lang) a.language = lang;
              work.alternateTitles.push(a);
              break;
            }
            case 'PER': {
              const p: CwrPerformer = { lastName: f(line, 20, 45) };
              if (p.lastName === '') throw new RecordError('performingArtistLastName', 'CWR.MISSING_FIELD', 'performing artist name is blank');
              const first = f(line, 65, 30), base = f(line, 106, 13);
              if (first) p.firstName = first;
              const ipiN = ipi(line, 95, 'performingArtistIpiNameNumber');
              if (ipiN) p.ipiNameNumber = ipiN;
              if (base) p.ipiBaseNumber = base;
              work.performers.push(p);
              break;
            }
            case 'REC':
              work.recordings.push(parseRecording(line, lineNo, v22, fieldRejected));
              break;
            default:
              if (!WORK_DETAIL_SKIPPED.has(type)) throw new RecordError('recordType', 'CWR.UNKNOWN_RECORD', `unknown or misplaced record type ${JSON.stringify(type)} in a ${work.transactionType} transaction`);
              summary.skippedRecords[type] = (summary.skippedRecords[type] ?? 0) + 1;
          }
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          const where = work ? ` (work ${work.submitterWorkId || '?'} rejected)` : '';
          if (isTxHeader && WORK_TYPES.has(type)) {
            // The header itself is bad: keep a placeholder so the detail records are skipped with it.
            work = { line: lineNo, transactionType: type, transactionSequence: 0, groupId: group.groupId, submitterWorkId: '', title: '', alternateTitles: [], publishers: [], writers: [], performers: [], recordings: [] };
          }
          rejectTx({ line: lineNo, field: e.field, code: e.code, message: e.message + where }, line);
        }
      }
    }
    const done = finish();
    if (done) yield done;
    if (unsupported) return;
    if (!sawHdr) structural({ line: 0, code: 'CWR.MISSING_HEADER', message: 'file is empty' }, '');
    else if (!sawTrl) {
      if (groupOpen && group) structural({ line: lineNo, code: 'CWR.MISSING_GROUP_TRAILER', message: `group ${group.groupId} has no GRT` }, '');
      structural({ line: lineNo, code: 'CWR.MISSING_TRAILER', message: 'file has no TRL record (truncated?)' }, '');
    }
  });
}
