/**
 * The LF103 fix: the child function takes the queue as a parameter and each start hands it
 * over: `Process(target=f, args=(..., q))`, `Pool(initializer=f, initargs=(q,))`. A global of
 * the function's own module keeps its name, so the body is unchanged. A global of another module
 * (`logqueue.log_queue`, or `log_queue` from `from logqueue import log_queue`) becomes the
 * parameter `log_queue` in the handler's call, and the starts pass `logqueue.log_queue`, the
 * module's attribute as the parent assigned it (the parent's own `from` import of it would still
 * hold what the module had when it was imported); a start file that does not import the module
 * gets `import logqueue`. The starts may be in other files than the function.
 *
 * Declined (no edit) when a rewrite could change what other code does: the function is not a
 * top-level `def` with plain parameters, something else calls it, a start runs it in a way
 * other than `target=`/`initializer=` with an `args` tuple, or the new parameter's name is
 * already used in its body.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Span, SymbolRef } from '../model/facts';
import type { Finding } from '../model/findings';
import { LineIndex } from '../model/lineIndex';
import type { ModuleRecord, Program, ResolvedSymbol } from '../model/program';
import { addImportEdit, enclosing, nodeStartingAt, replaceNode } from './pythonText';
import { editKey, type FixContext, type TextFileEdit } from './types';

interface ParsedFile {
  file: string;
  tree: Tree;
  index: LineIndex;
}

export function passQueueExplicitly(finding: Finding, ctx: FixContext): TextFileEdit[] | undefined {
  const trees = new Map<string, ParsedFile | null>();
  const open = (file: string): ParsedFile | undefined => {
    if (!trees.has(file)) {
      const text = ctx.readText(file);
      const tree = text === undefined ? null : ctx.parser.parse(text);
      // A file that does not parse gets no edit (its tree is freed at once, not read again).
      const parses = !!tree && !tree.rootNode.hasError;
      if (tree && !parses) tree.delete();
      trees.set(file, parses ? { file, tree: tree!, index: new LineIndex(file, text!) } : null);
    }
    return trees.get(file) ?? undefined;
  };
  try {
    return edits(finding, ctx.program, open);
  } finally {
    for (const parsed of trees.values()) parsed?.tree.delete();
  }
}

function edits(finding: Finding, program: Program | undefined, open: (file: string) => ParsedFile | undefined): TextFileEdit[] | undefined {
  const read = finding.hazard?.queueGlobal;
  const own = open(finding.span.file);
  if (!read || !own) return undefined;
  const handlerCall = nodeStartingAt(own.tree, own.index.offsetAt(finding.span.start), 'call');
  const queueArg = handlerCall ? queueArgument(handlerCall) : undefined;
  if (!handlerCall || !queueArg) return undefined;
  const param = read.name;
  const fn = enclosing(handlerCall, ['function_definition']);
  const fnName = fn?.childForFieldName('name')?.text;
  const params = fn?.childForFieldName('parameters');
  // A plain parameter list only: a new positional parameter after a default or *args would not parse.
  if (!fn || !fnName || !params || fn.parent?.type !== 'module') return undefined;
  if (params.namedChildren.some((p) => p && p.type !== 'identifier')) return undefined;
  const names = params.namedChildren.filter((p): p is Node => !!p).map((p) => p.text);
  if (names.includes(param)) return undefined;
  // Another module's global becomes a parameter of its bare name: that name must be free in the body.
  if (read.module !== undefined && queueArg.type === 'attribute' && usesName(fn.childForFieldName('body'), param)) return undefined;
  if (calledElsewhere(own, fnName, program)) return undefined;

  const out: TextFileEdit[] = [replaceNode(own.file, own.index, params, `(${[...names, param].join(', ')})`)];
  if (queueArg.type === 'attribute') out.push(replaceNode(own.file, own.index, queueArg, param));
  const starts = startsRunning(finding, own.file, fnName, program);
  if (!starts) return undefined;
  // The module whose global it is, for starts in other files.
  const homeName = read.module ?? program?.moduleOfFile(own.file)?.name;
  for (const { span, runKey } of starts) {
    const at = open(span.file);
    const start = at && nodeStartingAt(at.tree, at.index.offsetAt(span.start), 'call');
    if (!at || !start) return undefined;
    const value = at.file === own.file && read.module === undefined ? { text: param } : homeName ? moduleGlobal(at, homeName, param, own.file, program) : undefined;
    const edit = value && addStartArgument(at, start, fnName, runKey, value.text);
    if (!edit) return undefined;
    out.push(edit);
    if (value.importEdit) out.push(value.importEdit);
  }
  return starts.length ? dedupe(out) : undefined;
}

/**
 * Every start that runs the function, each of which must now pass the queue: from the linked
 * program (a start the finding does not name, a fork one say, would call it without the new
 * argument), or without one the finding's starts in the function's file. Undefined when one runs
 * it otherwise than as a `Process` target or an initializer (a pool task gets one argument).
 */
