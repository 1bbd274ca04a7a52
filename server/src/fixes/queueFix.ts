/**
 * Stdlib queue strategy for a file handler created in code and used by the workers a
 * `multiprocessing.Pool` / `ProcessPoolExecutor` / `Process` start in the same file runs:
 *
 *   - the handler's creation `X(args)` becomes `_log_queue_handler`, one module-level
 *     `QueueHandler` (the lines that set its formatter and level stay and now apply to it, so
 *     each process formats its own records exactly as before);
 *   - before the start, the starting process builds a `QueueListener` on a `Manager().Queue()`
 *     owning `X(args)` as written (it writes the pre-formatted lines), stopped at exit (atexit);
 *   - the queue reaches the workers explicitly, so it works under spawn: `initializer=`/`initargs=`
 *     for pools (an existing initializer is chained through the same helper), the Process target
 *     wrapped with its `args=`.
 *
 * Offered only when that rewrite is local: the file creates this one file handler, every start
 * of the finding in this file under `if __name__ == '__main__':` or in a function, one block
 * holding them all, and the handler's arguments naming only module-level names.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding } from '../model/findings';
import type { ProcessStart } from '../model/facts';
import { shortPathLabel, stdlibClassName } from './dropIns';
import { insertAtLine, lineAfterImports, nodeStartingAt, replaceNode } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixOffer, TextFileEdit } from './types';

const QUEUE_HANDLER = '_log_queue_handler';
const LOG_THROUGH = '_log_through_queue';
const LISTENER = '_log_listener';
const MECHANISMS = new Set<ProcessStart['mechanism']>(['multiprocessing.Pool', 'ProcessPoolExecutor', 'multiprocessing.Process']);
/** Builtins a handler argument may use besides module-level names. */
const BUILTINS = new Set(['int', 'str', 'float', 'bool', 'len', 'min', 'max', 'abs', 'dict', 'list', 'tuple', 'round', 'print']);
const FILE_KINDS = new Set(['rotating-size', 'rotating-time', 'plain-file', 'watched-file']);
const IMPORTS = ['atexit', 'logging.handlers', 'multiprocessing', 'queue'];

export function queueFix(finding: Finding, ctx: FixContext): FixOffer[] {
  const handler = finding.handler;
  const starts = finding.starts ?? [];
  if (!handler || handler.origin !== 'code' || !starts.length) return [];
  // A stdlib class: the analysis recognises it handed to the QueueListener (a workspace subclass,
  // resolved across files, is not), and basicConfig(filename=) is no handler expression to move.
  if (handler.className === 'logging.basicConfig' || !stdlibClassName(handler.className)) return [];
  // picologging loggers want picologging handlers; the stdlib QueueHandler is not proven with them.
  if (handler.className.startsWith('picologging')) return [];
  const file = handler.span.file;
  if (starts.some((s) => s.span.file !== file || !MECHANISMS.has(s.mechanism))) return [];
  // One listener per file is what the helper builds: a file with a second file handler would
  // need a listener for each, which is no longer a small local edit.
  const fileHandlers = ctx.program?.modules.find((m) => m.file === file)?.facts.handlers.filter((h) => FILE_KINDS.has(h.kind));
  if (!fileHandlers || fileHandlers.length !== 1) return [];
  const text = ctx.readText(file);
  if (text === undefined || text.includes(QUEUE_HANDLER) || text.includes(LOG_THROUGH)) return [];
  const tree = ctx.parser.parse(text);
  if (!tree) return [];
  try {
    const edits = rewrite(file, tree, new LineIndex(file, text), handler.span.start, starts);
    if (!edits?.length) return [];
    return [{
      title: `logfunnel (${finding.rule}): Write ${shortPathLabel(handler.path)} from one QueueListener (stdlib queue)`,
      strategy: 'queue',
      // Which process writes changes, and the start's target/initializer now runs through a wrapper.
      safety: 'unsafe',
      edits,
      note: 'Every process formats its records and puts them on a Manager().Queue(); one QueueListener in the process that '
        + 'starts the workers writes them with the original handler and is stopped at exit. Records a worker logs before its '
        + 'initializer (or Process target) runs are kept until then.',
    }];
  } finally {
    tree.delete();
  }
}

