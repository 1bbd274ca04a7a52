/**
 * Functions handed to a process start through a parameter:
 *
 *     def run_pool(init, items):
 *         with Pool(4, initializer=init) as pool: ...
 *     run_pool(init_logging, data)
 *
 * The extractor sees only the parameter `init`; the functions the children run are whatever
 * the callers of `run_pool` pass in that position.
 */
import type { ScopeId, SymbolRef } from './facts';
import type { Program, ResolvedSymbol } from './program';

type ResolvedFunction = Extract<ResolvedSymbol, { kind: 'function' }>;

/** The functions callers pass for the parameter `ref` names, in the function that makes the start. */
export function passedFunctions(program: Program, ref: SymbolRef, startScope: ScopeId): ResolvedFunction[] {
  const fn = program.functionAt(startScope);
  if (!fn) return [];
  const param = ref.name.slice(ref.name.lastIndexOf('.') + 1);
  // Only a bare parameter name: `main.run_pool.init` for `init` in run_pool.
  if (ref.name !== `${fn.module}.${fn.qualname}.${param}`) return [];
  const index = fn.params?.indexOf(param) ?? -1;
  if (index < 0) return [];
  const shortName = fn.qualname.slice(fn.qualname.lastIndexOf('.') + 1);
  const out: ResolvedFunction[] = [];
  for (const m of program.modules) {
    for (const call of m.facts.calls) {
      // A cheap text test first: resolving every call of the program is the linker's job.
      if (call.callee.name !== shortName && !call.callee.name.endsWith(`.${shortName}`)) continue;
      const callee = program.resolveSymbol(call.callee.name, m.file);
      if (callee.kind !== 'function' || callee.scope !== startScope) continue;
      const arg = call.args?.[index] ?? call.kwargs?.[param];
      if (!arg || !/^[A-Za-z_][\w.]*$/.test(arg)) continue;
      const passed = program.resolveRef({ fromModule: m.name, name: arg, span: call.callee.span });
      if (passed.kind === 'function' && !out.some((f) => f.scope === passed.scope)) out.push(passed);
    }
  }
  return out;
}
