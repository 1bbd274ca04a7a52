/**
 * The process model: which code units run in which processes, and so which handlers are live
 * in which processes.
 *
 * A `ProcessGroup` is a set of identical processes (the main process of a script, the N
 * workers of one Pool, the gunicorn workers of one command line). Each runs its seed scopes
 * and everything they reach through calls, imports and config loads. A start inside a group
 * creates a child group. The model is built once per start-method scenario, because fork and
 * spawn differ in what a child has: fork inherits the parent's handlers; spawn/forkserver
 * re-import the main module and the target's module instead.
 */
import * as path from 'path';
import type { FileFacts, HandlerClear, HandlerSite, ProcessCount, ProcessGuardKind, ProcessStart, ScopeId, Span, StartMethod, SymbolRef } from './facts';
import { Program, ModuleRecord, sharedBodyName } from './program';
import { isProcessClass, handlerClass } from '../python/knownApis';
import { parametersHandedToStarts, passedFunctions, receivingParameter } from './callbacks';
import { countFromCallers } from './paramCounts';

export type Scenario = 'fork' | 'spawn';

/** How a scope was reached, to explain the chain in related information. */
export interface ReachStep {
  from: ScopeId;
  span: Span;
  how: 'call' | 'import' | 'config' | 'seed';
  /**
   * The function called, when the scope reached is a line-scanned file's shared body (which
   * stands for all its functions): the chain names it (`runs Job.__init__()`).
   */
  callee?: string;
}

export interface ProcessGroup {
  id: number;
  parent?: ProcessGroup;
  start?: ProcessStart;
  count: ProcessCount;
  seeds: ScopeId[];
  reach: Map<ScopeId, ReachStep | undefined>;
  /** Handlers this group has without creating them (fork inheritance), with the start that passed them. */
  inherited: Set<HandlerSite>;
  /** Whether code in this group emits log records (a handler nobody logs to writes nothing). */
  logs: boolean;
  /** Said to log without a look at its code (a server's processes): to any logger. */
  logsAnywhere?: boolean;
  /** The master of a config-launched server: writes little (weak evidence alone). */
  weak: boolean;
  label: string;
  startMethod: StartMethod;
  /** A launcher's master: the keys of the launchers running it beside others (`ProcessStart.together`). */
  runsWith?: string[];
}

/** Children of children of ... are followed this deep (a Pool inside a Process inside a fork). */
const MAX_GROUP_DEPTH = 4;

/**
 * `guard`: a call only one process of a group makes (`if rank == 0: setup()`). `passedInto`: not
 * a call but a function passed as an argument, into this parameter (callbacks.ts
 * `receivingParameter`); not followed when the parameter goes to a process start.
 */
type Edge = { to: ScopeId; span: Span; how: ReachStep['how']; callee?: string; guard?: ProcessGuardKind; passedInto?: string };

/** What one file adds to the scope graph: edges out of its own scopes, and synthesised facts. */
interface FileContribution {
  froms: ScopeId[];
  handlers: HandlerSite[];
  starts: ProcessStart[];
}

/**
 * Code units and how one reaches another (calls, imports, config loads), kept per file so an
 * edit recomputes only the edited file's edges — unless what other files can see of it (its
 * definitions, imports) changed, which re-resolves everything.
 */
export class ScopeGraph {
  readonly edges = new Map<ScopeId, Edge[]>();
  /** Handlers created by workspace subclasses, synthesised from class calls. */
  extraHandlers: HandlerSite[] = [];
  /** Process starts through workspace Process subclasses. */
  extraStarts: ProcessStart[] = [];
  /**
   * Edges reversed (target → sources, with how many edges each source has to it). Built in one
   * pass on first use, then kept up to date edge by edge: rebuilding it after every edit cost
   * more than the edit, and keeping it during the first build cost more than one pass after.
   */
  private reversed?: Map<ScopeId, Map<ScopeId, number>>;
  private readonly contributions = new Map<string, FileContribution>();

  /** Recomputes the given files' edges (all files when `files` is undefined). */
  update(program: Program, files?: Iterable<string>): void {
    const targets = files ? [...files] : [...program.modules.map((m) => m.file), ...program.configFiles.keys(), ...this.contributions.keys()];
    for (const file of new Set(targets)) {
      this.drop(file);
      const module = program.moduleOfFile(file);
      const config = program.configFiles.get(file);
      if (module) this.contributions.set(file, this.addModule(program, module));
      else if (config) this.contributions.set(file, this.addConfig(program, file, config.configLoads));
    }
    this.extraHandlers = [...this.contributions.values()].flatMap((c) => c.handlers);
    this.extraStarts = [...this.contributions.values()].flatMap((c) => c.starts);
  }

