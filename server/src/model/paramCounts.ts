/**
 * Process counts taken from a parameter of the function that makes the start:
 *
 *     def run_parallel(func, items, initializer=None, workers=4):
 *         with ProcessPoolExecutor(max_workers=workers, initializer=initializer) as ex: ...
 *     run_parallel(make_thumbnail, paths, initializer=setup_logging)
 *
 * The extractor sees only `workers` (ProcessCount `param`); the callers decide. When every call
 * in the workspace gives it the same integer, directly or by leaving an integer default, the
 * count is that number. When they give different integers, or some give something else (a
 * variable), the smallest integer given is a lower bound: those calls do start that many. With
 * no integer given (or no caller at all) the count stays unknown.
 */
import type { ProcessCount, ProcessStart, Span } from './facts';
import type { Program } from './program';

const INTEGER = /^\d[\d_]*$/;

export function countFromCallers(program: Program, start: ProcessStart): ProcessCount {
  const count = start.count;
  if (count.kind !== 'unknown' || !count.param) return count;
  const fn = program.functionAt(start.scope);
  const index = fn?.params?.indexOf(count.param) ?? -1;
  if (!fn || index < 0) return count;
  const fallback = fn.defaults?.[count.param];
  const shortName = fn.qualname.slice(fn.qualname.lastIndexOf('.') + 1);
  const values: { n: number; span: Span }[] = [];
  let other = false;
  for (const m of program.modules) {
    for (const call of m.facts.calls) {
      // A cheap text test first, as in callbacks.ts: resolving every call is the linker's job.
      if (call.passedTo || (call.callee.name !== shortName && !call.callee.name.endsWith(`.${shortName}`))) continue;
      const callee = program.resolveSymbol(call.callee.name, m.file);
      if (callee.kind !== 'function' || callee.scope !== start.scope) continue;
      const given = call.args?.[index] ?? call.kwargs?.[count.param];
      const text = given ?? fallback;
      if (text === undefined || !INTEGER.test(text)) other = true;
      else values.push({ n: Number(text.replace(/_/g, '')), span: given === undefined ? count.source ?? call.callee.span : call.callee.span });
    }
  }
  if (values.length === 0) return count;
  const least = values.reduce((a, b) => (b.n < a.n ? b : a));
  if (!other && values.every((v) => v.n === least.n)) return { kind: 'known', n: least.n, source: least.span };
  return { ...count, atLeast: Math.max(count.atLeast ?? 1, least.n) };
}