function startsRunning(finding: Finding, file: string, fnName: string, program: Program | undefined): { span: Span; runKey: RunKey }[] | undefined {
  const module = program?.moduleOfFile(file);
  if (!program || !module) return finding.related.filter((r) => r.span.file === file).map((r) => ({ span: r.span, runKey: undefined }));
  const runs = (ref: SymbolRef) => isFunction(program.resolveRef(ref), module, fnName);
  const out: { span: Span; runKey: RunKey }[] = [];
  for (const m of program.modules) {
    for (const s of m.facts.starts) {
      if (s.initializers.some(runs)) out.push({ span: s.span, runKey: 'initializer' });
      if (!s.targets.some(runs)) continue;
      if (s.mechanism !== 'multiprocessing.Process') return undefined;
      out.push({ span: s.span, runKey: 'target' });
    }
  }
  return out;
}

/** The QueueHandler's queue: its first positional argument or `queue=`. */
function queueArgument(call: Node): Node | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment') ?? [];
  const keyword = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'queue');
  const arg = keyword ? keyword.childForFieldName('value') : args.find((a) => a.type !== 'keyword_argument');
  return arg && (arg.type === 'identifier' || arg.type === 'attribute') ? arg : undefined;
}

/** Whether `name` is read or bound as a plain name in `body` (not as `x.name`). */
function usesName(body: Node | null, name: string): boolean {
  return (body?.descendantsOfType('identifier') ?? []).some((id) => id?.text === name && !(id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.equals(id)));
}

/**
 * Whether the function is called anywhere but the starts (a caller would miss the new argument):
 * from any module of the linked program, or without one, in its own file as written.
 */
function calledElsewhere(own: ParsedFile, fnName: string, program: Program | undefined): boolean {
  const module = program?.moduleOfFile(own.file);
  if (!program || !module) return own.tree.rootNode.descendantsOfType('call').some((c) => c?.childForFieldName('function')?.text === fnName);
  return program.modules.some((m) => m.facts.calls.some((c) => !c.passedTo && !c.decorates && isFunction(program.resolveRef(c.callee), module, fnName)));
}

/** Whether a resolved symbol is the top-level function `fnName` of `module`. */
function isFunction(symbol: ResolvedSymbol, module: ModuleRecord, fnName: string): boolean {
  return symbol.kind === 'function' && symbol.module === module && symbol.qualname === fnName;
}

/**
 * `<module>.<name>` as the start's file can write it: through its own import of the module, or
 * the module's dotted name with an `import` added. In the module itself, the bare name.
 */
function moduleGlobal(at: ParsedFile, moduleName: string, name: string, readerFile: string, program: Program | undefined): { text: string; importEdit?: TextFileEdit } | undefined {
  const home = program?.resolveModule(moduleName, readerFile);
  if (!program || !home) return undefined;
  if (home.file === at.file) return { text: name };
  const alias = moduleAlias(program, at.file, home);
  if (alias) return { text: `${alias}.${name}` };
  return { text: `${home.name}.${name}`, importEdit: addImportEdit(at.file, at.tree, at.index, home.name) };
}

/** The name a file binds the module to at its top level (`import a.b` binds `a.b` as written). */
function moduleAlias(program: Program, file: string, home: ModuleRecord): string | undefined {
  const module = program.moduleOfFile(file);
  for (const imp of module?.facts.imports ?? []) {
    if (!imp.scope.startsWith('module:')) continue;
    if (!imp.name && program.resolveModule(imp.module, file) === home) return imp.alias === imp.module.split('.')[0] ? imp.module : imp.alias;
    if (imp.name && imp.name !== '*' && program.resolveModule(`${imp.module}.${imp.name}`, file) === home) return imp.alias;
  }
  return undefined;
}

type RunKey = 'target' | 'initializer' | undefined;

/**
 * `Process(target=f, args=(a,))` → `args=(a, q)`; `Pool(n, initializer=f)` → `initargs=(q,)`.
 * `runKey`: the keyword that names `fnName` (either, when undefined). Undefined when the call
 * does not run `fnName` that way or cannot be rewritten.
 */
function addStartArgument(at: ParsedFile, start: Node, fnName: string, runKey: RunKey, value: string): TextFileEdit | undefined {
  const args = start.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const keywords = new Map<string, Node>();
  for (const a of args.namedChildren) if (a?.type === 'keyword_argument') keywords.set(a.childForFieldName('name')?.text ?? '', a);
  const runs = (key: string) => (runKey === undefined || runKey === key) && keywords.get(key)?.childForFieldName('value')?.text.split('.').pop() === fnName;
  const key = runs('target') ? 'target' : runs('initializer') ? 'initializer' : undefined;
  if (!key) return undefined;
  const argsKey = key === 'target' ? 'args' : 'initargs';
  const existing = keywords.get(argsKey);
  if (!existing) {
    const run = keywords.get(key)!;
    return { file: at.file, range: { start: at.index.position(run.endIndex), end: at.index.position(run.endIndex) }, newText: `, ${argsKey}=(${value},)` };
  }
  const tuple = existing.childForFieldName('value');
  if (!tuple || tuple.type !== 'tuple') return undefined;
  const items = tuple.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment').map((n) => n.text);
  return replaceNode(at.file, at.index, tuple, `(${[...items, value].join(', ')})`);
}

/** The same import added once, for two starts in one file. */
function dedupe(edits: TextFileEdit[]): TextFileEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = editKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
