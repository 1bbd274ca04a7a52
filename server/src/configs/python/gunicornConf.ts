/**
 * gunicorn config modules (`gunicorn.conf.py`, `-c` files): workers, threads, preload_app,
 * worker_class, wsgi_app, logconfig / logconfig_json / logconfig_dict, accesslog / errorlog,
 * server hooks that run in each worker (post_fork, post_worker_init) and hooks the master runs
 * before forking them (on_starting, when_ready, on_reload, pre_fork), defined in the module or
 * bound there from elsewhere (`hookRefs`).
 *
 * gunicorn executes this module in the master and forks the workers from it: what the module
 * sets up is in every worker, so its own scope is among the workers' child scopes.
 */
import * as path from 'path';
import type { Node } from '../../python/parser';
import type { FileFacts, ProcessStart, ScopeId, SymbolRef } from '../../model/facts';
import { configScope, moduleScope } from '../../model/facts';
import type { ConfigContext } from '../context';
import type { PythonModuleView } from './moduleView';
import { spanOf, stringValue } from './syntax';
import { CountReading, countFromPython, countFromWord, known } from '../counts';
import { findFile } from '../peek';
import { isStreamName, literalPath, expressionPath } from '../logPath';
import { workspaceEnvironment } from '../env';
import { appModule, GUNICORN_ACCESS_LOG, GUNICORN_ERROR_LOG } from '../programs';
import { childOnlyLineScope } from '../launch';

const SETTINGS = ['bind', 'workers', 'worker_class', 'threads', 'preload_app', 'wsgi_app', 'logconfig', 'logconfig_dict', 'logconfig_json', 'accesslog', 'errorlog', 'timeout', 'keepalive'];
const WORKER_HOOKS = ['post_fork', 'post_worker_init'];
/** Hooks the master runs before it forks workers (pre_fork: before each one). */
const MASTER_HOOKS = ['on_starting', 'when_ready', 'on_reload', 'pre_fork'];

export function isGunicornConfModule(file: string, values: Map<string, Node>): boolean {
  if (/gunicorn/i.test(path.basename(file))) return true;
  const present = SETTINGS.filter((s) => values.has(s));
  return values.has('bind') && (values.has('workers') || values.has('worker_class')) && present.length >= 3;
}

