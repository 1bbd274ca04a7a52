/**
 * Fixes for the two rules about what children get from their parent:
 *
 *   LF103  a child's QueueHandler reads a module-global queue it only has through fork: the child
 *          function takes the queue as a parameter and the start passes it (passQueue.ts).
 *   LF104  a process re-execs itself while the children it started write on: before the exec,
 *          join the multiprocessing children and flush the logging handlers (seed 004's story:
 *          the new image starts its own writers only once the old ones are gone).
 *
 * Both are unsafe: the first changes a function's signature, the second makes the restart wait.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Finding } from '../model/findings';
import { passQueueExplicitly } from './passQueue';
import { addImportEdit, enclosing, nodeStartingAt } from './pythonText';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixOffer, TextFileEdit } from './types';

export function childrenFixes(finding: Finding, ctx: FixContext): FixOffer[] {
  if (finding.rule === 'LF103') {
    const edits = passQueueExplicitly(finding, ctx);
    return edits ? [{
      title: 'logfunnel (LF103): Pass the log queue to the child explicitly',
      strategy: 'rule',
      safety: 'unsafe',
      edits,
      note: 'The child function gets the queue as a parameter, and the start hands it over, so spawn and forkserver children log to the parent\'s listener too.',
    }] : [];
  }
  if (finding.rule !== 'LF104') return [];
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
