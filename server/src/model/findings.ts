/** What rules produce: language- and protocol-neutral findings. */
import type { HandlerSite, HazardFact, ProcessStart, Span } from './facts';

export type RuleId = 'LF001' | 'LF002' | 'LF101' | 'LF102' | 'LF103' | 'LF104' | 'LF105' | 'LF106';
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedEvidence {
  span: Span;
  message: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  span: Span;
  message: string;
  related: RelatedEvidence[];
  /** What the finding is about, for fixes: the handler site, or the hazard fact. */
  handler?: HandlerSite;
  hazard?: HazardFact;
  /** The starts that make the handler multi-process (spawn sites), innermost first. */
  starts?: ProcessStart[];
  /** Other handler sites opening the same file in the same program (a fix must cover them). */
  peers?: HandlerSite[];
}

export const RULE_TITLES: Record<RuleId, string> = {
  LF001: 'rotating-file-handler-in-several-processes',
  LF002: 'file-handler-in-several-processes',
  LF101: 'log-receiver-unpickles-network-data',
  LF102: 'multiprocessing-queue-passed-to-pool',
  LF103: 'queue-reaches-children-only-by-inheritance',
  LF104: 'process-re-execs-itself-with-live-children',
  LF105: 'record-sent-twice-through-propagation',
  LF106: 'pool-terminated-while-workers-log-to-queue',
};

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.span.file.localeCompare(b.span.file) ||
    a.span.start.line - b.span.start.line ||
    a.span.start.character - b.span.start.character ||
    a.rule.localeCompare(b.rule)
  );
}
