/**
 * Re-reading a large file after a small edit without walking all of it again.
 *
 * A full read (extract.ts) walks the module's top-level statements in order; each adds facts
 * and changes the module-level state (names bound at module level, folded constants) that the
 * statements after it read. With a kept tree, every read also keeps, per top-level statement,
 * a private copy of what it added and the state writes it made (`StatementRecord`).
 *
 * After an edit, the statements wholly before the edit and wholly after it (same text, same
 * syntax: outside tree-sitter's changed ranges) keep their records; only the statements in
 * between are copied from the new tree and walked, after replaying the records before them.
 * The records after the edit are re-used, moved by the edit's line delta, when the walk of the
 * new statements leaves the module-level state exactly as the old ones did (same writes, same
 * names imported or defined, same number of process starts). Anything else — a statement
 * that changed facts of another one being walked again — falls back to a full read, which is
 * always correct. Syntax errors need no fallback: error nodes are top-level statements like any
 * other, and the syntax problems are listed from the new tree at the end as in a full read. The
 * result is the facts a full read of the new text gives (server/test/incrementalExtract.test.ts
 * checks that on random edits).
 *
 * A top-level class is recorded in parts — its head (decorators, the class's own fact) and each
 * statement of its body, which are walked with the module's names like top-level statements —
 * so an edit inside one method of a large class re-walks the head and that method only.
 *
 * Records are private deep copies (the facts handed out are mutated downstream: scopes keyed,
 * positions moved by the engine), so re-used records are copied out on every read; positions of
 * records after an edit are not rewritten but queued as line shifts, applied while copying.
 */
import type { Edit, Node as TreeSitterNode, Tree } from 'web-tree-sitter';
import type { FileFacts, Position } from '../model/facts';
import { ReextractPlan, RowShift, StatementRecord, extractPythonFactsWithRecords, reextractPythonFacts } from './extract';

interface FileRecords {
  file: string;
  moduleName: string;
  isPackageInit: boolean;
  /** Where the module node began (text before it is not in any statement). */
  rootStartIndex: number;
  statements: StatementRecord[];
}

/** Records of the read that produced each kept tree (they go away with the tree object). */
const recordsByTree = new WeakMap<Tree, FileRecords>();

/** How the last call went, for tests and benchmarks. */
export interface IncrementalStats {
  /** 'partial': records re-used; 'full': whole walk (first read, or a fallback). */
  mode: 'partial' | 'full';
  /** Top-level statements walked / re-used. */
  walked: number;
  reused: number;
  /** Why the records were not re-used (a full walk after an edit). */
  fallback?: string;
  /** Only some statements of one class were walked. */
  inClass?: boolean;
}

export let lastIncrementalStats: IncrementalStats | undefined;

/**
 * The facts of `tree` (a file whose tree is kept). With `previous` — the tree of the last read,
 * already edited with `edit`, from which `tree` was re-parsed — re-uses what it can of the last
 * read's records.
 */
export function extractForKeptTree(
  tree: Tree, file: string, moduleName: string, isPackageInit: boolean,
  previous?: { tree: Tree; edit?: Edit },
): FileFacts {
  const old = previous ? recordsByTree.get(previous.tree) : undefined;
  let result: { facts: FileFacts; records?: StatementRecord[] } | undefined;
  let fallback: string | undefined = previous ? 'no records of the last read' : undefined;
  if (old && previous?.edit && old.file === file && old.moduleName === moduleName && old.isPackageInit === isPackageInit) {
    try {
      const partial = reextract(tree, previous.tree, old, previous.edit);
      if ('facts' in partial) result = partial;
      else fallback = partial.fallback;
    } catch (e) {
      fallback = `error: ${(e as Error).message}`; // a full read below says what is wrong, if anything
    }
  }
  if (!result) {
    result = extractPythonFactsWithRecords(tree, file, moduleName, isPackageInit, deepCopy);
    lastIncrementalStats = { mode: 'full', walked: result.records?.length ?? 0, reused: 0, fallback };
  }
  if (result.records) {
    recordsByTree.set(tree, { file, moduleName, isPackageInit, rootStartIndex: tree.rootNode.startIndex, statements: result.records });
  }
  return result.facts;
}

