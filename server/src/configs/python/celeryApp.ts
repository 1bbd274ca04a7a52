/**
 * Celery apps and their logging hooks. A module that creates `Celery(...)` is imported by every
 * `celery worker` process: the prefork main process imports it and forks the pool children
 * (one per CPU by default). Handlers added in `after_setup_logger` / `setup_logging` /
 * `worker_process_init` receivers exist in every pool child.
 *
 * Only apps that state their own concurrency are starts by themselves; otherwise the
 * `celery worker` command line (Procfile, compose, systemd...) says how many children run.
 */
import type { Node } from '../../python/parser';
import type { FileFacts, ProcessStart } from '../../model/facts';
import { configScope } from '../../model/facts';
import type { PythonModuleView } from './moduleView';
import { callArguments, calleeName, callsMatching, spanOf, stringValue } from './syntax';
import * as path from 'path';
import { CountReading, CPU_COUNT, countFromPython, known, unknown } from '../counts';

const SIGNALS = /\b(after_setup_logger|after_setup_task_logger|setup_logging|worker_process_init)\.connect\b/;

export function readCeleryApp(root: Node, text: string, facts: FileFacts, view: PythonModuleView, workspaceRoot: string): void {
  if (!/Celery|setup_logg|worker_process_init/.test(text)) return;
  const module = view.moduleName;
  // The module declares these starts; it does not execute them (a Django project imports its
  // Celery app in every web worker too). `celery worker` does: a config scope, like a launcher.
  const scope = configScope(facts.file);
  const file = facts.file;
  const count = celeryConcurrency(root, text, view);
  const hijack = view.moduleValue('worker_hijack_root_logger');
  const notes = [count.note];
  if (hijack?.type === 'false') notes.push('worker_hijack_root_logger = False: the app keeps its own root handlers in every child');

  for (const call of callsMatching(root, text, /\bCelery\b/g)) {
    const name = calleeName(call);
    if (name !== 'Celery' && !name.endsWith('.Celery')) continue;
    const include = callArguments(call).keywords.get('include');
    const included = include ? include.namedChildren.map((c) => stringValue(c)).filter((v): v is string => v !== undefined) : [];
    const statement = call.parent?.type === 'assignment' ? call.parent : call;
    // Only an app that says how many children it runs is a start by itself: otherwise the
    // command line (`celery -A proj worker -P solo` / `-c 4`) decides, and it may be elsewhere.
    if (!count.explicit) continue;
    facts.starts.push(start(`Celery prefork workers of the app in ${module}`, spanOf(statement, file), [module, ...included], [], !count.singleProcess));
  }

  const hooks: { name: string; node: Node; signal: string; at: Node }[] = [];
  for (const def of view.topLevelFunctions([])) {
    for (const decorator of def.decorators) {
      const m = SIGNALS.exec(decorator.text);
      if (m) hooks.push({ name: def.name, node: def.node, signal: m[1], at: decorator });
    }
  }
  for (const call of callsMatching(root, text, /\.connect\b/g)) {
    const m = SIGNALS.exec(calleeName(call));
    const target = callArguments(call).positional[0];
    if (m && target?.type === 'identifier' && !call.parent?.type.includes('decorator')) hooks.push({ name: target.text, node: call, signal: m[1], at: call });
  }
  for (const hook of hooks) {
    // worker_process_init runs only in pool children; the logging signals also in the main process.
    // A solo/threads pool has no children: the one process is all there is.
    const inParent = hook.signal !== 'worker_process_init' && !count.singleProcess;
    facts.starts.push(
      start(
        `Celery prefork workers running ${hook.signal} receiver ${hook.name}()`,
        spanOf(hook.at, file),
        [],
        [{ fromModule: module, name: hook.name, span: spanOf(hook.node, file) }],
        inParent,
      ),
    );
  }

  function start(what: string, span: ProcessStart['span'], entryModules: string[], initializers: ProcessStart['initializers'], parentAlsoRuns: boolean): ProcessStart {
    const words = notes.filter(Boolean).join('; ');
    const s: ProcessStart = {
      mechanism: 'celery',
      span,
      scope,
      targets: [],
      initializers,
      entryModules,
      count: count.count,
      startMethod: 'fork',
      description: `${what} (${path.relative(workspaceRoot, file).replace(/\\/g, '/')}:${span.start.line + 1})${words ? `; ${words}` : ''}`,
    };
    if (parentAlsoRuns) {
      s.parentAlsoRuns = true;
      // The logging signals fire in the main process as well as in every pool child.
      if (initializers.length) s.parentInitializers = initializers;
    }
    return s;
  }
}

/** `worker_concurrency = 4`, `app.conf.worker_concurrency = 4`, `app.conf.update(worker_concurrency=4)`, `worker_pool = 'solo'`. */
function celeryConcurrency(root: Node, text: string, view: PythonModuleView): CountReading & { explicit?: boolean; singleProcess?: boolean } {
  const explicit = (reading: CountReading | undefined) => (reading ? { ...reading, explicit: true } : undefined);
  const pool = stringValue(view.moduleValue('worker_pool'));
  if (pool && /^(solo|threads|gevent|eventlet)$/.test(pool)) {
    return { ...explicit(known(1, spanOf(view.moduleValue('worker_pool')!, view.file), `worker_pool ${pool}: one process`))!, singleProcess: true };
  }
  const direct = view.moduleValue('worker_concurrency') ?? view.moduleValue('CELERYD_CONCURRENCY');
  if (direct) return explicit(countFromPython(direct.text, spanOf(direct.parent ?? direct, view.file)) ?? unknown(`\`${direct.text}\``, undefined))!;
  for (const assignment of /\.conf\.worker_concurrency\s*=/.test(text) ? root.descendantsOfType('assignment') : []) {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type === 'attribute' && /\.conf\.worker_concurrency$/.test(left.text) && right) {
      return explicit(countFromPython(right.text, spanOf(assignment, view.file)) ?? unknown(`\`${right.text}\``, undefined))!;
    }
  }
  for (const call of callsMatching(root, text, /\.update\b/g)) {
    if (!/\.conf\.update$/.test(calleeName(call))) continue;
    const value = callArguments(call).keywords.get('worker_concurrency');
    if (value) return explicit(countFromPython(value.text, spanOf(value.parent ?? value, view.file)) ?? unknown(`\`${value.text}\``, undefined))!;
  }
  return unknown(CPU_COUNT, 2, undefined, 'Celery prefork default: one pool child per CPU');
}
