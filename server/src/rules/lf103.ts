/**
 * LF103: a QueueHandler in child code uses a module-global queue the child only has through
 * fork inheritance. Confirmed when that code runs in a child started without fork.
 */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf103(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const h of hazards(ctx, 'LF103')) {
    // A child that also runs a function assigning the global (an initializer taking the queue,
    // `global q; q = queue`) had it handed over, as the multiprocessing docs do it.
    const handedOver = (reach: Map<string, unknown>) => h.queueGlobal?.setBy.some((setter) => reach.has(setter)) ?? false;
    const child = ctx.models.spawn.groups.find((g) => g.start && g.startMethod !== 'fork' && g.reach.has(h.scope) && !handedOver(g.reach));
    if (!child?.start) continue;
    out.push(hazardFinding(h, 'warning', [{ span: child.start.span, message: `${child.start.description} (start method: ${child.startMethod})` }]));
  }
  return out;
}