function reextract(tree: Tree, oldTree: Tree, old: FileRecords, edit: Edit): { facts: FileFacts; records: StatementRecord[]; inClass?: boolean } | { fallback: string } {
  // Text before the module node's start belongs to no statement: an edit there can move it.
  if (edit.startIndex <= old.rootStartIndex) return { fallback: 'edit before the first statement' };
  const rootNode = tree.rootNode;
  const changed = oldTree.getChangedRanges(tree);
  const top = rootNode.namedChildren.filter((n): n is TreeSitterNode => !!n);
  const oldTop = old.statements;
  const untouched = (node: TreeSitterNode) => !changed.some((r) => r.startIndex <= node.endIndex && node.startIndex <= r.endIndex);
  const indexDelta = edit.newEndIndex - edit.oldEndIndex;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const afterRow = edit.oldEndPosition.row;
  const split = splitAround(top, oldTop, edit, untouched);
  const { p, s } = split;
  const suffix = oldTop.slice(oldTop.length - s).map((r) => moveRecord(r, afterRow, rowDelta, indexDelta));
  // A statement before the edit that one after it changed (a pool's tasks, a handler's loggers)
  // holds positions of the latter, which move too.
  const prefix = oldTop.slice(0, p).map((r) => (r.touched ? moveRecord(r, afterRow, rowDelta, 0, 0) : r));
  const middle = top.slice(p, top.length - s);
  const oldMiddle = oldTop.slice(p, oldTop.length - s);
  const result = reextractPythonFacts(tree, old.file, old.moduleName, old.isPackageInit, {
    prefix,
    middle,
    oldMiddle,
    suffix,
    suffixNodes: top.slice(top.length - s),
    copy: deepCopy,
    copierFor,
    classBody: middle.length === 1 && oldMiddle.length === 1 ? classBodyPlan(middle[0], oldMiddle[0], edit, untouched) : undefined,
  });
  if ('facts' in result) lastIncrementalStats = { mode: 'partial', walked: top.length - p - s, reused: p + s, inClass: !!result.inClass };
  return result;
}

/**
 * How many units before the edit (`p`) and after it (`s`) are unchanged: those before end
 * before the edit at the same place; those after start on a line after it, with the same text
 * moved by the edit; neither lies in a range tree-sitter reports as re-structured.
 */
function splitAround(nodes: readonly TreeSitterNode[], records: readonly StatementRecord[], edit: Edit, untouched: (n: TreeSitterNode) => boolean): { p: number; s: number } {
  const indexDelta = edit.newEndIndex - edit.oldEndIndex;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const same = (o: StatementRecord, n: TreeSitterNode, d: number, rd: number) =>
    n.type === o.type && n.startIndex === o.startIndex + d && n.endIndex === o.endIndex + d &&
    n.startPosition.row === o.startRow + rd && n.endPosition.row === o.endRow + rd;
  let p = 0;
  while (p < nodes.length && p < records.length) {
    const o = records[p];
    if (!(o.endIndex < edit.startIndex && same(o, nodes[p], 0, 0) && untouched(nodes[p]))) break;
    p++;
  }
  let s = 0;
  while (s < nodes.length - p && s < records.length - p) {
    const o = records[records.length - 1 - s];
    const n = nodes[nodes.length - 1 - s];
    if (!(o.startIndex > edit.oldEndIndex && o.startRow > edit.oldEndPosition.row && same(o, n, indexDelta, rowDelta) && untouched(n))) break;
    s++;
  }
  return { p, s };
}

/**
 * When the one statement to walk again is a class edited inside its body (its head, up to the
 * body's first statement, unchanged), the body statements to walk again; else undefined.
 */
