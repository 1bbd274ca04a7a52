/** LF105: a SocketHandler/QueueHandler whose records also propagate to an ancestor with the same sink. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf105(ctx: AnalysisContext): Finding[] {
  return hazards(ctx, 'LF105').map((h) => hazardFinding(h, 'warning'));
}
