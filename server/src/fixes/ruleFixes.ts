/**
 * Fixes for the safety rules, each a small local edit at the hazard:
 *   LF102  `multiprocessing.Queue()` handed to a pool → `multiprocessing.Manager().Queue()`
 *          (a manager proxy pickles into task arguments; the plain queue raises RuntimeError).
 *   LF101  `pickle.loads(data)` on received bytes → an Unpickler subclass whose find_class refuses
 *          every global (a log record is a dict of plain values; code execution needs a global).
 *   LF105  the sending logger gets `propagate = False`, so its records are sent once.
 *   LF106  `pool.close()` and `pool.join()` end the `with Pool(...)` block, so the workers exit
 *          and flush their queues instead of being terminated.
 */
import type { Node } from 'web-tree-sitter';
import type { HazardFact } from '../model/facts';
import type { Tree } from 'web-tree-sitter';
import { addImportEdit, enclosing, insertAtLine, nodeStartingAt, replaceNode } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixOffer, TextFileEdit } from './types';

export function ruleFixes(hazard: HazardFact, ctx: FixContext): FixOffer[] {
  // A hazard in a log config (LF105 between two loggers of a YAML file) has no code edit.
  if (!/\.pyw?$/.test(hazard.span.file)) return [];
  const text = ctx.readText(hazard.span.file);
  if (text === undefined) return [];
  const tree = ctx.parser.parse(text);
  if (!tree) return [];
  const index = new LineIndex(hazard.span.file, text);
  try {
    const call = nodeStartingAt(tree, index.offsetAt(hazard.span.start), 'call');
    if (!call) return [];
    if (hazard.rule === 'LF102') {
      const edits = managerQueueEdits(hazard.span.file, index, call);
      return edits.length
        ? [{
            title: 'logfunnel (LF102): Create the log queue with Manager().Queue()',
            strategy: 'rule',
            safety: 'safe',
            edits,
            note: 'A manager queue is a proxy that pickles into task arguments; the records still reach the same listener.',
          }]
        : [];
    }
    if (hazard.rule === 'LF101') {
      const edits = restrictedUnpicklerEdits(hazard.span.file, tree, index, call);
      return edits.length
        ? [{
            title: 'logfunnel (LF101): Unpickle log records with an unpickler that refuses every global',
            strategy: 'rule',
            safety: 'unsafe',
            edits,
            note: 'SocketHandler sends each record as a pickled dict of plain values, which loads without any global; '
              + 'a payload naming a class or function (the way a pickle runs code) is refused. Records whose extras '
              + 'hold objects are refused too. `python -m logfunnel.server` is a ready-made receiver that does this.',
          }]
        : [];
    }
    if (hazard.rule === 'LF105') {
      const edit = noPropagateEdit(hazard.span.file, index, call);
      return edit
        ? [{
            title: 'logfunnel (LF105): Stop propagation from the sending logger',
            strategy: 'rule',
            safety: 'unsafe',
            edits: [edit],
            note: 'Ancestor handlers other than the duplicate sink no longer see these records either.',
          }]
        : [];
    }
    if (hazard.rule === 'LF106') {
      const join = joinPoolEdit(hazard.span.file, index, call);
      return join
        ? [{
            title: 'logfunnel (LF106): Close and join the pool before the with block ends',
            strategy: 'rule',
            safety: join.waitsForTasks ? 'unsafe' : 'safe',
            edits: [join.edit],
            note: join.waitsForTasks
              ? 'The block now waits for the tasks still queued or running (submitted with *_async or imap) instead of killing them.'
              : 'Every task has finished when map/starmap/apply return; the workers now exit on their own and flush their queues.',
          }]
        : [];
    }
    return [];
  } finally {
    tree.delete();
  }
}

/** Pool methods that return only once their tasks are done: joining after them waits for nothing else. */
const BLOCKING_POOL_METHODS = new Set(['map', 'starmap', 'apply', 'close', 'join']);

/**
 * `with Pool(...) as p:` → `p.close()` and `p.join()` as the block's last statements. Declined when
 * the block can leave early (`return`, `break`, `continue`): the join would be skipped there.
 */