function classBodyPlan(node: TreeSitterNode, record: StatementRecord, edit: Edit, untouched: (n: TreeSitterNode) => boolean): ReextractPlan['classBody'] {
  const parts = record.parts;
  if (!parts || node.type !== record.type || node.startIndex !== record.startIndex) return undefined;
  const def = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
  const body = def?.type === 'class_definition' ? def.childForFieldName('body') : null;
  const [head, ...oldBody] = parts;
  if (!body || body.startIndex !== head.endIndex || edit.startIndex <= head.endIndex) return undefined;
  const statements = body.namedChildren.filter((n): n is TreeSitterNode => !!n);
  const { p, s } = splitAround(statements, oldBody, edit, untouched);
  const afterRow = edit.oldEndPosition.row;
  const rowDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const indexDelta = edit.newEndIndex - edit.oldEndIndex;
  return {
    body,
    bodyPrefix: oldBody.slice(0, p).map((r) => (r.touched ? moveRecord(r, afterRow, rowDelta, 0, 0) : r)),
    bodyMiddle: statements.slice(p, statements.length - s),
    oldBodyMiddle: oldBody.slice(p, oldBody.length - s),
    bodySuffix: oldBody.slice(oldBody.length - s).map((r) => moveRecord(r, afterRow, rowDelta, indexDelta)),
  };
}

/**
 * A record of a statement after the edit, at its new place. Its stored positions are not
 * rewritten here (that would copy every record after the edit on every edit): the line shift
 * is queued, and applied when the record's facts are copied out (see `RowShift`).
 */
function moveRecord(record: StatementRecord, afterRow: number, rowDelta: number, indexDelta: number, statementRowDelta = rowDelta): StatementRecord {
  if (rowDelta === 0 && indexDelta === 0) return record;
  const moved: StatementRecord = {
    ...record,
    startIndex: record.startIndex + indexDelta,
    endIndex: record.endIndex + indexDelta,
    startRow: record.startRow + statementRowDelta,
    endRow: record.endRow + statementRowDelta,
  };
  if (record.parts) {
    moved.parts = record.parts.map((part) => moveRecord(part, afterRow, rowDelta, indexDelta, statementRowDelta));
    return moved;
  }
  if (rowDelta !== 0) {
    moved.rowShifts = [...(record.rowShifts ?? []), { afterRow, rowDelta }];
    if (moved.rowShifts.length > MAX_QUEUED_SHIFTS) {
      // Applied once, so that copying out stays cheap for a record many edits have moved.
      const copy = copierFor(moved.rowShifts);
      moved.facts = copy(record.facts);
      moved.writes = copy(record.writes);
      moved.loggerSinks = copy(record.loggerSinks);
      moved.rowShifts = undefined;
    }
  }
  return moved;
}

const MAX_QUEUED_SHIFTS = 8;

/** A deep copy of plain data (facts, bindings): every key kept, `undefined` values too. */
export function deepCopy<T>(value: T): T {
  return copyValue(value, undefined);
}

/** A deep copy that moves positions by the queued line shifts, in order. */
export function copierFor(shifts: readonly RowShift[] | undefined): <T>(value: T) => T {
  if (!shifts || shifts.length === 0) return deepCopy;
  const move = (line: number) => {
    for (const { afterRow, rowDelta } of shifts) if (line > afterRow) line += rowDelta;
    return line;
  };
  return <T>(value: T) => copyValue(value, move);
}

function copyValue<T>(value: T, move: ((line: number) => number) | undefined): T {
  if (typeof value !== 'object' || value === null) return value;
  return copyObject(value as object, move) as T;
}

/** Primitives are assigned in the loops (no call per string or number: most values are). */
function copyObject(value: object, move: ((line: number) => number) | undefined): object {
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const item = value[i];
      out[i] = typeof item === 'object' && item !== null ? copyObject(item, move) : item;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  const start = record.start as Position | undefined;
  if (start !== undefined && typeof record.file === 'string') {
    const end = record.end as Position | undefined;
    if (end !== undefined && typeof start.line === 'number' && typeof end.line === 'number' && Object.keys(record).length === 3) {
      // A span (most of the objects): one literal, the same key order as `span()` makes.
      return {
        file: record.file,
        start: { line: move ? move(start.line) : start.line, character: start.character },
        end: { line: move ? move(end.line) : end.line, character: end.character },
      };
    }
  }
  if (move && typeof record.line === 'number' && typeof record.character === 'number') {
    const out: Record<string, unknown> = {};
    for (const key in record) out[key] = record[key];
    out.line = move(record.line);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in record) {
    const item = record[key];
    out[key] = typeof item === 'object' && item !== null ? copyObject(item, move) : item;
  }
  return out;
}
