/** LF102: a multiprocessing.Queue passed into Pool/ProcessPoolExecutor tasks (RuntimeError at run time). */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf102(ctx: AnalysisContext): Finding[] {
  return hazards(ctx, 'LF102').map((h) => hazardFinding(h, 'error'));
}
