/** Every rule, in id order. A rule is a function from the analysis context to findings. */
import type { Finding, RuleId } from '../model/findings';
import type { AnalysisContext } from './analysisContext';
import { lf001 } from './lf001';
import { lf002 } from './lf002';
import { lf101 } from './lf101';
import { lf102 } from './lf102';
import { lf103 } from './lf103';
import { lf104 } from './lf104';
import { lf105 } from './lf105';
import { lf106 } from './lf106';

export const RULES: Record<RuleId, (ctx: AnalysisContext) => Finding[]> = {
  LF001: lf001,
  LF002: lf002,
  LF101: lf101,
  LF102: lf102,
  LF103: lf103,
  LF104: lf104,
  LF105: lf105,
  LF106: lf106,
};

export function runRules(ctx: AnalysisContext): Finding[] {
  return Object.values(RULES).flatMap((rule) => rule(ctx));
}