function rewrite(file: string, tree: Tree, index: LineIndex, handlerStart: { line: number; character: number }, starts: ProcessStart[]): TextFileEdit[] | undefined {
  const root = tree.rootNode;
  if (root.hasError) return undefined;
  const topNames = topLevelNames(root);
  for (const name of ['atexit', 'queue', 'multiprocessing', 'logging']) {
    const bound = topNames.get(name);
    if (bound && bound !== 'import') return undefined; // the name means something else here
  }
  const creation = nodeStartingAt(tree, index.offsetAt(handlerStart), 'call');
  if (!creation || !refersToModuleNamesOnly(creation, topNames)) return undefined;

  const startCalls = starts.map((s) => nodeStartingAt(tree, index.offsetAt(s.span.start), 'call'));
  if (startCalls.some((c) => !c)) return undefined;
  const calls = startCalls as Node[];
  // billiard pools take the same arguments, but a stdlib Manager queue in them is not proven here.
  if (calls.some((c) => /^billiard\b/.test(c.childForFieldName('function')?.text ?? ''))) return undefined;
  // The starting code must not run in the workers: a main guard or a function body, one block for all.
  const blocks = calls.map(parentBlock);
  const block = blocks[0];
  if (!block || blocks.some((b) => !b || b.id !== block.id)) return undefined;
  if (creation.startIndex >= block.startIndex && creation.endIndex <= block.endIndex) return undefined; // already the parent's code
  const statements = calls.map((c) => statementIn(block, c)!).sort((a, b) => a.startIndex - b.startIndex);
  const first = statements[0];

  const edits: TextFileEdit[] = [];
  const wrappers = new Map<string, string>();
  for (const [i, call] of calls.entries()) {
    const passed = passQueue(file, index, call, starts[i].mechanism, topNames);
    if (!passed) return undefined;
    edits.push(passed.edit);
    if (passed.wrap) wrappers.set(passed.wrap.name, wrapperText(passed.wrap.name, passed.wrap.fn));
  }
  if (wrappers.size) {
    // Module level (picklable under spawn), just before the top-level statement holding the starts.
    let top = block;
    while (top.parent && top.parent.type !== 'module') top = top.parent;
    const at = { line: top.startPosition.row, character: 0 };
    edits.push({ file, range: { start: at, end: at }, newText: [...wrappers.values()].join('') });
  }
  edits.push(replaceNode(file, index, creation, QUEUE_HANDLER));
  const indent = /^\s*/.exec(index.lineText(first.startPosition.row))![0];
  const listenerAt = { line: first.startPosition.row, character: 0 };
  edits.push({
    file,
    range: { start: listenerAt, end: listenerAt },
    newText:
      `${indent}# logfunnel: the workers put their records on this queue; this listener alone writes the file.\n`
      + `${indent}${LISTENER} = logging.handlers.QueueListener(multiprocessing.Manager().Queue(), ${creation.text})\n`
      + `${indent}${LISTENER}.start()\n`
      + `${indent}atexit.register(${LISTENER}.stop)\n`
      + `${indent}${LOG_THROUGH}(${LISTENER}.queue)  # and so do this process's own records\n`,
  });
  edits.push(helperEdit(file, tree, index));
  return edits;
}