  private drop(file: string): void {
    const old = this.contributions.get(file);
    if (!old) return;
    for (const from of old.froms) {
      if (this.reversed) for (const edge of this.edges.get(from) ?? []) this.unreverse(from, edge.to);
      this.edges.delete(from);
    }
    this.contributions.delete(file);
  }

  private adder(contribution: FileContribution) {
    return (from: ScopeId, to: ScopeId, span: Span, how: ReachStep['how'], callee?: string): Edge | undefined => {
      if (from === to) return undefined;
      let list = this.edges.get(from);
      if (!list) {
        list = [];
        this.edges.set(from, list);
        contribution.froms.push(from);
      }
      const edge: Edge = { to, span, how, callee };
      list.push(edge);
      if (this.reversed) this.addReverse(this.reversed, from, to);
      return edge;
    };
  }

  /** Sources of edges into each scope. */
  reverse(): Map<ScopeId, Map<ScopeId, number>> {
    if (!this.reversed) {
      const reversed = new Map<ScopeId, Map<ScopeId, number>>();
      for (const [from, list] of this.edges) for (const edge of list) this.addReverse(reversed, from, edge.to);
      this.reversed = reversed;
    }
    return this.reversed;
  }

  private addReverse(reversed: Map<ScopeId, Map<ScopeId, number>>, from: ScopeId, to: ScopeId): void {
    let sources = reversed.get(to);
    if (!sources) reversed.set(to, (sources = new Map()));
    sources.set(from, (sources.get(from) ?? 0) + 1);
  }

  private unreverse(from: ScopeId, to: ScopeId): void {
    const sources = this.reversed!.get(to)!;
    const n = sources.get(from)! - 1;
    if (n > 0) sources.set(from, n);
    else if (sources.delete(from) && sources.size === 0) this.reversed!.delete(to);
  }

  private addModule(program: Program, module: ModuleRecord): FileContribution {
    const contribution: FileContribution = { froms: [], handlers: [], starts: [] };
    const add = this.adder(contribution);
    const facts = module.facts;
    const moduleScope = `module:${module.key}`;
    // A module's main-guard block runs after its top level.
    for (const fn of facts.functions) if (fn.qualname === '<main>') add(fn.scope, moduleScope, fn.span, 'seed');
    // One import edge per scope and module: `from a.b import x` then `from a.b import y` (each
    // also importing `a` and `a.b`) add nothing to what the scope reaches. The edge kept has the
    // earliest line, what a fork's cutoff compares (Django: 14.9K import edges, 2.7 per import).
    let importsFrom: ScopeId | undefined;
    const imported = new Map<ScopeId, Edge>();
    const addImport = (from: ScopeId, to: ScopeId, span: Span) => {
      if (from !== importsFrom) {
        importsFrom = from;
        imported.clear();
      }
      const known = imported.get(to);
      if (known === undefined) {
        const edge = add(from, to, span, 'import');
        if (edge) imported.set(to, edge);
      } else if (span.start.line < known.span.start.line) {
        known.span = span;
      }
    };
    for (const imp of facts.imports) {
      const target = program.resolveModule(imp.module, module.file);
      if (target) for (const scope of program.moduleScopesFor(target)) addImport(imp.scope, scope, imp.span);
      // `from pkg import submodule`
      if (imp.name && imp.name !== '*') {
        const sub = program.resolveModule(`${imp.module}.${imp.name}`, module.file);
        if (sub) addImport(imp.scope, program.moduleScopesFor(sub)[0], imp.span);
      }
    }
    for (const call of facts.calls) {
      const resolved = program.resolveSymbol(call.callee.name, module.file);
      if (resolved.kind === 'function' && call.decorates) {
        // The wrapper a decorator returns: its nested functions (a shared body stands for all).
        const prefix = `${resolved.qualname}.`;
        const label = sharedBodyName(resolved.module, resolved.qualname, resolved.scope);
        const nested = label !== undefined ? [resolved.scope] : [...new Set(resolved.module.facts.functions.filter((f) => f.qualname.startsWith(prefix)).map((f) => f.scope))];
        for (const scope of nested) add(call.from, scope, call.callee.span, 'call', label);
      } else if (resolved.kind === 'function') {
        const edge = add(call.from, resolved.scope, call.callee.span, 'call', sharedBodyName(resolved.module, resolved.qualname, resolved.scope));
        if (edge && call.guard) edge.guard = call.guard;
        const passedInto = edge && receivingParameter(program, call, module.file);
        if (passedInto) edge!.passedInto = passedInto;
      } else if (resolved.kind === 'class') {
        const init = `${resolved.qualname}.__init__`;
        const initScope = resolved.module.functions.get(init);
        const edge = initScope !== undefined ? add(call.from, initScope, call.callee.span, 'call', sharedBodyName(resolved.module, init, initScope)) : undefined;
        if (edge && call.guard) edge.guard = call.guard;
        const ancestors = program.classAncestors(resolved);
        const handlerBase = ancestors.map((a) => handlerClass(a)).find((info) => info && info.kind !== 'other');
        if (handlerBase) {
          contribution.handlers.push({
            kind: handlerBase.kind,
            className: `${resolved.module.name}.${resolved.qualname}`,
            path: call.pathArg,
            span: { file: module.file, start: call.callee.span.start, end: call.callee.span.end },
            scope: call.from,
            origin: 'code',
            note: `a subclass of ${ancestors.find((a) => handlerClass(a))}`,
          });
        }
        if (ancestors.some(isProcessClass)) {
          const run = `${resolved.qualname}.run`;
          contribution.starts.push({
            mechanism: 'multiprocessing.Process',
            span: call.callee.span,
            scope: call.from,
            targets: resolved.module.functions.has(run)
              ? [{ fromModule: resolved.module.name, name: `${resolved.module.name}.${run}`, span: call.callee.span }]
              : [],
            initializers: [],
            entryModules: [],
            count: call.inLoop ? { kind: 'unknown', dependsOn: 'the loop', atLeast: 2 } : { kind: 'known', n: 1 },
            description: `${resolved.qualname}() is a Process subclass: its run() executes in a child process`,
          });
        }
      } else if (resolved.kind === 'module') {
        add(call.from, `module:${resolved.module.key}`, call.callee.span, 'import');
      }
    }
    for (const load of facts.configLoads) {
      const file = resolveConfigFile(program, load.file, module.file);
      if (file) add(load.scope, `config:${file}`, load.span, 'config');
    }
    return contribution;
  }

