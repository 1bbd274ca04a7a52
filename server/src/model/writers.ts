/**
 * Writer sets: for each log file of one program, the process groups that write it.
 *
 * "The same file" is decided in one place (`fileIdentity`): a literal path, or the same
 * unevaluated expression. A per-process path is shared only by the process that computed it
 * and the children it forked afterwards (`openedOnceBy`). Paths are compared within one
 * program tree (a script and its children, or one launcher line), and across the program trees
 * one launcher runs at the same time (`runTogether`): two unrelated scripts that name `app.log`
 * are not known to run at the same time.
 */
import * as path from 'path';
import type { HandlerSite, LogPath, ProcessStart, Span, SymbolRef } from './facts';
import { LAUNCH_COPY_NUMBER, LAUNCH_VALUE_PER_COPY } from './facts';
import { ProcessGroup, ProcessModel, clearedIn, isMultiprocessing, lowerBound, rootOf } from './processModel';

export interface WriterActivation {
  group: ProcessGroup;
  site: HandlerSite;
  how: 'created' | 'inherited';
}

export interface WriterSet {
  /** Root group id + file identity. */
  key: string;
  file: string;
  activations: WriterActivation[];
  /** Distinct writing groups. */
  groups: ProcessGroup[];
  /** Smallest number of processes that write, and whether it could be larger. */
  lowerBound: number;
  /** What the count depends on when it is not known (an environment variable...). */
  unknowns: string[];
  /** Whether only a weak writer (a server master) takes it over one. */
  onlyWeak: boolean;
  /**
   * A per-process path computed once, by this process, before it forked the children that
   * inherited the handler (see `openedOnceBy`).
   */
  openedOnceBy?: ProcessGroup;
  /** Groups that build the handler in one of their processes only (`if rank == 0:`): they count 1. */
  oneEach: Set<ProcessGroup>;
  /** Groups that build it in all their processes but rank 0 (`if rank == 0: return`): one less. */
  allButOneEach: Set<ProcessGroup>;
  /**
   * The path is numbered by this variable of the groups' launcher (`copyIndexed`): copy k of
   * each group writes file k, so each group counts once, for the file of its first copy.
   */
  perCopy?: string;
  /**
   * The path reads what each program is started with (an environment variable, its command
   * line) and the writers come from launcher lines, which may each set it differently: one file
   * is not proven.
   */
  sameFileDependsOn?: string;
}

/**
 * Whether a process of `group` builds the handler at all: a child multiprocessing started is
 * never the `MainProcess` a guard asks for (processGuards.ts).
 */
function guardLetsThrough(site: HandlerSite, group: ProcessGroup, model: ProcessModel): boolean {
  if (!group.start || !isMultiprocessing(group.start) && group.start.mechanism !== 'joblib') return true;
  return site.guard?.kind !== 'main-process' && model.reachPastGuards(group, 'main-process').has(site.scope);
}

/**
 * Whether the processes of the group that build the handler are only those a rank guard of
 * this kind lets through: its creation, or every call chain to it, is under such a guard.
 */
function rankGuarded(site: HandlerSite, group: ProcessGroup, model: ProcessModel, kind: 'rank-zero' | 'not-rank-zero'): boolean {
  return site.guard?.kind === kind || !model.reachPastGuards(group, kind).has(site.scope);
}

/**
 * A per-process path (`f"app-{os.getpid()}.log"`) is computed once, by the process that builds
 * the handler: children forked after that inherit the handler with the file it opened, the
 * parent's. So the creating process and its inheriting children share one file. Only for a
 * creator that is a single process (a main process or master): the group that opened the file.
 */
function openedOnceBy(site: HandlerSite, group: ProcessGroup, how: WriterActivation['how'], model: ProcessModel): ProcessGroup | undefined {
  let creator: ProcessGroup | undefined = group;
  if (how === 'inherited') {
    creator = group.parent;
    while (creator && !creator.reach.has(site.scope)) creator = creator.parent;
  }
  if (!creator || creator.count.kind !== 'known' || creator.count.n !== 1) return undefined;
  // A creator nobody inherits from writes its own file alone: no set worth making.
  if (how === 'created' && !model.groups.some((g) => g.inherited.has(site) && isDescendant(g, creator!))) return undefined;
  return creator;
}

