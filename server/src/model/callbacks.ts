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
import type { CallEdge, FunctionDef, ProcessStart, ScopeId, SymbolRef } from './facts';
import type { ModuleRecord, Program, ResolvedSymbol } from './program';

type ResolvedFunction = Extract<ResolvedSymbol, { kind: 'function' }>;

/** The parameter of `fn` that `ref` names, when `ref` is a bare parameter name (`main.run_pool.init` for `init` in run_pool). */
function parameterNamed(fn: FunctionDef, ref: SymbolRef): string | undefined {
  const param = ref.name.slice(ref.name.lastIndexOf('.') + 1);
  return ref.name === `${fn.module}.${fn.qualname}.${param}` && fn.params?.includes(param) ? param : undefined;
}

/**
 * Every workspace call of the function `fn` (defined at `scope`) with what it gives for its
 * parameter `param`: the argument's text, or undefined when the call leaves the default. A
 * function passed as a value (`passedTo`) is no call of it.
 */
export function* callersGiving(program: Program, scope: ScopeId, fn: FunctionDef, param: string): Generator<{ module: ModuleRecord; call: CallEdge; given: string | undefined }> {
  const index = fn.params?.indexOf(param) ?? -1;
  const shortName = fn.qualname.slice(fn.qualname.lastIndexOf('.') + 1);
  for (const module of program.modules) {
    for (const call of module.facts.calls) {
      // A cheap text test first: resolving every call of the program is the linker's job.
      if (call.passedTo || (call.callee.name !== shortName && !call.callee.name.endsWith(`.${shortName}`))) continue;
      const callee = program.resolveSymbol(call.callee.name, module.file);
      if (callee.kind !== 'function' || callee.scope !== scope) continue;
      yield { module, call, given: (index < 0 ? undefined : call.args?.[index]) ?? call.kwargs?.[param] };
    }
  }
}

/** The functions callers pass for the parameter `ref` names, in the function that makes the start. */
export function passedFunctions(program: Program, ref: SymbolRef, startScope: ScopeId): ResolvedFunction[] {
  const fn = program.functionAt(startScope);
  const param = fn && parameterNamed(fn, ref);
  if (!fn || !param) return [];
  const out: ResolvedFunction[] = [];
  for (const { module, call, given } of callersGiving(program, startScope, fn, param)) {
    if (!given || !/^[A-Za-z_][\w.]*$/.test(given)) continue;
    const passed = program.resolveRef({ fromModule: module.name, name: given, span: call.callee.span });
    if (passed.kind === 'function' && !out.some((f) => f.scope === passed.scope)) out.push(passed);
  }
  return out;
}

/** A parameter of a function, as one key: the function's scope and the parameter's name. */
function parameterKey(scope: ScopeId, param: string): string {
  return `${scope}|${param}`;
}

/**
 * The parameter a function passed as an argument lands in (`run_parallel(work, initializer=setup)`
 * → run_parallel's `initializer`), when the function called is the workspace's.
 */
export function receivingParameter(program: Program, call: CallEdge, fromFile: string): string | undefined {
  if (!call.passedTo) return undefined;
  const receiver = program.resolveSymbol(call.passedTo.callee, fromFile);
  if (receiver.kind !== 'function') return undefined;
  const { arg } = call.passedTo;
  const param = typeof arg === 'string' ? arg : program.functionAt(receiver.scope)?.params?.[arg];
  return param === undefined ? undefined : parameterKey(receiver.scope, param);
}

/**
 * The parameters that process starts take their target or initializer from (run_parallel's
 * `initializer` in `ProcessPoolExecutor(initializer=initializer)`): a function passed there runs
 * in the children (`passedFunctions`), not in the process that passes it.
 */
export function parametersHandedToStarts(program: Program, starts: ProcessStart[]): Set<string> {
  const out = new Set<string>();
  for (const start of starts) {
    const refs = [...start.targets, ...start.initializers];
    if (refs.length === 0) continue;
    const fn = program.functionAt(start.scope);
    if (!fn?.params?.length) continue;
    for (const ref of refs) {
      const param = parameterNamed(fn, ref);
      if (param) out.add(parameterKey(start.scope, param));
    }
  }
  return out;
}
