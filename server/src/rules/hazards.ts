/** Hazard facts found in one place become findings as they are, or once the model confirms them. */
import type { HazardFact } from '../model/facts';
import type { Finding, Severity } from '../model/findings';
import type { AnalysisContext } from './analysisContext';

export function hazards(ctx: AnalysisContext, rule: HazardFact['rule']): HazardFact[] {
  const out: HazardFact[] = [];
  for (const m of ctx.program.modules) for (const h of m.facts.hazards) if (h.rule === rule) out.push(h);
  for (const f of ctx.program.configFiles.values()) for (const h of f.hazards) if (h.rule === rule) out.push(h);
  return out;
}

export function hazardFinding(h: HazardFact, severity: Severity, extra: Finding['related'] = []): Finding {
  return { rule: h.rule, severity, span: h.span, message: h.message, related: [...(h.related ?? []), ...extra], hazard: h };
}
