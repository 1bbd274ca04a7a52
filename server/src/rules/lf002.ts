/** LF002: a plain file handler (FileHandler, WatchedFileHandler, basicConfig(filename=)) appended to by two or more processes. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { multiWriterFindings } from './multiWriter';

export function lf002(ctx: AnalysisContext): Finding[] {
  return multiWriterFindings(ctx, 'LF002', ['plain-file', 'watched-file'],
    'each process keeps its own file position and buffer: with mode "w" each start truncates what the others wrote, appends over NFS overwrite each other, and any rotation (logrotate, a rotating handler) leaves the other processes writing into the renamed file');
}
