/**
 * What the engine and its worker threads (factWorker.ts) say to each other. A module of its
 * own: importing the worker's module would run its top level (it loads the grammar at once) in
 * the engine's thread, in every process, whether it parses anything or not.
 */

/**
 * One file's FileEntry as JSON, with `textHash` of the text it came from when the job asked for
 * hashes (the engine keeps a facts cache); null when the file could not be read; 'taken' when
 * the engine's thread read it instead (see `claims`).
 */
export type FactResult = { json: string; hash?: string } | null | 'taken';

export interface FactJob {
  files: string[];
  rootOf: Record<string, string>;
  fullParse?: boolean;
  hashes?: boolean;
  /**
   * Who reads each file: `claims[slots[i]]` is 0 while nobody has started it, and whoever
   * changes it first (CLAIMED_BY_WORKER here, CLAIMED_HERE by the engine's thread, which takes
   * the files a busy worker has not reached when it has nothing else to do) reads it.
   */
  claims: SharedArrayBuffer;
  slots: number[];
}

/** What a worker is started with (its `workerData`). */
export interface FactWorkerData {
  /**
   * Load the grammar when the first job comes, not at start: the worker was started before the
   * engine knew it would parse (AnalysisEngine.preStartWorkers), when the V8 flags of a check
   * may still be those of one thread (checkV8Flags.ts), under which the grammar would never be
   * compiled tiered. The first job comes after scanWithWorkers set them for workers.
   */
  grammarOnFirstJob?: boolean;
}

export const UNCLAIMED = 0;
export const CLAIMED_BY_WORKER = 1;
export const CLAIMED_HERE = 2;
