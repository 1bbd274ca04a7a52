/**
 * LF105 across modules: a sending handler on a logger in one module, and one with the same
 * destination on an ancestor logger (the root, say) in another, both attached by one program:
 *
 *     # app/__main__.py                      # app/db.py
 *     root.addHandler(SocketHandler(H, P))   log = logging.getLogger("app.db")
 *                                            log.addHandler(SocketHandler(H, P))
 *
 * The extractor finds the case inside one file (a hazard fact); this one needs the program: the
 * destinations compared as values (`LoggerSinkFact.address`), `propagate = False` from any
 * module, and a process that runs both attachments (`ProcessModel.runnerOf`).
 */
import type { LoggerSinkFact } from '../model/facts';
import type { Finding } from '../model/findings';
import { ancestorChainBlocked, isAncestorLogger } from '../model/loggerNames';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding } from './hazards';

export function crossModulePropagation(ctx: AnalysisContext): Finding[] {
  const sinks: (LoggerSinkFact & { module: string })[] = [];
  const nonPropagating = new Set<string>();
  for (const m of ctx.program.modules) {
    for (const s of m.facts.sinks ?? []) sinks.push({ ...s, module: m.key });
    for (const logger of m.facts.nonPropagating ?? []) nonPropagating.add(logger);
  }
  if (sinks.length < 2) return [];
  const findings: Finding[] = [];
  for (const sink of sinks) {
    if (sink.logger === '' || nonPropagating.has(sink.logger)) continue;
    for (const ancestor of sinks) {
      if (ancestor.module === sink.module || ancestor.address !== sink.address || !isAncestorLogger(ancestor.logger, sink.logger)) continue;
      if (ancestorChainBlocked(sink.logger, ancestor.logger, nonPropagating)) continue;
      const runner = ctx.models.fork.runnerOf([sink.scope, ancestor.scope]);
      if (!runner) continue;
      const where = ancestor.logger === '' ? 'the root logger' : `'${ancestor.logger}'`;
      // As a hazard, as the one-file case is: the same fix (`propagate = False` on the sending logger).
      findings.push(hazardFinding({
        rule: 'LF105',
        span: sink.span,
        scope: sink.scope,
        message: `Records of logger '${sink.logger}' go to this handler and also propagate to ${where}, which another module gives a handler sending to the same destination: every record is sent twice (both are attached in ${runner}).`,
        related: [{ span: ancestor.span, message: `the same destination is attached to ${where} here` }],
      }, 'warning'));
      break;
    }
  }
  return findings;
}