export function readGunicornConfModule(view: PythonModuleView, facts: FileFacts, ctx: ConfigContext): void {
  const module = view.moduleName;
  const scope = moduleScope(module);
  const file = facts.file;
  const statement = (name: string) => view.moduleValue(name)?.parent ?? undefined;
  const lineOf = (name: string) => {
    const s = statement(name);
    return s ? spanOf(s, file) : undefined;
  };
  const label = `${path.relative(ctx.workspaceRoot, file).replace(/\\/g, '/')}`;
  const notes: string[] = [];

  const workersNode = view.moduleValue('workers');
  let count: CountReading | undefined = workersNode ? countFromPython(workersNode.text, lineOf('workers')) : undefined;
  if (workersNode && !count) count = { count: { kind: 'unknown', dependsOn: `\`${workersNode.text}\``, source: lineOf('workers') } };
  if (!count) {
    const env = workspaceEnvironment(ctx.workspaceRoot, path.dirname(file)).get('WEB_CONCURRENCY');
    if (env) count = countFromWord(env.value);
    if (count && env) notes.push(`WEB_CONCURRENCY=${env.value} from ${env.from}`);
  }
  count ??= known(1, undefined, 'gunicorn default: 1 worker (WEB_CONCURRENCY unset)');

  const preload = view.moduleValue('preload_app')?.type === 'true';
  if (preload) notes.push('preload_app: the master imports the app before forking, so workers inherit its handlers');
  const workerClass = stringValue(view.moduleValue('worker_class'));
  if (workerClass) notes.push(`worker_class ${workerClass}`);
  const threads = view.moduleValue('threads')?.text;
  if (threads) notes.push(`${threads} threads per worker`);

  const childScopes = [scope];
  for (const setting of ['logconfig', 'logconfig_json']) {
    const node = view.moduleValue(setting);
    const value = stringValue(node);
    if (!node || value === undefined) continue;
    facts.configLoads.push({ kind: 'gunicorn', span: spanOf(node.parent ?? node, file), scope, file: { kind: 'literal', value } });
    const absolute = findFile(value, [path.dirname(file), ctx.workspaceRoot]);
    if (absolute) childScopes.push(configScope(absolute));
  }
  const dictNode = view.moduleValue('logconfig_dict');
  if (dictNode) {
    const value = view.dictNamed('logconfig_dict', dictNode);
    if (value) {
      facts.configLoads.push({ kind: 'gunicorn', span: spanOf(dictNode.parent ?? dictNode, file), scope });
      view.emitDict(value, scope, (h) => `declared in gunicorn logconfig_dict in ${path.basename(file)} (handlers.${h})`);
    }
  }
  const childOnlyScopes: ScopeId[] = [];
  for (const setting of ['accesslog', 'errorlog']) {
    const node = view.moduleValue(setting);
    if (!node || node.type === 'none') continue;
    const value = stringValue(node);
    if (value !== undefined && isStreamName(value)) continue;
    const span = spanOf(node.parent ?? node, file);
    // The master executes this module and opens both files, but only the workers serve
    // requests: the access log is created in a scope of its own that only they run.
    const access = setting === 'accesslog';
    const handlerScope = access ? childOnlyLineScope(file, span.start.line) : scope;
    if (access) childOnlyScopes.push(handlerScope);
    facts.handlers.push({
      kind: 'plain-file',
      className: `gunicorn ${setting}`,
      path: value !== undefined ? literalPath(value, 'code') : expressionPath(node.text, 'code'),
      span,
      scope: handlerScope,
      origin: 'config',
      note: access ? GUNICORN_ACCESS_LOG : GUNICORN_ERROR_LOG,
    });
  }

  const initializers = hookRefs(view, WORKER_HOOKS);
  const parentInitializers = hookRefs(view, MASTER_HOOKS);
  const wsgiApp = stringValue(view.moduleValue('wsgi_app'));
  const span = lineOf('workers') ?? lineOf('bind') ?? lineOf('wsgi_app') ?? { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const start: ProcessStart = {
    mechanism: 'gunicorn',
    span,
    scope,
    targets: [],
    initializers,
    entryModules: wsgiApp ? [appModule(wsgiApp)] : [],
    childScopes,
    count: count.count,
    startMethod: 'fork',
    description: `gunicorn workers = ${workersNode?.text ?? '(default)'} (${label}:${span.start.line + 1})${[...notes, count.note].filter(Boolean).length ? `; ${[...notes, count.note].filter(Boolean).join('; ')}` : ''}`,
  };
  if (parentInitializers.length) start.parentInitializers = parentInitializers;
  if (childOnlyScopes.length) start.childOnlyScopes = childOnlyScopes;
  if (preload) start.parentAlsoRuns = true;
  facts.starts.push(start);
}

/**
 * The server hooks a config module binds, as functions to run. gunicorn looks each hook up by
 * name among the module's globals, so a hook kept elsewhere counts as much as one defined here:
 * `def post_fork(server, worker):`, `from shop.hooks import on_starting`, or
 * `post_fork = hooks.post_fork` (resolved by the linker from this module: a dotted name through
 * its imports, a bare one through its aliases).
 */
function hookRefs(view: PythonModuleView, names: string[]): SymbolRef[] {
  const module = view.moduleName;
  const file = view.file;
  const refs: SymbolRef[] = view.topLevelFunctions(names).map((def) => ({ fromModule: module, name: def.name, span: spanOf(def.node, file) }));
  const bound = new Set(refs.map((r) => r.name));
  for (const imported of view.importedNames(names)) {
    if (bound.has(imported.name)) continue;
    bound.add(imported.name);
    refs.push({ fromModule: module, name: imported.name, span: spanOf(imported.statement, file) });
  }
  for (const name of names) {
    const value = bound.has(name) ? undefined : view.moduleValue(name);
    if (value?.type !== 'identifier' && value?.type !== 'attribute') continue;
    refs.push({ fromModule: module, name: value.text, span: spanOf(value.parent ?? value, file) });
  }
  return refs;
}
