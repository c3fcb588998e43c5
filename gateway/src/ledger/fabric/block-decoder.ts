/**
 * Decodes a Fabric block into what the ledger port needs: its number and hash, and per transaction
 * its id, position, validation code (block metadata TRANSACTIONS_FILTER), proposal timestamp and the
 * chaincode event it emitted. Only our own chaincode's events are kept.
 */
import { blockHeaderHash } from './block-hash';
import { common, peer, type Block } from './protos';

const validationCodeNames: ReadonlyMap<number, string> = new Map(Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]));

/** The name of a Fabric transaction validation code, e.g. 11 → `MVCC_READ_CONFLICT`. */
export function validationCodeName(code: number): string {
  return validationCodeNames.get(code) ?? `UNKNOWN_${code}`;
}

/** A chaincode event as recorded in a transaction. */
export interface DecodedChaincodeEvent {
  chaincodeId: string;
  name: string;
  payload: Uint8Array;
}

/** One transaction (envelope) of a block. */
export interface DecodedTransaction {
  txId: string;
  txIndex: number;
  /** Fabric header type; 3 is an endorser (chaincode) transaction, 1 a configuration block. */
  headerType: number;
  validationCode: string;
  /** ISO-8601 timestamp the client put in the proposal's channel header. */
  timestamp: string;
  event?: DecodedChaincodeEvent;
}

/** A block, decoded. */
export interface DecodedBlock {
  number: bigint;
  /** Hex hash of this block's header (what the next block's `previous_hash` holds). */
  hash: string;
  previousHash: string;
  transactions: DecodedTransaction[];
}

function timestampIso(ts: { getSeconds(): number; getNanos(): number } | undefined): string {
  if (!ts) return new Date(0).toISOString();
  return new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000)).toISOString();
}

/** The chaincode event of an endorser transaction (the first action carrying one), if any. */
function chaincodeEventOf(payloadData: Uint8Array): DecodedChaincodeEvent | undefined {
  const tx = peer.Transaction.deserializeBinary(payloadData);
  for (const action of tx.getActionsList()) {
    const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const endorsed = actionPayload.getAction();
    if (!endorsed) continue;
    const responsePayload = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
    const ccAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
    const eventBytes = ccAction.getEvents_asU8();
    if (eventBytes.length === 0) continue;
    const ev = peer.ChaincodeEvent.deserializeBinary(eventBytes);
    if (ev.getEventName() === '') continue;
    return { chaincodeId: ev.getChaincodeId(), name: ev.getEventName(), payload: ev.getPayload_asU8() };
  }
  return undefined;
}

/** Decodes a block from its protobuf bytes. */
export function decodeBlockBytes(bytes: Uint8Array): DecodedBlock {
  return decodeBlock(common.Block.deserializeBinary(bytes));
}

/** Decodes a block message. */
export function decodeBlock(block: Block): DecodedBlock {
  const header = block.getHeader();
  if (!header) throw new Error('block without a header');
  const number = BigInt(header.getNumber());
  const previousHash = header.getPreviousHash_asU8();
  const hash = blockHeaderHash(number, previousHash, header.getDataHash_asU8());
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const transactions = (block.getData()?.getDataList_asU8() ?? []).map((envelopeBytes, txIndex): DecodedTransaction => {
    const envelope = common.Envelope.deserializeBinary(envelopeBytes);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    const headerType = channelHeader.getType();
    // Configuration transactions carry no validation flag of interest; peers mark them VALID.
    const code = filter[txIndex] ?? peer.TxValidationCode.NOT_VALIDATED;
    const tx: DecodedTransaction = {
      txId: channelHeader.getTxId(),
      txIndex,
      headerType,
      validationCode: validationCodeName(code),
      timestamp: timestampIso(channelHeader.getTimestamp()),
    };
    if (headerType === common.HeaderType.ENDORSER_TRANSACTION) {
      const event = chaincodeEventOf(payload.getData_asU8());
      if (event) tx.event = event;
    }
    return tx;
  });
  return { number, hash, previousHash: Buffer.from(previousHash).toString('hex'), transactions };
}
