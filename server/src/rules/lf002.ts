/** LF002: a plain file handler (FileHandler, WatchedFileHandler, basicConfig(filename=)) appended to by two or more processes. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { multiWriterFindings } from './multiWriter';

export function lf002(ctx: AnalysisContext): Finding[] {
  return multiWriterFindings(ctx, 'LF002', ['plain-file', 'watched-file'],
    'their buffered writes interleave and tear lines, and any rotation of the file loses what the other processes still write');
}
