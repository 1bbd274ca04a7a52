/**
 * LF103: a QueueHandler in child code uses a module-global queue the child only has through
 * fork inheritance. Confirmed when that code runs in a child started without fork.
 *
 * The global is this module's (`QueueHandler(log_queue)`), or another workspace module's
 * (`QueueHandler(logqueue.log_queue)`, `from logqueue import log_queue`). A child that also runs
 * a code unit assigning it (an initializer taking the queue, as the multiprocessing docs do
 * it) had it handed over.
 */
import type { HazardFact, ScopeId } from '../model/facts';
import type { Finding } from '../model/findings';
import type { ModuleRecord, Program } from '../model/program';
import type { AnalysisContext } from './analysisContext';
import { hazardFinding, hazards } from './hazards';

export function lf103(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  const setters = new GlobalSetters(ctx.program);
  for (const h of hazards(ctx, 'LF103')) {
    const setBy = setters.of(h);
    if (!setBy) continue;
    const handedOver = (reach: Map<string, unknown>) => setBy.some((setter) => reach.has(setter));
    // Every start whose children lose the queue, once each (a start can head several groups).
    const related = new Map<string, Finding['related'][number]>();
    for (const g of ctx.models.spawn.groups) {
      if (!g.start || g.startMethod === 'fork' || !g.reach.has(h.scope) || handedOver(g.reach)) continue;
      const where = `${g.start.span.file}:${g.start.span.start.line}:${g.start.span.start.character}`;
      if (!related.has(where)) related.set(where, { span: g.start.span, message: `${g.start.description} (start method: ${g.startMethod})` });
    }
    if (related.size) out.push(hazardFinding(h, 'warning', [...related.values()]));
  }
  return out;
}

/** The code units that may assign a module's global, found once per global. */
class GlobalSetters {
  private readonly known = new Map<string, ScopeId[]>();

  constructor(private readonly program: Program) {}

  /**
   * What may assign the global `h` reads; undefined when it is not a workspace module's global
   * (an attribute of a module outside the workspace, a submodule, a function or class).
   */
  of(h: HazardFact): ScopeId[] | undefined {
    const read = h.queueGlobal;
    if (!read) return [];
    if (read.module === undefined) return read.setBy;
    const home = this.program.resolveModule(read.module, h.span.file);
    if (!home || home.functions.has(read.name) || home.classes.has(read.name)) return undefined;
    if (this.program.resolveModule(`${home.name}.${read.name}`, home.file)) return undefined;
    const id = `${home.key}:${read.name}`;
    let setBy = this.known.get(id);
    if (!setBy) this.known.set(id, (setBy = this.find(home, read.name)));
    return setBy;
  }

  /**
   * Units writing `<home>.<name>` (`globalWrites`, from every module); and, since the line scan
   * records no writes, the shared body of a line-scanned module that is `home` or imports it:
   * a child running it may have been handed the queue there (no finding rather than a false one).
   */
  private find(home: ModuleRecord, name: string): ScopeId[] {
    const out: ScopeId[] = [];
    for (const m of this.program.modules) {
      for (const w of m.facts.globalWrites ?? []) {
        const dot = w.target.lastIndexOf('.');
        if (w.target.slice(dot + 1) === name && this.program.resolveModule(w.target.slice(0, dot), m.file) === home) out.push(w.scope);
      }
      if (m.sharedBody && (m === home || this.imports(m, home))) out.push(m.sharedBody);
    }
    return out;
  }

  private imports(m: ModuleRecord, home: ModuleRecord): boolean {
    return m.facts.imports.some((i) => this.program.resolveModule(i.module, m.file) === home ||
      (i.name !== undefined && i.name !== '*' && this.program.resolveModule(`${i.module}.${i.name}`, m.file) === home));
  }
}
