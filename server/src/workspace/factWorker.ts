/**
 * Worker thread for the first scan: reads, parses and extracts a share of the workspace's
 * files so that both cores work. Facts are plain data and cross the thread boundary as is;
 * syntax trees stay here and are dropped.
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
  const entries = job.files.map((file) => [file, readFileEntry(file, parser, { workspaceRoot: job.rootOf[file], fullParse: job.fullParse })] as const);
  parentPort!.postMessage(entries);
});
