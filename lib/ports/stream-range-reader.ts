/** A run of one shard's records, as a stream mapping's failure names it (DDBStreamBatchInfo). */
export interface StreamRange {
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

export interface StreamRangeRead {
  /** Every record of the range still in the stream, in order, in the shape Lambda hands a function. */
  records: unknown[];
  /** False when the stream no longer holds the range (it keeps records 24 hours). */
  complete: boolean;
}

/** Reads records back from the table's stream by sequence number. */
export interface StreamRangeReader {
  read(range: StreamRange): Promise<StreamRangeRead>;
}
