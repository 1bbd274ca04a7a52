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

parentPort?.on('message', async (job: FactJob) => {
  const parser = await pythonParser();
  parentPort!.postMessage(job.files.map((file) => readFileEntry(file, parser, { workspaceRoot: job.rootOf[file], fullParse: job.fullParse })));
});
