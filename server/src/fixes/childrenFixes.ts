/**
 * Fixes for the two rules about what children get from their parent:
 *
 *   LF103  a child's QueueHandler reads a module-global queue it only has through fork: the child
 *          function takes the queue as a parameter (same name, so its body is unchanged) and the
 *          start passes it: `Process(target=f, args=(..., q))`, `Pool(initializer=f, initargs=(q,))`.
 *   LF104  a process re-execs itself while the children it started write on: before the exec,
 *          join the multiprocessing children and flush the logging handlers (seed 004's story:
 *          the new image starts its own writers only once the old ones are gone).
 *
 * Both are unsafe: the first changes a function's signature, the second makes the restart wait.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding } from '../model/findings';
import { addImportEdit, enclosing, nodeStartingAt, replaceNode } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixOffer, TextFileEdit } from './types';

export function childrenFixes(finding: Finding, ctx: FixContext): FixOffer[] {
  if (finding.rule !== 'LF103' && finding.rule !== 'LF104') return [];
  const file = finding.span.file;
  const text = ctx.readText(file);
  if (text === undefined) return [];
  const tree = ctx.parser.parse(text);
  if (!tree) return [];
  try {
    if (tree.rootNode.hasError) return [];
    const index = new LineIndex(file, text);
    const call = nodeStartingAt(tree, index.offsetAt(finding.span.start), 'call');
    if (!call) return [];
    // The starts the finding names as related evidence, when they are calls in this file.
    const starts = finding.related
      .filter((r) => r.span.file === file)
      .map((r) => nodeStartingAt(tree, index.offsetAt(r.span.start), 'call'))
      .filter((n): n is Node => !!n);
    if (!starts.length) return [];
    if (finding.rule === 'LF103') {
      const edits = passQueueExplicitly(file, tree, index, call, starts);
      return edits ? [{
        title: 'logfunnel (LF103): Pass the log queue to the child explicitly',
        strategy: 'rule',
        safety: 'unsafe',
        edits,
        note: 'The child function gets the queue as a parameter of the same name, and the start hands it over, so spawn and forkserver children log to the parent\'s listener too.',
      }] : [];
    }
    const edits = stopChildrenBeforeExec(file, tree, index, call, starts);
    return edits ? [{
      title: 'logfunnel (LF104): Wait for the children and flush the logs before re-executing',
      strategy: 'rule',
      safety: 'unsafe',
      edits,
      note: 'The restart now waits until the children it started have ended; the new image then starts its own writers alone.',
    }] : [];
  } finally {
    tree.delete();
  }
}

// ------------------------------------------------------------------------------------------ LF103

function passQueueExplicitly(file: string, tree: Tree, index: LineIndex, handlerCall: Node, starts: Node[]): TextFileEdit[] | undefined {
  const args = handlerCall.childForFieldName('arguments');
  const queueArg = args?.namedChildren.find((n) => n && n.type !== 'comment');
  const queueName = queueArg?.type === 'identifier' ? queueArg.text : queueArg?.type === 'keyword_argument' && queueArg.childForFieldName('value')?.type === 'identifier' ? queueArg.childForFieldName('value')!.text : undefined;
  if (!queueName) return undefined;
  const fn = enclosing(handlerCall, ['function_definition']);
  const fnName = fn?.childForFieldName('name')?.text;
  const params = fn?.childForFieldName('parameters');
  // A plain parameter list only: a new positional parameter after a default or *args would not parse.
  if (!fn || !fnName || !params || fn.parent?.type !== 'module') return undefined;
  if (params.namedChildren.some((p) => p && p.type !== 'identifier')) return undefined;
  // Called from nowhere else: every caller would need the new argument.
  const otherCalls = tree.rootNode.descendantsOfType('call').filter((c) => c?.childForFieldName('function')?.text === fnName);
  if (otherCalls.length) return undefined;
  const edits: TextFileEdit[] = [];
  const names = params.namedChildren.filter((p): p is Node => !!p).map((p) => p.text);
  edits.push(replaceNode(file, index, params, `(${[...names, queueName].join(', ')})`));
  let passed = 0;
  for (const start of starts) {
    const edit = addStartArgument(file, index, start, fnName, queueName);
    if (edit === null) return undefined;
    if (edit) {
      edits.push(edit);
      passed++;
    }
  }
  return passed ? edits : undefined;
}

/**
 * `Process(target=f, args=(a,))` → `args=(a, q)`; `Pool(n, initializer=f)` → `initargs=(q,)`.
 * undefined when the start does not run `fnName`; null when it does but cannot be rewritten.
 */
function addStartArgument(file: string, index: LineIndex, start: Node, fnName: string, queueName: string): TextFileEdit | null | undefined {
  const args = start.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return null;
  const keywords = new Map<string, Node>();
  for (const a of args.namedChildren) if (a?.type === 'keyword_argument') keywords.set(a.childForFieldName('name')?.text ?? '', a);
  const runKey = keywords.get('target')?.childForFieldName('value')?.text === fnName ? 'target'
    : keywords.get('initializer')?.childForFieldName('value')?.text === fnName ? 'initializer' : undefined;
  if (!runKey) return undefined;
  const argsKey = runKey === 'target' ? 'args' : 'initargs';
  const existing = keywords.get(argsKey);
  if (!existing) {
    const run = keywords.get(runKey)!;
    return { file, range: { start: index.position(run.endIndex), end: index.position(run.endIndex) }, newText: `, ${argsKey}=(${queueName},)` };
  }
  const value = existing.childForFieldName('value');
  if (!value || value.type !== 'tuple') return null;
  const items = value.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment').map((n) => n.text);
  return replaceNode(file, index, value, `(${[...items, queueName].join(', ')})`);
}

// ------------------------------------------------------------------------------------------ LF104

function stopChildrenBeforeExec(file: string, tree: Tree, index: LineIndex, exec: Node, starts: Node[]): TextFileEdit[] | undefined {
  // Only multiprocessing.Process children: pool workers never end by themselves, a join would hang.
  if (!starts.every((s) => /(^|\.)Process$/.test(s.childForFieldName('function')?.text ?? ''))) return undefined;
  const statement = enclosing(exec, ['expression_statement']);
  if (!statement || !enclosing(statement, ['function_definition', 'module'])) return undefined;
  const indent = /^\s*/.exec(index.lineText(statement.startPosition.row))![0];
  const at = { line: statement.startPosition.row, character: 0 };
  const edits: TextFileEdit[] = [{
    file,
    range: { start: at, end: at },
    newText:
      `${indent}# logfunnel: the children started here must end before the new image starts its own writers.\n`
      + `${indent}for child in multiprocessing.active_children():\n`
      + `${indent}    child.join()\n`
      + `${indent}logging.shutdown()\n`,
  }];
  for (const module of ['logging', 'multiprocessing']) {
    const imp = addImportEdit(file, tree, index, module);
    if (imp) edits.push(imp);
  }
  return edits;
}