function isDescendant(group: ProcessGroup, ancestor: ProcessGroup): boolean {
  for (let g = group.parent; g; g = g.parent) if (g === ancestor) return true;
  return false;
}

/**
 * The variable numbering the copies of the group's program, when the path is built from it:
 * PM2 sets NODE_APP_INSTANCE (or the app's `instance_var`) to 0, 1, ... in the copies of each
 * app, so one app's copies write files of their own, but the first copies of two apps one file.
 */
function copyIndexed(p: LogPath | undefined, group: ProcessGroup): string | undefined {
  const variable = group.start?.instanceVar;
  if (!variable || !p) return undefined;
  if (p.kind === 'per-process' && p.copyIndex === variable) return variable;
  if (p.kind === 'dynamic' && p.environment?.includes(variable)) return variable;
  return undefined;
}

/** `WriterSet.perCopy` for a path given by supervisord's numbered `environment=` or command line. */
const SUPERVISORD_COPY_NUMBER = "supervisord's %(process_num)";

/** The file a path names, as an identity; undefined when it differs per process. */
function fileIdentity(p: LogPath | undefined): string | undefined {
  if (!p) return undefined;
  if (p.kind === 'per-process') return undefined;
  if (p.kind === 'literal') {
    // Relative paths are relative to the working directory, which config files do not change.
    return `file:${path.posix.normalize(p.value.replace(/\\/g, '/')).replace(/^\.\//, '')}`;
  }
  return `expr:${p.text.replace(/\s+/g, '')}`;
}

/**
 * A path built from a parameter: the callers decide. A value that differs per child (a loop
 * variable at the start, a Pool task argument) makes it per-process; one fixed value makes it
 * the same file everywhere.
 */
export function resolvedPath(site: HandlerSite, model: ProcessModel): LogPath | undefined {
  const p = site.path;
  if (!p || p.kind !== 'dynamic' || !p.param) return p;
  const flow = paramValue(model, p.param.scope, p.param.index, p.param.name, 0);
  const why = `the path comes from the argument '${p.param.name}', which differs per process`;
  if (flow.perProcess) return { kind: 'per-process', text: p.text, why };
  if (p.param.exact && flow.literals.size === 1) return { kind: 'literal', value: [...flow.literals][0] };
  if (flow.literals.size === 1) {
    // f"logs/{name}.log" where every caller passes the same literal: that one file.
    const folded = foldFString(p.text, p.param.name, [...flow.literals][0]);
    if (folded !== undefined) return { kind: 'literal', value: folded };
  }
  if (flow.literals.size > 1) return { kind: 'per-process', text: p.text, why: `the path comes from the argument '${p.param.name}', given different values` };
  return { kind: 'dynamic', text: p.text };
}

