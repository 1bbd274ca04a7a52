/** LF106: a Pool left by its with block (terminate()) while its workers log through a multiprocessing.Queue. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf106(ctx: AnalysisContext): Finding[] {
  return hazards(ctx, 'LF106').map((h) => hazardFinding(h, 'warning'));
}
