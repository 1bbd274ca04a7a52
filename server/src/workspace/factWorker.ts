/**
 * Worker thread for the first scan: reads, parses and extracts the chunks of files the engine
 * hands it, one message per chunk, so that every core works. Facts are plain data and cross
 * the thread boundary as is; syntax trees stay here and are dropped.
 */
import { parentPort } from 'worker_threads';
import { pythonParser } from '../python/parser';
import { readFileEntry } from './fileReader';

export interface FactJob {
  files: string[];
  rootOf: Record<string, string>;
  fullParse?: boolean;
}

// Loading the grammar starts with the thread, not with the first job: the engine starts its
// workers while it is still discovering files, so this overlaps with the walk.
const parserReady = pythonParser();

parentPort?.on('message', async (job: FactJob) => {
  const parser = await parserReady;
  parentPort!.postMessage(job.files.map((file) => readFileEntry(file, parser, { workspaceRoot: job.rootOf[file], fullParse: job.fullParse })));
});
