/**
 * Worker thread for the first scan: reads, parses and extracts the chunks of files the engine
 * hands it, one message per chunk, so that every core works. Syntax trees stay here and are
 * dropped. Facts are plain data and cross the thread boundary as JSON text: the engine's thread
 * turns that into objects about twice as fast as it would undo a structured clone, and the
 * facts cache stores the same text as it is (factCache.ts).
 */
import { parentPort, workerData } from 'worker_threads';
import { pythonParser } from '../python/parser';
import { readFileEntry } from './fileReader';
import { textHash } from './factCache';
import { CLAIMED_BY_WORKER, UNCLAIMED, type FactJob, type FactResult, type FactWorkerData } from './factJobs';

// Loading the grammar starts with the thread, not with the first job: the engine sends the
// first chunk as it starts the worker, and the load overlaps with the thread's own start-up.
// Unless the worker was started ahead of any work (FactWorkerData).
let parserReady = (workerData as FactWorkerData | undefined)?.grammarOnFirstJob ? undefined : pythonParser();

parentPort?.on('message', async (job: FactJob) => {
  const parser = await (parserReady ??= pythonParser());
  const claims = new Int32Array(job.claims);
  const results: FactResult[] = job.files.map((file, i) => {
    if (Atomics.compareExchange(claims, job.slots[i], UNCLAIMED, CLAIMED_BY_WORKER) !== UNCLAIMED) return 'taken';
    const { entry, text } = readFileEntry(file, parser, { workspaceRoot: job.rootOf[file], fullParse: job.fullParse });
    if (entry === undefined) return null;
    return { json: JSON.stringify(entry), hash: job.hashes && text !== undefined ? textHash(text) : undefined };
  });
  parentPort!.postMessage(results);
});