function joinPoolEdit(file: string, index: LineIndex, poolCall: Node): { edit: TextFileEdit; waitsForTasks: boolean } | undefined {
  const asPattern = poolCall.parent;
  if (asPattern?.type !== 'as_pattern') return undefined;
  const name = asPattern.childForFieldName('alias')?.text;
  const withStatement = enclosing(asPattern, ['with_statement']);
  const body = withStatement?.childForFieldName('body');
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !body || body.startPosition.row === withStatement!.startPosition.row) return undefined;
  if (body.descendantsOfType(['return_statement', 'break_statement', 'continue_statement']).some((n) => n && leavesBlock(n, body))) return undefined;
  const statements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (!statements.length) return undefined;
  const indent = /^\s*/.exec(index.lineText(statements[0].startPosition.row))![0];
  const waitsForTasks = body.descendantsOfType('call').some((call) => {
    const fn = call?.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('object')?.text === name && !BLOCKING_POOL_METHODS.has(fn.childForFieldName('attribute')?.text ?? '');
  });
  const last = statements[statements.length - 1];
  return { edit: insertAtLine(file, index, last.endPosition.row + 1, `${indent}${name}.close()\n${indent}${name}.join()\n`), waitsForTasks };
}

/** `<q> = <recv>.Queue(...)` in the scope of the dispatch → `<recv>.Manager().Queue(...)`. */
function managerQueueEdits(file: string, index: LineIndex, dispatch: Node): TextFileEdit[] {
  const scope = enclosing(dispatch, ['function_definition', 'module'])!;
  const edits: TextFileEdit[] = [];
  for (const assign of scope.descendantsOfType('assignment')) {
    const right = assign?.childForFieldName('right');
    if (!right || right.type !== 'call') continue;
    const fn = right.childForFieldName('function');
    if (!fn || fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'Queue') continue;
    const receiver = fn.childForFieldName('object')!;
    if (/Manager\(\)$/.test(receiver.text) || receiver.text === 'queue') continue;
    // Only queues that flow into the dispatch (directly or through a variable built from them).
    const name = assign!.childForFieldName('left')?.text;
    if (!name || !scope.text.includes(name)) continue;
    edits.push(replaceNode(file, index, fn, `${receiver.text}.Manager().Queue`));
  }
  return edits;
}

/** After the statement `<logger>.addHandler(<call>)`: `<logger>.propagate = False`. */
function noPropagateEdit(file: string, index: LineIndex, handlerCall: Node): TextFileEdit | undefined {
  const addHandler = enclosing(handlerCall.parent ?? handlerCall, ['call']);
  const fn = addHandler?.childForFieldName('function');
  if (!fn || fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'addHandler') return undefined;
  const logger = fn.childForFieldName('object')!.text;
  const statement = enclosing(addHandler!, ['expression_statement']);
  if (!statement) return undefined;
  const indent = /^\s*/.exec(index.lineText(statement.startPosition.row))![0];
  return insertAtLine(file, index, statement.endPosition.row + 1, `${indent}${logger}.propagate = False\n`);
}

const RESTRICTED_UNPICKLER = '_NoGlobalsUnpickler';

/** `pickle.loads(x)` → `_NoGlobalsUnpickler(io.BytesIO(x)).load()`, with the class defined once. */
function restrictedUnpicklerEdits(file: string, tree: Tree, index: LineIndex, call: Node): TextFileEdit[] {
  const fn = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  if (!fn || fn.text !== 'pickle.loads' || args.length !== 1 || args[0].type === 'keyword_argument') return [];
  const edits: TextFileEdit[] = [replaceNode(file, index, call, `${RESTRICTED_UNPICKLER}(io.BytesIO(${args[0].text})).load()`)];
  const io = addImportEdit(file, tree, index, 'io');
  if (io) edits.push(io);
  if (!index.text.includes(`class ${RESTRICTED_UNPICKLER}(`)) {
    // Module level, before the first function or class: after the imports.
    const top = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
    const firstDef = top.find((c) => ['function_definition', 'class_definition', 'decorated_definition'].includes(c.type));
    const line = firstDef ? firstDef.startPosition.row : index.lineCount;
    const at = line >= index.lineCount ? index.position(index.text.length) : { line, character: 0 };
    edits.push({
      file,
      range: { start: at, end: at },
      newText:
        `class ${RESTRICTED_UNPICKLER}(pickle.Unpickler):\n`
        + `    """Log records arrive as pickled dicts of plain values; refusing every global keeps a hostile payload from running code."""\n\n`
        + `    def find_class(self, module, name):\n`
        + `        raise pickle.UnpicklingError(f'refused global {module}.{name} in a received log record')\n\n\n`,
    });
  }
  return edits;
}

/** Whether `exit` (return/break/continue) leaves `block`, not only a function or loop nested in it. */
function leavesBlock(exit: Node, block: Node): boolean {
  for (let n = exit.parent; n && n.id !== block.id; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
    if (exit.type !== 'return_statement' && (n.type === 'for_statement' || n.type === 'while_statement')) return false;
  }
  return true;
}