/** The imports the helper needs and the helper itself, after the module's imports. */
function helperEdit(file: string, tree: Tree, index: LineIndex): TextFileEdit {
  const top = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
  const imports = top.filter((c) => c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement');
  const present = new Set(imports.filter((c) => c.type === 'import_statement').flatMap((c) => c.namedChildren.filter((n) => n?.type === 'dotted_name').map((n) => n!.text)));
  const missing = IMPORTS.filter((m) => !present.has(m)).map((m) => `import ${m}\n`).join('');
  const helper =
    `\n# logfunnel: every process logs through this handler to the QueueListener of the process that starts the\n`
    + `# workers, the only writer of the file. Until ${LOG_THROUGH}() runs, records wait in a local queue.\n`
    + `${QUEUE_HANDLER} = logging.handlers.QueueHandler(queue.SimpleQueue())\n\n\n`
    + `def ${LOG_THROUGH}(log_queue):\n`
    + `    """Send this process's records, those waiting included, to \`log_queue\` (a Pool initializer in the workers)."""\n`
    + `    waiting, ${QUEUE_HANDLER}.queue = ${QUEUE_HANDLER}.queue, log_queue\n`
    + `    while isinstance(waiting, queue.SimpleQueue) and not waiting.empty():\n`
    + `        log_queue.put(waiting.get())\n\n`;
  return insertAtLine(file, index, lineAfterImports(tree, index), `${missing}${helper}`);
}

/**
 * The edit handing the queue to one start:
 *   Pool(4)                                  → Pool(4, initializer=_log_through_queue, initargs=(_log_listener.queue,))
 *   Pool(initializer=f, initargs=(a,))       → Pool(initializer=_log_through_queue, initargs=(_log_listener.queue, f, a))
 *   Process(target=f, args=(a,))             → Process(target=_log_through_queue, args=(_log_listener.queue, f, a))
 */
function passQueue(file: string, index: LineIndex, call: Node, mechanism: ProcessStart['mechanism'], topNames: Map<string, 'import' | 'other'>): { edit: TextFileEdit; wrap?: { name: string; fn: string } } | undefined {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return undefined;
  const all = args.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment');
  if (all.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const positional = all.filter((a) => a.type !== 'keyword_argument');
  const keyword = new Map(all.filter((a) => a.type === 'keyword_argument').map((a) => [a.childForFieldName('name')?.text ?? '', a]));
  const value = (k: string) => keyword.get(k)?.childForFieldName('value');
  const queueArg = `${LISTENER}.queue`;
  const [runKey, argsKey] = mechanism === 'multiprocessing.Process' ? ['target', 'args'] : ['initializer', 'initargs'];
  // Only the count (Pool/Executor) or nothing (Process) positionally: the rest must be keywords.
  if (positional.length > (mechanism === 'multiprocessing.Process' ? 0 : 1)) return undefined;
  const run = value(runKey);
  if (mechanism === 'multiprocessing.Process' && !run) return undefined;
  // The wrapper calls the user's function by name, so the analysis still sees what the workers run.
  if (run && (run.type !== 'identifier' || topNames.get(run.text) !== 'other')) return undefined;
  const wrap = run ? wrapperName(run.text) : undefined;
  const rest = value(argsKey);
  const restText = !rest ? '' : rest.type === 'tuple' || rest.type === 'list'
    ? rest.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment').map((n) => n.text).join(', ')
    : `*${rest.text}`;
  const passed = [queueArg, ...(restText ? [restText] : [])].join(', ');
  const newArgs = `${argsKey}=(${passed}${restText ? '' : ','})`;
  // Rewrite the two keywords in place when present; else append them after the last argument.
  const parts: string[] = [];
  for (const a of all) {
    const name = a.type === 'keyword_argument' ? a.childForFieldName('name')?.text : undefined;
    if (name === runKey) parts.push(`${runKey}=${wrap}`);
    else if (name === argsKey) continue;
    else parts.push(a.text);
  }
  if (!run) parts.push(`${runKey}=${LOG_THROUGH}`);
  const at = parts.findIndex((p) => p.startsWith(`${runKey}=`));
  parts.splice(at + 1, 0, newArgs);
  if (/\n|#/.test(args.text.slice(1, -1))) {
    // A multi-line or commented argument list: keep its text, change the two keywords only.
    return undefined;
  }
  return { edit: replaceNode(file, index, args, `(${parts.join(', ')})`), wrap: run && wrap ? { name: wrap, fn: run.text } : undefined };
}

const wrapperName = (fn: string) => `_${fn.replace(/^_+/, '')}_with_log_queue`;

function wrapperText(wrapper: string, fn: string): string {
  return `def ${wrapper}(log_queue, *args, **kwargs):\n`
    + `    """${fn}() in a worker, its records sent to the parent's QueueListener (logfunnel)."""\n`
    + `    ${LOG_THROUGH}(log_queue)\n`
    + `    return ${fn}(*args, **kwargs)\n\n\n`;
}

/** The block of the main guard or function body that holds `node`. */
function parentBlock(node: Node): Node | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type !== 'block') continue;
    const owner = n.parent;
    if (owner?.type === 'function_definition') return n;
    if (owner?.type === 'if_statement' && owner.parent?.type === 'module' && /^__name__\s*==\s*['"]__main__['"]$/.test(owner.childForFieldName('condition')?.text ?? '')) return n;
  }
  return undefined;
}

function statementIn(block: Node, node: Node): Node | undefined {
  for (let n: Node | null = node; n; n = n.parent) if (n.parent?.id === block.id) return n;
  return undefined;
}

/** Names bound at module level (outside functions and classes): `import` or `other`. */
function topLevelNames(root: Node): Map<string, 'import' | 'other'> {
  const names = new Map<string, 'import' | 'other'>();
  const visit = (node: Node) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      switch (child.type) {
        case 'import_statement':
          for (const n of child.namedChildren) {
            if (n?.type === 'dotted_name') names.set(n.text.split('.')[0], 'import');
            else if (n?.type === 'aliased_import') names.set(n.childForFieldName('alias')?.text ?? '', 'import');
          }
          break;
        case 'import_from_statement':
          for (const n of child.childrenForFieldName('name')) {
            if (!n) continue;
            const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text.split('.').pop();
            if (alias && !names.has(alias)) names.set(alias, 'other');
          }
          break;
        case 'function_definition':
        case 'class_definition':
          names.set(child.childForFieldName('name')?.text ?? '', 'other');
          break;
        case 'decorated_definition': {
          const def = child.childForFieldName('definition');
          if (def) names.set(def.childForFieldName('name')?.text ?? '', 'other');
          break;
        }
        case 'expression_statement':
          for (const assign of child.namedChildren) {
            if (assign?.type !== 'assignment' && assign?.type !== 'augmented_assignment') continue;
            const left = assign.childForFieldName('left');
            const ids = left?.type === 'identifier' ? [left] : left?.descendantsOfType('identifier') ?? [];
            for (const id of ids) if (id && !names.has(id.text)) names.set(id.text, 'other');
          }
          break;
        case 'if_statement':
        case 'try_statement':
        case 'with_statement':
        case 'block':
        case 'else_clause':
        case 'except_clause':
        case 'finally_clause':
        case 'elif_clause':
          visit(child);
          break;
      }
    }
  };
  visit(root);
  return names;
}

/** Every name the call reads is bound at module level (or a builtin): it can be evaluated in the main guard. */
function refersToModuleNamesOnly(call: Node, topNames: Map<string, 'import' | 'other'>): boolean {
  for (const id of call.descendantsOfType('identifier')) {
    if (!id) continue;
    const parent = id.parent;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (!topNames.has(id.text) && !BUILTINS.has(id.text)) return false;
  }
  return true;
}