  private addConfig(program: Program, file: string, loads: FileFacts['configLoads']): FileContribution {
    const contribution: FileContribution = { froms: [], handlers: [], starts: [] };
    const add = this.adder(contribution);
    for (const load of loads) {
      const target = resolveConfigFile(program, load.file, file);
      if (target) add(load.scope, `config:${target}`, load.span, 'config');
    }
    return contribution;
  }
}

export function buildScopeGraph(program: Program): ScopeGraph {
  const graph = new ScopeGraph();
  graph.update(program);
  return graph;
}

/** A config file named in code or a command line: relative to the naming file, then upwards. */
export function resolveConfigFile(program: Program, written: HandlerSite['path'] | undefined, fromFile: string): string | undefined {
  if (!written || written.kind !== 'literal') return undefined;
  // A dict declared in a Python module and applied elsewhere counts as a config file too.
  const known = (f: string) => program.configFiles.has(f) || !!program.moduleOfFile(f);
  if (path.isAbsolute(written.value)) return known(written.value) ? written.value : undefined;
  let dir = path.dirname(fromFile);
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, written.value);
    if (known(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

export interface ProcessModel {
  scenario: Scenario;
  groups: ProcessGroup[];
  handlers: HandlerSite[];
  starts: ProcessStart[];
  /** Every `logger.handlers.clear()` and the like of the program. */
  clears: HandlerClear[];
  program: Program;
  /**
   * What a group reaches without the calls only one of its processes makes under a guard of
   * this kind (`if rank == 0: setup()`): a scope outside it runs in one process of the group.
   */
  reachPastGuards(group: ProcessGroup, kind: ProcessGuardKind): ReadonlySet<ScopeId> | ReadonlyMap<ScopeId, unknown>;
  /**
   * The loggers the group's records are logged to, when every log call names one; undefined
   * when some call's logger is unknown (then any handler may receive records). Computed on
   * first use: only a handler on a named logger asks.
   */
  loggersOf(group: ProcessGroup): ReadonlySet<string> | undefined;
  /**
   * A process that runs every one of these scopes, by its label: a group reaching them all, or
   * the main process of a script that does (a script that starts no process has no group).
   * Undefined when no program of the workspace is seen to run them together.
   */
  runnerOf(scopes: ScopeId[]): string | undefined;
}

/** Whether code this process runs clears every logger the handler is on. */
export function clearedIn(site: HandlerSite, reach: Map<ScopeId, unknown>, clears: HandlerClear[]): boolean {
  return !!site.loggers?.length && site.loggers.every((logger) => clears.some((c) => c.logger === logger && reach.has(c.scope)));
}

interface ReachOptions {
  /** Per scope, the line after which its edges are not followed (what a fork child inherits). */
  stopBefore?: Map<ScopeId, number>;
  /** Calls under this guard are not followed (`reachPastGuards`). */
  skipGuard?: ProcessGuardKind;
  /** Parameters handed to process starts: functions passed into them run in the children. */
  handedToStarts: ReadonlySet<string>;
}

/** Scopes reachable from the seeds, remembering the first step into each. */
function reachFrom(graph: ScopeGraph, seeds: { scope: ScopeId; step?: ReachStep }[], { stopBefore, skipGuard, handedToStarts }: ReachOptions) {
  const reach = new Map<ScopeId, ReachStep | undefined>();
  const queue: ScopeId[] = [];
  for (const s of seeds) {
    if (!reach.has(s.scope)) {
      reach.set(s.scope, s.step);
      queue.push(s.scope);
    }
  }
  // An index instead of queue.shift(): shift is linear, and a program's reach runs to thousands.
  for (let next = 0; next < queue.length; next++) {
    const scope = queue[next];
    for (const edge of graph.edges.get(scope) ?? []) {
      if (reach.has(edge.to) || (skipGuard && edge.guard === skipGuard)) continue;
      if (edge.passedInto && handedToStarts.has(edge.passedInto)) continue;
      // What the parent does after the start line is not inherited by a forked child.
      const cutoff = stopBefore?.get(scope);
      if (cutoff !== undefined && edge.span.start.line > cutoff) continue;
      reach.set(edge.to, { from: scope, span: edge.span, how: edge.how, callee: edge.callee });
      queue.push(edge.to);
    }
  }
  return reach;
}

/** Every scope from which one of `targets` can be reached. */
function reverseReach(graph: ScopeGraph, targets: ScopeId[]): Set<ScopeId> {
  const seen = new Set<ScopeId>(targets);
  const queue = [...targets];
  while (queue.length) {
    for (const from of graph.reverse().get(queue.pop()!)?.keys() ?? []) {
      if (!seen.has(from)) {
        seen.add(from);
        queue.push(from);
      }
    }
  }
  return seen;
}

/**
 * Whether a module is a script: it has a main guard, or no other module imports it (tests,
 * conftest and setup files aside).
 */
function isEntryModule(graph: ScopeGraph, m: ModuleRecord): boolean {
  // gunicorn.conf.py and the like are read by a launcher, not run as a script.
  if (m.facts.starts.some((st) => isLauncherConf(st))) return false;
  if (m.functions.has('<main>')) return true;
  if (m.isPackageInit || /(^|\.)(tests?|conftest|setup)(\.|$)|(^|\.)test_/.test(m.name)) return false;
  const own = [`module:${m.key}`, `func:${m.key}:`];
  for (const from of graph.reverse().get(`module:${m.key}`)?.keys() ?? []) {
    if (!from.startsWith(own[0]) && !from.startsWith(own[1])) return false;
  }
  return true;
}

/** The scripts (isEntryModule) whose top level or main guard is among `scopes`. */
function scriptsAmong(program: Program, graph: ScopeGraph, scopes: ReadonlySet<ScopeId>): ModuleRecord[] {
  return program.modules.filter((m) => (scopes.has(`module:${m.key}`) || scopes.has(`func:${m.key}:<main>`)) && isEntryModule(graph, m));
}

const mainProcessLabel = (script: ModuleRecord) => `the main process of ${path.basename(script.file)}`;

export function buildProcessModel(program: Program, graph: ScopeGraph, scenario: Scenario): ProcessModel {
  const handlers: HandlerSite[] = [];
  const starts: ProcessStart[] = [...graph.extraStarts];
  for (const m of program.modules) {
    handlers.push(...m.facts.handlers);
    starts.push(...m.facts.starts);
  }
  for (const facts of program.configFiles.values()) {
    handlers.push(...facts.handlers);
    starts.push(...facts.starts);
  }
  handlers.push(...graph.extraHandlers);
  foldSupersededStarts(program, starts);
  countCeleryReceiversByCommandLine(program, starts);
  const handedToStarts = parametersHandedToStarts(program, starts);
  // A count from a parameter of the starting function: what its callers pass (paramCounts.ts).
  const startCounts = new Map<ProcessStart, ProcessCount>();
  const startCount = (start: ProcessStart) => {
    if (!startCounts.has(start)) startCounts.set(start, countFromCallers(program, start));
    return startCounts.get(start)!;
  };
  // A config naming a workspace subclass of a handler class (`class = myapp.log.SafeHandler`).
  for (let i = 0; i < handlers.length; i++) {
    const h = handlers[i];
    if (h.origin !== 'config' || h.kind !== 'other' || !h.className.includes('.')) continue;
    const resolved = program.resolveSymbol(h.className, h.span.file);
    if (resolved.kind !== 'class') continue;
    const base = program.classAncestors(resolved).map((a) => handlerClass(a)).find((info) => info && info.kind !== 'other');
    if (base) handlers[i] = { ...h, kind: base.kind };
  }

  /** Per scope, the loggers its log calls name; 'any' once one call's logger is unknown. */
  const logScopes = new Map<ScopeId, Set<string> | 'any'>();
  for (const m of program.modules) {
    for (const l of m.facts.logCalls) {
      const known = logScopes.get(l.scope);
      if (known === 'any') continue;
      if (l.logger === undefined) logScopes.set(l.scope, 'any');
      else if (known) known.add(l.logger);
      else logScopes.set(l.scope, new Set([l.logger]));
    }
  }
  const clears = program.modules.flatMap((m) => m.facts.handlerClears);
  const groups: ProcessGroup[] = [];
  const settings = program.modules.flatMap((m) => m.facts.startMethods);
  /** `set_start_method(...)` run by this program (not by another script of the workspace). */
  const startMethodSetIn = (root: ProcessGroup): StartMethod | undefined =>
    settings.find((s) => !s.unknown && root.reach.has(s.scope))?.method;

  // The first scope that logs is enough here; which loggers, only when a rule asks (loggersOf).
  const logsIn = (reach: Map<ScopeId, unknown>) => {
    for (const s of reach.keys()) if (logScopes.has(s)) return true;
    return false;
  };

  const newGroup = (g: Omit<ProcessGroup, 'id' | 'logs'> & { logs?: boolean }): ProcessGroup => {
    const group: ProcessGroup = { ...g, id: groups.length, logs: g.logs ?? logsIn(g.reach) };
    // A group said to log (a server's processes) may log to any logger.
    if (g.logs !== undefined) group.logsAnywhere = true;
    groups.push(group);
    return group;
  };

  // Roots: the main process of every script that can start processes. A script that reaches
  // no start runs in one process, and one process alone never has two writers.
  const startScopes = starts.filter((st) => !isLauncherStart(st)).map((st) => st.scope);
  const canStart = reverseReach(graph, startScopes);
  for (const entry of scriptsAmong(program, graph, canStart)) {
    const seeds = [`func:${entry.key}:<main>`, `module:${entry.key}`].filter((s) => s.endsWith('<main>') ? entry.functions.has('<main>') : true);
    newGroup({
      count: { kind: 'known', n: 1 },
      seeds,
      reach: reachFrom(graph, seeds.map((scope) => ({ scope })), { handedToStarts }),
      inherited: new Set(),
      weak: false,
      label: mainProcessLabel(entry),
      startMethod: scenario,
    });
  }
  // Launchers declared outside Python (Procfile, gunicorn.conf.py, systemd...).
  for (const start of starts) {
    if (!isLauncherStart(start)) continue;
    // A master that runs the app code too runs its start hooks as well (Celery's setup_logging
    // receivers run in the main process before it forks the pool).
    // Celery with a solo/threads pool is one process: the child group stands for it, and a
    // master beside it would count its --logfile twice.
    const onlyChild = start.mechanism === 'celery' && !start.parentAlsoRuns;
    const masterSeeds: { scope: ScopeId; step?: ReachStep }[] = onlyChild ? [] : [
      ...[...(start.childScopes ?? []), ...(start.parentAlsoRuns ? moduleSeeds(program, start) : [])].map((scope) => ({ scope })),
      // gunicorn's on_starting/when_ready hooks, an app factory under --preload, Celery's
      // setup_logging receivers: the master runs them before forking, so the workers inherit
      // what they set up (spawnChild's `inherited`).
      ...runsOf(program, start.parentInitializers ?? []).map(({ scope, ref }) => ({ scope, step: { from: start.scope, span: ref.span, how: 'seed' as const } })),
    ];
    const master = newGroup({
      count: { kind: 'known', n: 1 },
      seeds: masterSeeds.map((s) => s.scope),
      reach: reachFrom(graph, masterSeeds, { handedToStarts }),
      inherited: new Set(),
      // Celery's main process logs every task it receives and every result: a writer like its
      // children. A web server's master writes little of its own.
      weak: start.mechanism !== 'celery',
      logs: true,
      label: `the ${start.mechanism} master process`,
      startMethod: 'fork',
      runsWith: start.together,
    });
    spawnChild(master, start, 1);
  }

  // Children, breadth first; a start reached again inside its own children is not re-entered.
  function spawnChild(parent: ProcessGroup, start: ProcessStart, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) return;
    for (let g: ProcessGroup | undefined = parent; g; g = g.parent) if (g.start === start) return;
    const method: StartMethod = start.startMethod ?? (start.mechanism === 'os.fork' ? 'fork' : startMethodSetIn(rootOf(parent)) ?? scenario);
    const seeds: { scope: ScopeId; step?: ReachStep }[] = [];
    const targetRefs = [...start.targets, ...start.initializers];
    for (const ref of targetRefs) {
      const direct = program.resolveRef(ref);
      for (const resolved of direct.kind === 'function' ? [direct] : passedFunctions(program, ref, start.scope)) {
        seeds.push({ scope: resolved.scope, step: { from: start.scope, span: ref.span, how: 'seed', callee: sharedBodyName(resolved.module, resolved.qualname, resolved.scope) } });
        if (method !== 'fork') {
          // spawn/forkserver import the target's module in the child.
          for (const s of program.moduleScopesFor(resolved.module)) seeds.push({ scope: s, step: { from: start.scope, span: ref.span, how: 'import' } });
        }
      }
    }
    for (const scope of [...(start.childScopes ?? []), ...(start.childOnlyScopes ?? [])]) seeds.push({ scope, step: { from: start.scope, span: start.span, how: 'seed' } });
    // A parent that imported the app before forking (gunicorn --preload, uWSGI without
    // lazy-apps, Celery's prefork main process) hands it to the children as it is: they do
    // not import it again, so its module-level handlers, and any per-process path computed at
    // import, are the parent's, inherited (`inherited` below) rather than built per child.
    const importedByParent = start.parentAlsoRuns && method === 'fork';
    if (!importedByParent) for (const scope of moduleSeeds(program, start)) seeds.push({ scope, step: { from: start.scope, span: start.span, how: 'import' } });
    if (method !== 'fork' && isMultiprocessing(start)) {
      // The child re-imports the parent's main module (as __mp_main__): its top level runs again.
      const root = rootOf(parent);
      for (const s of root.seeds) if (s.startsWith('module:')) seeds.push({ scope: s, step: { from: start.scope, span: start.span, how: 'import' } });
    }
    const inherited = new Set<HandlerSite>();
    if (method === 'fork') {
      // Only what the parent did before the start is copied: cut every scope on the call path
      // to the start at the line that leads on to it.
      const cutoffs = new Map<ScopeId, number>([[start.scope, start.span.start.line]]);
      for (let scope: ScopeId | undefined = start.scope, i = 0; scope && i < 16; i++) {
        const step = parent.reach.get(scope);
        if (!step || cutoffs.has(step.from) && step.from !== start.scope) break;
        if (step.from !== scope && !cutoffs.has(step.from)) cutoffs.set(step.from, step.span.start.line);
        scope = step.from;
      }
      const parentBefore = reachFrom(graph, parent.seeds.map((scope) => ({ scope })), { stopBefore: cutoffs, handedToStarts });
      for (const h of handlers) {
        if (h.listenerOnly) continue;
        const cutoff = cutoffs.get(h.scope);
        // Removed from its logger in its own unit before the start: nothing left to inherit.
        const removedBefore = !!h.removed && (cutoff === undefined || h.removed.start.line < cutoff);
        if (removedBefore) continue;
        const createdBefore = parentBefore.has(h.scope) && (cutoff === undefined || creationLine(h, program) < cutoff);
        if (createdBefore || parent.inherited.has(h)) inherited.add(h);
      }
    }
    const reach = reachFrom(graph, seeds, { handedToStarts });
    // A child that clears the handlers of every logger an inherited handler is on (a pool
    // initializer swapping them for a QueueHandler) never writes through it.
    for (const h of [...inherited]) if (clearedIn(h, reach, clears)) inherited.delete(h);
    const group = newGroup({
      parent,
      start,
      count: multiplyCounts(startCount(start), parent.count),
      seeds: seeds.map((s) => s.scope),
      reach,
      inherited,
      weak: false,
      logs: isLauncherStart(start) ? true : undefined,
      label: start.description,
      startMethod: method,
    });
    for (const child of starts) {
      // A launcher's own start (gunicorn.conf.py's workers) is the launcher's to make, not a
      // child's that re-imports the module declaring it (a Process target defined there).
      if (isLauncherStart(child)) continue;
      if (child !== start && reach.has(child.scope)) spawnChild(group, child, depth + 1);
    }
  }

  const rootCount = groups.length;
  for (let i = 0; i < rootCount; i++) {
    const root = groups[i];
    if (root.parent || root.start) continue;
    for (const start of starts) {
      if (isLauncherStart(start)) continue;
      if (root.reach.has(start.scope)) spawnChild(root, start, 1);
    }
  }
  const guarded = new Set<ProcessGuardKind>();
  for (const list of graph.edges.values()) for (const edge of list) if (edge.guard) guarded.add(edge.guard);
  const pastGuards = new Map<string, ReadonlySet<ScopeId>>();
  const reachPastGuards = (group: ProcessGroup, kind: ProcessGuardKind) => {
    if (!guarded.has(kind)) return group.reach;
    const key = `${group.id}:${kind}`;
    if (!pastGuards.has(key)) pastGuards.set(key, new Set(reachFrom(graph, group.seeds.map((scope) => ({ scope })), { skipGuard: kind, handedToStarts }).keys()));
    return pastGuards.get(key)!;
  };
  const loggers = new Map<ProcessGroup, ReadonlySet<string> | undefined>();
  const loggersOf = (group: ProcessGroup) => {
    if (!loggers.has(group)) loggers.set(group, group.logsAnywhere ? undefined : loggersIn(group.reach, logScopes));
    return loggers.get(group);
  };
  // What reaches a scope, kept: LF105 asks about every pair of sinks, each in few scopes.
  const reaching = new Map<ScopeId, Set<ScopeId>>();
  const reachingOf = (scope: ScopeId) => {
    let sources = reaching.get(scope);
    if (!sources) reaching.set(scope, (sources = reverseReach(graph, [scope])));
    return sources;
  };
  const runnerOf = (scopes: ScopeId[]) => {
    const group = groups.find((g) => scopes.every((s) => g.reach.has(s)));
    if (group) return group.label;
    // What reaches each scope, intersected: a script's top level or main guard among it runs them all.
    const [first, ...rest] = scopes.map(reachingOf);
    if (!first) return undefined;
    const common = new Set([...first].filter((x) => rest.every((r) => r.has(x))));
    const script = scriptsAmong(program, graph, common)[0];
    return script && mainProcessLabel(script);
  };
  return { scenario, groups, handlers, starts, clears, program, reachPastGuards, loggersOf, runnerOf };
}

/** The loggers a reach's log calls name; undefined once one call's logger is unknown. */
function loggersIn(reach: Map<ScopeId, unknown>, logScopes: Map<ScopeId, Set<string> | 'any'>): ReadonlySet<string> | undefined {
  const names = new Set<string>();
  for (const s of reach.keys()) {
    const here = logScopes.get(s);
    if (here === 'any') return undefined;
    if (here) for (const n of here) names.add(n);
  }
  return names;
}

/**
 * The line at which a handler comes into being: its call, or for a dict declared in code, the
 * `dictConfig(...)` call in the same scope that applies it.
 */
function creationLine(h: HandlerSite, program: Program): number {
  if (h.origin !== 'config' || !h.scope.startsWith('func:') && !h.scope.startsWith('module:')) return h.span.start.line;
  const module = program.moduleOfFile(h.span.file);
  const loads = module?.facts.configLoads.filter((l) => l.scope === h.scope && l.span.start.line >= h.span.start.line) ?? [];
  return loads.length ? Math.min(...loads.map((l) => l.span.start.line)) : h.span.start.line;
}

/**
 * A command line that reads a launcher's config file and runs it with its own options
 * (`uwsgi --ini uwsgi.ini --processes 8`, `gunicorn -c conf.py -w 2`) stands for it: the start
 * the file declares by itself would count the workers again, with the file's settings alone.
 * What the file's own code runs in the server's processes (a gunicorn config module's body,
 * with its errorlog/accesslog, and its hooks) goes over to each command line's start; the
 * facts stay as they are.
 */
function foldSupersededStarts(program: Program, starts: ProcessStart[]): void {
  const superseded = new Set(starts.flatMap((s) => s.supersedes ?? []));
  if (superseded.size === 0) return;
  const ownStart = (s: ProcessStart) => {
    if (!superseded.has(s.span.file)) return false;
    const module = program.moduleOfFile(s.span.file);
    return s.scope === `config:${s.span.file}` || (!!module && s.scope === `module:${module.key}`);
  };
  const folded = new Map<string, ProcessStart[]>();
  for (let i = starts.length - 1; i >= 0; i--) {
    if (!ownStart(starts[i])) continue;
    const [own] = starts.splice(i, 1);
    folded.set(own.span.file, [...(folded.get(own.span.file) ?? []), own]);
  }
  for (let i = 0; i < starts.length; i++) {
    const owns = (starts[i].supersedes ?? []).flatMap((file) => folded.get(file) ?? []);
    if (owns.length) starts[i] = withCodeOf(starts[i], owns);
  }
}

/** `start` with the scopes and hooks of the config files' own starts added. */
function withCodeOf(start: ProcessStart, owns: ProcessStart[]): ProcessStart {
  const merged = <T>(mine: T[] | undefined, pick: (s: ProcessStart) => T[] | undefined): T[] => [...new Set([...(mine ?? []), ...owns.flatMap((o) => pick(o) ?? [])])];
  const out: ProcessStart = {
    ...start,
    childScopes: merged(start.childScopes, (o) => o.childScopes),
    initializers: merged(start.initializers, (o) => o.initializers),
  };
  const childOnly = merged(start.childOnlyScopes, (o) => o.childOnlyScopes);
  if (childOnly.length) out.childOnlyScopes = childOnly;
  const parentInitializers = merged(start.parentInitializers, (o) => o.parentInitializers);
  if (parentInitializers.length) out.parentInitializers = parentInitializers;
  return out;
}

/**
 * A Celery app's signal receivers (`@setup_logging.connect`) run in as many children as the
 * command line that starts the app says (`celery -A proj worker -P solo`, `-c 1`): it overrides
 * the app's settings and the prefork default. Each receiver start is replaced by one per command
 * line naming its app (the facts stay as they are).
 */
function countCeleryReceiversByCommandLine(program: Program, starts: ProcessStart[]): void {
  const commandLines = starts.filter((s) => s.mechanism === 'celery' && s.initializers.length === 0 && s.entryModules.length > 0);
  if (commandLines.length === 0) return;
  for (let i = starts.length - 1; i >= 0; i--) {
    const receiver = starts[i];
    if (receiver.mechanism !== 'celery' || receiver.initializers.length === 0) continue;
    const appModule = receiver.initializers[0].fromModule;
    const launchers = commandLines.filter((line) => line.span.file !== receiver.span.file && line.entryModules.some((name) =>
      appModule === name || appModule === `${name}.celery` || appModule.startsWith(`${name}.`) && !!program.resolveModule(name, line.span.file)));
    if (launchers.length === 0) continue;
    const what = receiver.description.split('; ')[0];
    starts.splice(i, 1, ...launchers.map((line) => {
      const counted: ProcessStart = { ...receiver, count: line.count, description: `${what}, started by ${line.description}` };
      // `-P solo`: the receiver runs in the one worker process, not in a master besides it.
      if (!line.parentAlsoRuns) {
        delete counted.parentAlsoRuns;
        delete counted.parentInitializers;
      }
      return counted;
    }));
  }
}

/**
 * A start a launcher makes: a line of a launcher file (Procfile, compose...), or one declared by
 * a Python file read as a launcher (gunicorn.conf.py, a Celery app). Only the launcher makes it;
 * code that reaches its scope does not.
 */
function isLauncherStart(start: ProcessStart): boolean {
  return start.scope.startsWith('config:') || isLauncherConf(start);
}

/** gunicorn.conf.py and similar Python files are read as launchers, not as program code. */
function isLauncherConf(start: ProcessStart): boolean {
  return ['gunicorn', 'uwsgi', 'celery', 'django-runserver', 'supervisord', 'systemd', 'pm2'].includes(start.mechanism);
}

function moduleSeeds(program: Program, start: ProcessStart): ScopeId[] {
  const out: ScopeId[] = [];
  for (const name of start.entryModules) {
    const m = program.resolveModule(name, start.span.file) ?? program.resolveModule(`${name}.celery`, start.span.file);
    if (m) out.push(...program.moduleScopesFor(m));
    if (start.entryRunsAsMain) {
      // `python -m pkg` runs pkg/__main__.py; a script's main guard runs in every copy.
      const main = program.resolveModule(`${name}.__main__`, start.span.file) ?? m;
      if (main && main !== m) out.push(...program.moduleScopesFor(main));
      if (main?.functions.has('<main>')) out.push(`func:${main.key}:<main>`);
    }
    // Celery `-A proj` loads proj.celery when proj has one.
    const celery = start.mechanism === 'celery' ? program.resolveModule(`${name}.celery`, start.span.file) : undefined;
    if (celery) out.push(`module:${celery.key}`);
  }
  return out;
}

/** The workspace functions named by `refs`, with the reference that names each. */
function runsOf(program: Program, refs: SymbolRef[]): { scope: ScopeId; ref: SymbolRef }[] {
  const out: { scope: ScopeId; ref: SymbolRef }[] = [];
  for (const ref of refs) {
    const resolved = program.resolveRef(ref);
    if (resolved.kind === 'function') out.push({ scope: resolved.scope, ref });
  }
  return out;
}

export function isMultiprocessing(start: ProcessStart): boolean {
  return start.mechanism === 'multiprocessing.Process' || start.mechanism === 'multiprocessing.Pool' || start.mechanism === 'ProcessPoolExecutor';
}

function rootOf(group: ProcessGroup): ProcessGroup {
  let g = group;
  while (g.parent) g = g.parent;
  return g;
}

export function multiplyCounts(a: ProcessCount, b: ProcessCount): ProcessCount {
  if (b.kind === 'known' && b.n === 1) return a;
  if (a.kind === 'known' && b.kind === 'known') return { kind: 'known', n: a.n * b.n, source: a.source };
  const unknown = a.kind === 'unknown' ? a : (b as Extract<ProcessCount, { kind: 'unknown' }>);
  return { kind: 'unknown', dependsOn: unknown.dependsOn, atLeast: lowerBound(a) * lowerBound(b), source: unknown.source };
}

export function lowerBound(c: ProcessCount): number {
  return c.kind === 'known' ? c.n : c.atLeast ?? 1;
}

/** A `set_start_method(<run-time value>)` run by this group's program, if any. */
export function unknownStartMethodIn(model: ProcessModel, group: ProcessGroup): Span | undefined {
  const root = rootOf(group);
  for (const m of model.program.modules) for (const s of m.facts.startMethods) if (s.unknown && root.reach.has(s.scope)) return s.span;
  return undefined;
}

export { rootOf };
