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
import { callersGiving } from './callbacks';

const INTEGER = /^\d[\d_]*$/;

export function countFromCallers(program: Program, start: ProcessStart): ProcessCount {
  const count = start.count;
  if (count.kind !== 'unknown' || !count.param) return count;
  const fn = program.functionAt(start.scope);
  if (!fn?.params?.includes(count.param)) return count;
  const fallback = fn.defaults?.[count.param];
  const values: { n: number; span: Span }[] = [];
  let other = false;
  for (const { call, given } of callersGiving(program, start.scope, fn, count.param)) {
    const text = given ?? fallback;
    if (text === undefined || !INTEGER.test(text)) other = true;
    else values.push({ n: Number(text.replace(/_/g, '')), span: given === undefined ? count.source ?? call.callee.span : call.callee.span });
  }
  if (values.length === 0) return count;
  const least = values.reduce((a, b) => (b.n < a.n ? b : a));
  if (!other && values.every((v) => v.n === least.n)) return { kind: 'known', n: least.n, source: least.span };
  return { ...count, atLeast: Math.max(count.atLeast ?? 1, least.n) };
}
