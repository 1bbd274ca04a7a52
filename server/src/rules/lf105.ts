/** LF105: a SocketHandler/QueueHandler whose records also propagate to an ancestor with the same sink. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { crossModulePropagation } from './crossModulePropagation';
import { hazardFinding, hazards } from './hazards';

export function lf105(ctx: AnalysisContext): Finding[] {
  // Within one file (the extractor's hazard facts), then across the modules of one program.
  return [...hazards(ctx, 'LF105').map((h) => hazardFinding(h, 'warning')), ...crossModulePropagation(ctx)];
}
