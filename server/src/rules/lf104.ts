/** LF104: a process re-execs itself while the children it started keep running. */
import type { Finding } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf104(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  for (const h of hazards(ctx, 'LF104')) {
    const model = ctx.models.fork;
    const group = model.groups.find((g) => g.reach.has(h.scope));
    if (!group) continue;
    const children = model.groups.filter((g) => g.parent === group && g.start);
    if (children.length === 0) continue;
    out.push(hazardFinding(h, 'warning', children.map((c) => ({ span: c.start!.span, message: `${c.start!.description}: still running when the process re-executes` }))));
  }
  return out;
}
