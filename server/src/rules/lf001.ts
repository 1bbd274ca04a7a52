/** LF001: a rotating file handler (size or time) can be active in two or more processes on one path. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { multiWriterFindings } from './multiWriter';

export function lf001(ctx: AnalysisContext): Finding[] {
  return multiWriterFindings(ctx, 'LF001', ['rotating-size', 'rotating-time'],
    'at rollover each process renames the file under the others, so records are lost or land in the wrong file');
}
