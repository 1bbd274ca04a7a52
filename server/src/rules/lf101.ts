/** LF101: a log receiver unpickles bytes from a socket (remote code execution). */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf101(ctx: AnalysisContext): Finding[] {
  return hazards(ctx, 'LF101').map((h) => hazardFinding(h, 'error'));
}
