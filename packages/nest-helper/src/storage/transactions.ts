/**
 * Runs writes that span features in one transaction. The default is the SQL database under every
 * store; a store the host replaces joins the transaction when it writes through the same
 * database, and otherwise writes on its own (docs/architecture.md, "Storage").
 */
export interface HelperTransactions {
  /** Runs `work` in a transaction: the one already open, or a new one committed after it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `callback` once the current transaction has committed (at once outside one). */
  afterCommit(callback: () => void): void;
  /**
   * Serialises, across application instances, the transactions about one key until they commit
   * (the same email delivered to two instances at once is stored once).
   */
  lock(key: string): Promise<void>;
}