/** `f"...{name}..."` with `name` given: the text, when it interpolates nothing else. */
function foldFString(text: string, name: string, value: string): string | undefined {
  const m = /^[fF](['"])(.*)\1$/.exec(text.trim());
  if (!m) return undefined;
  const folded = m[2].split(`{${name}}`).join(value);
  return /[{}]/.test(folded) ? undefined : folded;
}

interface ParamFlow {
  perProcess: boolean;
  literals: Set<string>;
}

function paramValue(model: ProcessModel, scope: string, index: number, name: string, depth: number): ParamFlow {
  const flow: ParamFlow = { perProcess: false, literals: new Set() };
  if (depth > 4 || index < 0) return { perProcess: true, literals: flow.literals };
  let sites = 0;
  const consider = (arg: string | undefined, loopVars: string[] | undefined, callerScope: string) => {
    sites++;
    if (arg === undefined) arg = defaultOf(model, scope, index);
    if (arg === undefined) return void (flow.perProcess = true);
    if (loopVars?.includes(arg)) return void (flow.perProcess = true);
    const literal = arg.match(/^[rRbBuU]?(['"])(.*)\1$/);
    if (literal) return void flow.literals.add(literal[2]);
    const callerParams = paramsOf(model, callerScope);
    const i = callerParams?.indexOf(arg) ?? -1;
    if (i >= 0) {
      const up = paramValue(model, callerScope, i, arg, depth + 1);
      if (up.perProcess) flow.perProcess = true;
      for (const l of up.literals) flow.literals.add(l);
    }
  };
  for (const m of model.program.modules) {
    for (const call of m.facts.calls) {
      const r = model.program.resolveSymbol(call.callee.name, m.file);
      // `LogSetup(...)` runs LogSetup.__init__ with the call's arguments.
      const runsScope = r.kind === 'function' ? r.scope : r.kind === 'class' ? `func:${r.module.key}:${r.qualname}.__init__` : undefined;
      if (runsScope === scope) consider(call.args?.[index] ?? call.kwargs?.[name], call.loopVars, call.from);
    }
  }
  const runs = (ref: SymbolRef) => {
    const r = model.program.resolveRef(ref);
    return r.kind === 'function' && r.scope === scope;
  };
  for (const start of model.starts) {
    for (const t of start.targets) {
      if (!runs(t)) continue;
      // Pool tasks get their arguments from an iterable: a different value per task.
      const arg = start.targetArgs?.[index];
      if (arg === '' || (start.mechanism !== 'multiprocessing.Process' && !start.targetArgs)) consider(undefined, undefined, start.scope);
      else consider(arg, start.loopVars, start.scope);
    }
    // A pool's initializer gets `initargs`: the same values in every worker.
    for (const t of start.initializers) {
      if (runs(t)) consider(start.initializerArgs?.[index], start.loopVars, start.scope);
    }
  }
  if (sites === 0) flow.perProcess = true; // nobody in the workspace calls it: assume the best
  return flow;
}

function defaultOf(model: ProcessModel, scope: string, index: number): string | undefined {
  const fn = model.program.functionAt(scope);
  const name = fn?.params?.[index];
  return name ? fn?.defaults?.[name] : undefined;
}

function paramsOf(model: ProcessModel, scope: string): string[] | undefined {
  return model.program.functionAt(scope)?.params;
}

export const FILE_KINDS: ReadonlySet<string> = new Set(['rotating-size', 'rotating-time', 'plain-file', 'watched-file']);

/** The launcher line (Procfile, compose, shell...) that started the group or one of its ancestors. */
function launcherStartOf(group: ProcessGroup): ProcessStart | undefined {
  for (let g: ProcessGroup | undefined = group; g; g = g.parent) if (g.start?.scope.startsWith('config:')) return g.start;
  return undefined;
}

/**
 * What the launcher line that started the group gives a path read from the program's start
 * (`fromLaunch`): the environment variable's value (`ProcessStart.launchEnv`), or the values of
 * the argparse options the path names; LAUNCH_VALUE_PER_COPY when it differs in every copy.
 */
function launchValueOf(group: ProcessGroup, p: LogPath & { kind: 'dynamic' }): string | undefined {
  const start = launcherStartOf(group);
  if (!start || !p.fromLaunch) return undefined;
  return start.launchEnv?.[p.fromLaunch] ?? optionValuesOf(start, p.text);
}

/**
 * The values a launcher line gives the argparse options a path names (`args.queue` is
 * `--queue high`), as one string, when it gives every one of them.
 */
function optionValuesOf(start: ProcessStart, pathText: string): string | undefined {
  const options = [...new Set([...pathText.matchAll(/\b(?:args|opts|options|cli|ns)\.(\w+)/g)].map((m) => m[1]))];
  const words = start.launchArgs;
  if (options.length === 0 || !words) return undefined;
  const values: string[] = [];
  for (const option of options) {
    const names = new Set([`--${option}`, `--${option.replace(/_/g, '-')}`]);
    let value: string | undefined;
    for (let i = 0; i < words.length && value === undefined; i++) {
      const eq = words[i].indexOf('=');
      if (eq !== -1 && names.has(words[i].slice(0, eq))) value = words[i].slice(eq + 1);
      else if (names.has(words[i])) value = words[i + 1];
    }
    if (value === undefined || value.includes('@@')) return undefined;
    if (value === LAUNCH_VALUE_PER_COPY) return LAUNCH_VALUE_PER_COPY;
    values.push(`${option}=${value}`);
  }
  return values.join(',');
}

/**
 * Whether the group's log calls reach the handler: a record logged to `a.b` goes to the
 * handlers of `a.b`, `a` and the root. A handler on the `audit` logger, in a worker that logs
 * only to `app`, holds the file open but writes nothing. Unknown loggers on either side: yes.
 */
function receivesRecords(site: HandlerSite, group: ProcessGroup, model: ProcessModel): boolean {
  if (!site.loggers?.length || site.loggers.includes('')) return true;
  const loggedTo = model.loggersOf(group);
  if (!loggedTo) return true;
  for (const attached of site.loggers) {
    for (const name of loggedTo) if (name === attached || name.startsWith(`${attached}.`)) return true;
  }
  return false;
}

/**
 * The run each root group belongs to: its own, or one shared with every root that a launcher
 * runs concurrently with it (the process types of one Procfile), joined transitively.
 */
function runTogether(model: ProcessModel): (root: ProcessGroup, file: string) => number {
  const byFile = new Map<string, (id: number) => number>();
  const finderFor = (file: string) => {
    const parent = new Map<number, number>();
    const find = (id: number): number => {
      let r = id;
      while (parent.has(r)) r = parent.get(r)!;
      return r;
    };
    const firstWith = new Map<string, number>();
    for (const g of model.groups) {
      for (const key of g.runsWith ?? []) {
        const shared = sharedKey(key, file);
        if (shared === undefined) continue;
        const other = firstWith.get(shared);
        if (other === undefined) firstWith.set(shared, g.id);
        else if (find(other) !== find(g.id)) parent.set(find(g.id), find(other));
      }
    }
    return find;
  };
  return (root, file) => {
    // Per file: a container's mount decides by where each path lands, relative ones included.
    let find = byFile.get(file);
    if (!find) byFile.set(file, (find = finderFor(file)));
    return find(root.id);
  };
}

/**
 * What the programs run together through `key` have in common when they write `file`, or
 * undefined when `key` does not make them share it. Programs with the same answer write one file.
 * - A key's `|cwd:<folder>` part says where relative paths resolve for that program
 *   (supervisord `directory`, a shell `cd`, PM2 `cwd`): a relative file is shared only by
 *   programs with the same folder, an absolute one by all programs run together.
 * - A container's mount (`|mount:<source>-><target>|wd:<workdir>`, compose.ts): the file is
 *   shared when it lands under the mount, as the same file of the source: `logs/app.log` in
 *   /app with ./logs at /app/logs, and in /opt/jobs with ./logs at /opt/jobs/logs, are both
 *   ./logs/app.log. A file elsewhere in a container (`/tmp/svc.log`) is each container's own.
 */
function sharedKey(key: string, file: string): string | undefined {
  const mount = MOUNT_KEY.exec(key);
  if (mount) return hostFileKey(mount[1], mount[2], mount[3], mount[4], mount[5] !== undefined, file);
  return path.posix.isAbsolute(file) ? key.replace(/\|cwd:[^|]*/, '') : key;
}

/**
 * Where a path written as an expression lands, as far as its text shows: an f-string with its
 * fields as `*` (`f"logs/{name}.log"` is somewhere in logs/). Undefined when the text does not
 * show it: the caller passes the expression as `?<text>`, a relative path of unknown place.
 */
function pathShape(p: LogPath | undefined): string | undefined {
  if (p?.kind === 'literal') return p.value;
  if (p?.kind !== 'dynamic') return undefined;
  const m = /^[rRuUfF]{0,2}(['"])(.*)\1$/s.exec(p.text.trim());
  return m ? m[2].replace(/\{[^{}]*\}/g, '*') : undefined;
}

/** A path that is an environment variable's value and nothing else (or a name bound to one). */
const WHOLE_ENV_READ = /^(?:os\.)?(?:environ\[['"]\w+['"]\]|(?:environ\.get|getenv)\(['"]\w+['"](?:,.*)?\))$|^[A-Za-z_]\w*$/;

/** The file of a mount's source that `file` is for the root's processes (`...|host:<path>`), if any. */
function hostFileOf(root: ProcessGroup, file: string): string | undefined {
  for (const key of root.runsWith ?? []) {
    if (!MOUNT_KEY.test(key)) continue;
    const shared = sharedKey(key, file);
    if (shared?.includes('|host:')) return shared;
  }
  return undefined;
}

const MOUNT_KEY = /^(.*)\|mount:([^|]*)->([^|]*)(?:\|wd:([^|]*))?(\|logs)?$/;

function hostFileKey(prefix: string, source: string, target: string, workdir: string | undefined, logs: boolean, file: string): string | undefined {
  let inContainer: string;
  if (path.posix.isAbsolute(file)) inContainer = path.posix.normalize(file);
  else if (workdir !== undefined && !file.startsWith('?')) inContainer = path.posix.join(workdir, file);
  // Where a relative path lands is not known: in a mount named for logs, taken to be shared by
  // the services mounting the same source at the same place (it lands there for all or none).
  else return logs ? `${prefix}|${source}->${target}|relative:${path.posix.normalize(file)}` : undefined;
  if (inContainer !== target && !inContainer.startsWith(`${target === '/' ? '' : target}/`)) return undefined;
  return `${prefix}|host:${path.posix.join(source, path.posix.relative(target, inContainer))}`;
}

export function computeWriterSets(model: ProcessModel): WriterSet[] {
  const sets = new Map<string, WriterSet>();
  const runOf = runTogether(model);
  // Resolving a parameter's path looks at every call of the program: once per site.
  const paths = new Map<HandlerSite, LogPath | undefined>();
  const pathOf = (site: HandlerSite) => {
    if (!paths.has(site)) paths.set(site, resolvedPath(site, model));
    return paths.get(site);
  };
  const clearsAfterImport = model.clears.filter((c) => c.scope.startsWith('func:'));
  for (const group of model.groups) {
    if (!group.logs) continue;
    const root = rootOf(group);
    for (const site of model.handlers) {
      if (!FILE_KINDS.has(site.kind)) continue;
      let how: WriterActivation['how'] | undefined;
      if (group.reach.has(site.scope)) how = 'created';
      else if (group.inherited.has(site)) how = 'inherited';
      if (!how || !receivesRecords(site, group, model)) continue;
      // Built at import (a spawn child re-imports the main module), then dropped by a function
      // the process runs afterwards (its initializer clears the logger's handlers).
      if (how === 'created' && site.scope.startsWith('module:') && clearedIn(site, group.reach, clearsAfterImport)) continue;
      // A handler only handed to a QueueListener writes in the listener's process only.
      if (site.listenerOnly && how === 'inherited') continue;
      if (how === 'created' && !guardLetsThrough(site, group, model)) continue;
      const p = pathOf(site);
      const copyVar = copyIndexed(p, group);
      let identity = copyVar && p && p.kind !== 'literal' ? `copy:${p.text.replace(/\s+/g, '')}` : fileIdentity(p);
      let file = copyVar && p && p.kind !== 'literal' ? p.text : identity?.replace(/^(file|expr):/, '');
      let opener: ProcessGroup | undefined;
      if (identity === undefined && p?.kind === 'per-process') {
        opener = openedOnceBy(site, group, how, model);
        if (opener) [identity, file] = [`opened-by:${opener.id}:${p.text}`, p.text];
      }
      if (identity === undefined || file === undefined) continue;
      // A name from the program's environment that its launcher line sets: each value its file.
      const launchValue = !copyVar && p?.kind === 'dynamic' ? launchValueOf(group, p) : undefined;
      if (launchValue === LAUNCH_VALUE_PER_COPY) continue; // every copy writes a file of its own
      // supervisord's %(process_num) in it: copy k of each program writes file k.
      const numbered = launchValue?.includes(LAUNCH_COPY_NUMBER) ? SUPERVISORD_COPY_NUMBER : undefined;
      // The file as the launcher names it, when the path is the variable itself.
      if (numbered && p?.kind === 'dynamic' && WHOLE_ENV_READ.test(p.text.replace(/\s+/g, ''))) {
        file = launchValue!.replace(/<copy number %(\w*)>/g, '%(process_num)$1');
      }
      if (launchValue !== undefined && p?.kind === 'dynamic') identity += `|${p.fromLaunch}=${launchValue}`;
      // Not set by the launcher: the code's default, one deployment setting for all who use it.
      else if (p?.kind === 'dynamic' && p.launchDefault !== undefined && !copyVar) identity += `|${p.fromLaunch}=${p.launchDefault}`;
      // The path as the process opens it, when the code or the launcher says it exactly: through
      // a container's mounts it may be a file other containers open under another path.
      const envValue = p?.kind === 'dynamic' && !numbered ? launchValue ?? (p.launchDefault !== '<default>' && !copyVar ? p.launchDefault : undefined) : undefined;
      const concrete = p?.kind === 'literal' ? p.value : envValue !== undefined && p?.kind === 'dynamic' && WHOLE_ENV_READ.test(p.text.replace(/\s+/g, '')) ? envValue : undefined;
      const key = (concrete !== undefined && hostFileOf(root, concrete)) || `${runOf(root, concrete ?? pathShape(p) ?? `?${file}`)}|${identity}`;
      let set = sets.get(key);
      if (!set) {
        set = { key, file, activations: [], groups: [], lowerBound: 0, unknowns: [], onlyWeak: false, openedOnceBy: opener, oneEach: new Set(), allButOneEach: new Set() };
        sets.set(key, set);
      }
      set.activations.push({ group, site, how });
      if (copyVar ?? numbered) set.perCopy = copyVar ?? numbered;
      if (p?.kind === 'dynamic' && p.fromLaunch && p.fromLaunch !== copyVar && launchValue === undefined && p.launchDefault === undefined && launcherStartOf(group)) set.sameFileDependsOn = p.fromLaunch;
      if (!set.groups.includes(group)) set.groups.push(group);
    }
  }
  for (const set of sets.values()) {
    for (const g of set.groups) {
      const own = set.activations.filter((a) => a.group === g);
      if (own.every((a) => a.how === 'created' && rankGuarded(a.site, g, model, 'rank-zero'))) set.oneEach.add(g);
      else if (own.every((a) => a.how === 'created' && rankGuarded(a.site, g, model, 'not-rank-zero'))) set.allButOneEach.add(g);
    }
    const countOf = (g: ProcessGroup) => (set.oneEach.has(g) || set.perCopy ? 1 : set.allButOneEach.has(g) ? Math.max(0, lowerBound(g.count) - 1) : lowerBound(g.count));
    set.lowerBound = set.groups.reduce((n, g) => n + countOf(g), 0);
    for (const g of set.groups) {
      // Unknown counts matter below the two writers they make for sure (three for all but rank 0).
      const sure = set.allButOneEach.has(g) ? 3 : 2;
      if (g.count.kind === 'unknown' && !((g.count.atLeast ?? 0) >= sure) && !set.oneEach.has(g) && !set.perCopy) set.unknowns.push(g.count.dependsOn);
    }
    const strong = set.groups.filter((g) => !g.weak).reduce((n, g) => n + countOf(g), 0);
    set.onlyWeak = strong < 2 && set.lowerBound >= 2;
  }
  return [...sets.values()];
}

/** Where the processes come from, for related information. */
export function startEvidence(group: ProcessGroup): { span: Span; message: string }[] {
  const out: { span: Span; message: string }[] = [];
  for (let g: ProcessGroup | undefined = group; g?.start; g = g.parent) {
    out.push({ span: g.start.span, message: g.start.description });
    for (const task of g.start.taskSpans ?? []) out.push({ span: task, message: 'work is handed to those worker processes here' });
    const elsewhere = (s: Span) => s.file !== g!.start!.span.file || s.start.line !== g!.start!.span.start.line;
    if (g.count.kind === 'known' && g.count.source && elsewhere(g.count.source)) {
      out.push({ span: g.count.source, message: `the process count (${g.count.n}) is set here` });
    } else if (g.count.kind === 'unknown' && g.count.source) {
      out.push({ span: g.count.source, message: `the process count depends on ${g.count.dependsOn}` });
    }
  }
  return out;
}

/** The import/call chain from a group's seed to the scope creating a handler. */
export function chainEvidence(group: ProcessGroup, site: HandlerSite): { span: Span; message: string }[] {
  const out: { span: Span; message: string }[] = [];
  let scope: string | undefined = site.scope;
  const seen = new Set<string>();
  while (scope && !seen.has(scope) && out.length < 8) {
    seen.add(scope);
    const step = group.reach.get(scope);
    if (!step) break;
    const what = scope.startsWith('module:') ? `imports ${scope.slice(7).split('@')[0]}`
      : scope.startsWith('config:') ? `loads ${path.basename(scope.slice(7))}`
      : `runs ${step.callee ?? scope.split(':').pop()}()`;
    // A launcher's master (no start of its own) is named: its seeds are hooks it runs before forking.
    const runner = group.start ? 'the process' : group.label;
    out.push({ span: step.span, message: `${step.how === 'seed' ? `${runner} runs` : 'this'} ${what}`.replace(`${runner} runs runs`, `${runner} runs`) });
    scope = step.from;
  }
  return out.reverse();
}
