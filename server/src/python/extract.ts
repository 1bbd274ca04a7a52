/**
 * Python front-end: one syntax tree in, one FileFacts out.
 *
 * It resolves names only within the file (imports, local definitions, local variables) and
 * writes every reference as a qualified dotted name; the linker resolves those across files.
 * It never decides whether something is a bug, except for the self-contained hazards
 * (LF101, LF102, LF105) whose whole evidence is in one file.
 */
import type { Node as TreeSitterNode, Tree } from 'web-tree-sitter';
import {
  CallEdge, FileFacts, FunctionDef, GlobalWrite, HandlerSite, LogPath, ProcessCount, ScopeId, Span, StartMethod, SymbolRef,
  emptyFacts, functionScope, moduleScope,
} from '../model/facts';
import {
  EXEC_FUNCTIONS, LOG_METHODS, POOL_TASK_METHODS, handlerClass, isGetContext, isManager,
  isPlainMpQueue, isSetStartMethod, startApi,
} from './knownApis';
import { SyntaxNode, SyntaxTree, WalkOptions, syntaxClassHeadOf, syntaxSubtreesOf, syntaxTreeOf } from './cursorWalk';
import { UNPICKLE_MESSAGE } from './receivedBytes';
import { DECLARES_GLOBAL } from './partialParse';
import { guardAfter, guardsOfBranches, ProcessGuard } from './processGuards';
import { perProcessCause, perProcessPath } from '../configs/logPath';
import { ancestorChainBlocked, isAncestorLogger } from '../model/loggerNames';

/**
 * The extractor reads a plain-JS copy of the tree (see cursorWalk.ts): asking web-tree-sitter's
 * own nodes the same questions costs a wasm round trip and an allocation each time.
 */
type Node = SyntaxNode;

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

/**
 * The node types `walk` acts on (its switch). A subtree holding none of them is a no-op for
 * `walk`, so the copy records where they occur and `walk` skips the rest.
 */
const WALKED_TYPES = [
  'function_definition', 'class_definition', 'decorated_definition', 'if_statement', 'for_statement',
  'while_statement', 'list_comprehension', 'set_comprehension', 'generator_expression',
  'dictionary_comprehension', 'assignment', 'import_statement', 'import_from_statement', 'with_statement', 'call',
];

const TREE_OPTIONS: WalkOptions = { collect: IMPORT_TYPES, mark: WALKED_TYPES };

/** What a local name stands for, as far as this file can tell. */
type Binding =
  | { kind: 'pool'; startIndex: number }
  | { kind: 'context'; method?: StartMethod; methodUnknown?: boolean }
  /** `fed`: put() hands the item to a feeder thread (Queue, JoinableQueue; not SimpleQueue). */
  | { kind: 'mpQueue'; span: Span; fed: boolean }
  | { kind: 'managerQueue' }
  | { kind: 'manager' }
  | { kind: 'handler'; site?: HandlerSite; sinkKey?: string; address?: string; span: Span }
  | { kind: 'logger'; name: string }
  /** An instance of a class of this workspace: `t = LoggingTest()` makes `t.start` resolvable. */
  | { kind: 'instance'; cls: string }
  /** The result of `os.fork()`: tells the child's branch from the parent's. */
  | { kind: 'forkResult'; startIndex: number }
  /** Any other value, kept as source text. */
  | { kind: 'expr'; text: string };

interface ScopeContext {
  scope: ScopeId;
  qualname: string;
  className?: string;
  params: string[];
  /** The function's body, to compute its local names when a rule needs them. */
  functionBody?: Node;
  inLoop: boolean;
  loopCount?: ProcessCount;
  loopVars?: string[];
  locals: Map<string, Binding>;
  /**
   * Code under `if rank == 0:` and the like runs in one process of a group; under
   * `if rank != 0:`, in all but that one (processGuards.ts).
   */
  guard?: HandlerSite['guard'];
}

const MAIN_GUARD_QUALNAME = '<main>';

/** `functools.partial(f, ...)` or `partial(f, ...)`. */
const PARTIAL_CALL = /^(?:functools\.)?partial\s*\(/;

/** Whether a block's last statement leaves the Python program: exec of a program, _exit, exit. */
function endsByLeaving(block: Node): boolean {
  const last = block.namedChildren.filter((c) => c && c.type !== 'comment').pop();
  if (!last) return false;
  if (last.type === 'raise_statement') return /\bSystemExit\b/.test(last.text);
  return last.type === 'expression_statement' && /^(os\.(_exit|exec\w*)|sys\.exit|exit|quit)\s*\(/.test(last.text);
}

export function mainGuardScope(moduleName: string): ScopeId {
  return functionScope(moduleName, MAIN_GUARD_QUALNAME);
}

export function extractPythonFacts(tree: Tree, file: string, moduleName: string, isPackageInit = false): FileFacts {
  return new PythonFactExtractor(tree, file, moduleName, isPackageInit).run();
}

// ------------------------------------------------------------------ per-statement records
//
// For re-reading a file after an edit (incrementalExtract.ts): what each top-level statement
// added to the facts and to the module-level state the statements after it read. The walk of
// the module is a fold over its top-level statements; a statement's facts depend only on its
// own text and on that state, so an unchanged statement after an unchanged state gives the
// same facts again.

/** The facts arrays the walk of a statement appends to (the rest are whole-file). */
export const SEGMENT_KEYS = ['handlers', 'starts', 'calls', 'imports', 'functions', 'classes', 'startMethods', 'hazards', 'logCalls', 'handlerClears'] as const;
export type SegmentKey = typeof SEGMENT_KEYS[number];
export type SegmentFacts = { [K in SegmentKey]: FileFacts[K] };

/** A write to the module's names (`moduleLocals`) or folded constants, in order. */
export interface StateWrite {
  map: 'locals' | 'constants';
  key: string;
  /** The value set (a binding or a constant's text); absent for a delete. */
  value?: unknown;
  delete?: true;
}

export interface ImportAlias {
  alias: string;
  binds: string;
}

export interface LoggerSink {
  logger: string;
  sinkKey: string;
  span: Span;
  /** The code unit attaching it. */
  scope: ScopeId;
  /** Its destination as values, when every argument is one (`sinkAddress`): compared across modules. */
  address?: string;
}

export interface StatementRecord {
  type: string;
  startIndex: number;
  endIndex: number;
  startRow: number;
  endRow: number;
  /** Its facts as the walk left them, before the whole-file finishing steps (a private copy). */
  facts: SegmentFacts;
  /** How each of its handler sites is used (same order as `facts.handlers`). */
  handlerUse: { attached: boolean; listener: boolean }[];
  writes: StateWrite[];
  loggerSinks: LoggerSink[];
  nonPropagating: string[];
  /** The handler arguments of the QueueListener calls in it (listenerArgs). */
  listenerArgs: string[];
  /** The imported modules' globals it assigns (`logqueue.log_queue = q`: attributeWrites). */
  attributeWrites: GlobalWrite[];
  /** The aliases its import statements bind (anywhere inside it), in order. */
  imports: ImportAlias[];
  /** The module names and constants its walk looked up (what it depends on besides its text). */
  reads: { locals: string[]; constants: string[] };
  /** The name a top-level def/class binds. */
  defName?: string;
  /**
   * Its walk changed facts that belong to an earlier statement (which was recorded with the
   * change), or a later statement's walk changed its facts. Either way its record holds another
   * statement's doing and cannot be replaced alone.
   */
  touchesOthers: boolean;
  touched: boolean;
  /**
   * Line shifts still to apply to the positions stored in `facts`, `writes` and `loggerSinks`
   * (in order: a position on a line after `afterRow` moves by `rowDelta`).
   */
  rowShifts?: RowShift[];
  /**
   * A top-level class is recorded in parts: its head (decorators, the class itself) and each
   * statement of its body, so an edit inside one method re-walks that method only. A record
   * with parts has nothing of its own besides its place and `defName`.
   */
  parts?: StatementRecord[];
}

/** The records that hold facts: the parts of a class, or the record itself. */
export function leavesOf(record: StatementRecord): readonly StatementRecord[] {
  return record.parts ?? [record];
}

export interface RowShift {
  afterRow: number;
  rowDelta: number;
}

/** How a re-read is put together: old records before and after, new statements between. */
export interface ReextractPlan {
  prefix: readonly StatementRecord[];
  /** The new tree's top-level statements between prefix and suffix. */
  middle: readonly TreeSitterNode[];
  /** The records those replace (their state effects must equal the new ones'). */
  oldMiddle: readonly StatementRecord[];
  /** Records after the edit, already moved to their new positions. */
  suffix: readonly StatementRecord[];
  /** The new tree's statements those records stand for (walked again when a name they read changed). */
  suffixNodes: readonly TreeSitterNode[];
  /**
   * Set when the only statement walked again is a class whose head is unchanged: its head is
   * walked again (cheap), and of its body only the statements between `bodyPrefix` and
   * `bodySuffix` (`middle` and `oldMiddle` then hold the class alone).
   */
  classBody?: {
    body: TreeSitterNode;
    bodyPrefix: readonly StatementRecord[];
    bodyMiddle: readonly TreeSitterNode[];
    oldBodyMiddle: readonly StatementRecord[];
    bodySuffix: readonly StatementRecord[];
  };
  /** Deep copy of what a walk produced, for a record. */
  copy: <T>(value: T) => T;
  /** Deep copy of a record's parts with its queued line shifts applied. */
  copierFor: (shifts: readonly RowShift[] | undefined) => <T>(value: T) => T;
}

/** The facts, and the records of each top-level statement, for re-use after an edit. */
export function extractPythonFactsWithRecords(tree: Tree, file: string, moduleName: string, isPackageInit: boolean, copy: <T>(value: T) => T):
  { facts: FileFacts; records?: StatementRecord[] } {
  return new PythonFactExtractor(tree, file, moduleName, isPackageInit).runRecorded(copy);
}

/**
 * The facts of the new tree from the old records of unchanged statements and a fresh walk of
 * the others; undefined when the result could differ from a whole re-read (the caller then
 * does one).
 */
export function reextractPythonFacts(tree: Tree, file: string, moduleName: string, isPackageInit: boolean, plan: ReextractPlan):
  { facts: FileFacts; records: StatementRecord[]; inClass: boolean } | { fallback: string } {
  return new PythonFactExtractor(tree, file, moduleName, isPackageInit).runPartial(plan);
}

/** A Map that logs writes into the statement being walked (module names and constants). */
class RecordingMap<V> extends Map<string, V> {
  /** Where writes go; undefined while not recording. */
  log: StateWrite[] | undefined;
  /** The names read; undefined while not recording. */
  reads: Set<string> | undefined;
  mapName: StateWrite['map'] = 'locals';

  get(key: string): V | undefined {
    this.reads?.add(key);
    return super.get(key);
  }

  set(key: string, value: V): this {
    this.log?.push({ map: this.mapName, key, value });
    return super.set(key, value);
  }

  delete(key: string): boolean {
    this.log?.push({ map: this.mapName, key, delete: true });
    return super.delete(key);
  }
}

/** Bookkeeping of the top-level statement being walked while recording. */
interface Segment {
  /** Array lengths when it began. */
  begin: Record<SegmentKey, number>;
  /** Array lengths when it ended. */
  end?: Record<SegmentKey, number>;
  sinksBegin: number;
  sinksEnd?: number;
  writes: StateWrite[];
  reads: { locals: Set<string>; constants: Set<string> };
  nonPropagating: string[];
  listenerArgs: string[];
  attributeWrites: GlobalWrite[];
  touchesOthers: boolean;
}

/**
 * The function around `node`; at module level, its top-level statement (an
 * `if __name__ == '__main__':` block). Not further: an edit re-reads only the top-level
 * statements it touches, so a statement's facts may depend on its own text alone.
 */
function codeUnitOf(node: Node): Node {
  let unit = node;
  while (unit.parent && unit.type !== 'function_definition' && unit.parent.type !== 'module') unit = unit.parent;
  return unit;
}

class PythonFactExtractor {
  private readonly facts: FileFacts;
  /** Local alias → qualified name, from imports anywhere in the file and top-level defs. */
  private readonly aliases = new Map<string, string>();
  /** Aliases bound differently in `try:` / `except ImportError:` (an optional dependency). */
  private readonly alternatives = new Map<string, Set<string>>();
  /** Module-level string constants, for paths like `LOG_FILE = "app.log"`. */
  private readonly constants = new RecordingMap<string>();
  private readonly moduleLocals = new RecordingMap<Binding>();
  /** Set while recording per-statement records. */
  private segment: Segment | undefined;
  /** Process starts and handler sites a statement changed that an earlier one created. */
  private readonly touchedStarts: number[] = [];
  private readonly touchedSites = new Set<HandlerSite>();
  /** Handler variables per scope, to tell listener-only handlers from attached ones. */
  private readonly handlerUse = new Map<HandlerSite, { attached: boolean; listener: boolean }>();
  /**
   * Handlers written inline where a logger takes them (`log.addHandler(FileHandler(...))`,
   * `basicConfig(handlers=[...])`), by the start of their call: a call's arguments are walked
   * after the call itself, so the site does not exist yet when the attachment is seen.
   */
  private readonly inlineAttachments = new Map<number, string | undefined>();
  /** LF105 bookkeeping: logger name → sinks added to it, and propagate=False loggers. */
  private readonly loggerSinks: LoggerSink[] = [];
  private readonly nonPropagating = new Set<string>();
  /** See noteListenerArgs. */
  private readonly listenerArgs: string[] = [];
  /** See recordAttributeWrite. */
  private readonly attributeWrites: GlobalWrite[] = [];
  private usesSockets = false;
  /** The copy of the tree the extractor reads; set first thing in `run`. */
  private root!: Node;
  private rootLines: string[] | undefined;
  /** Whether a `forkResult` binding exists yet: until then no `if` can test one. */
  private sawForkResult = false;
  /** `moduleScope(moduleName)`, compared against on every assignment. */
  private readonly moduleScopeId: ScopeId;

  constructor(
    private readonly tree: Tree,
    private readonly file: string,
    private readonly moduleName: string,
    private readonly isPackageInit: boolean,
  ) {
    this.facts = emptyFacts(file, 'python', moduleName);
    this.moduleScopeId = moduleScope(moduleName);
    this.constants.mapName = 'constants';
  }

  private moduleContext(): ScopeContext {
    return { scope: moduleScope(this.moduleName), qualname: '', params: [], inLoop: false, locals: this.moduleLocals };
  }

  runRecorded(copy: <T>(value: T) => T): { facts: FileFacts; records?: StatementRecord[] } {
    const whole = syntaxTreeOf(this.tree, TREE_OPTIONS);
    const { root, collected: importNodes } = whole;
    this.root = root;
    const statements = root.namedChildren;
    // `sawForkResult` only saves lookups that cannot find a fork result; recording needs every
    // lookup of a module name (a statement's reads decide whether its record stays valid).
    this.sawForkResult = true;
    const units = unitsOf(statements);
    const importsByUnit = this.importsPerUnit(units.map((u) => u.place), importNodes);
    const defNames = statements.map(definedName);
    this.applyAliases(importsByUnit, defNames);
    const segments = this.walkUnits(units);
    const leaves = units.map((unit, i) => this.recordOf(unit.place, segments[i], importsByUnit[i], undefined, copy));
    return { facts: this.finish(), records: groupRecords(statements, units, leaves, defNames) };
  }

  /** Walks units in order, each as a segment of its own. */
  private walkUnits(units: readonly Unit[], afterHead?: () => void): Segment[] {
    const moduleCtx = this.moduleContext();
    const segments: Segment[] = [];
    let bodyCtx: ScopeContext | undefined;
    for (const unit of units) {
      this.beginSegment();
      if (unit.kind === 'head') bodyCtx = this.walkClassHead(unit.node, moduleCtx);
      else this.walk(unit.node, unit.kind === 'body' ? bodyCtx! : moduleCtx);
      for (const part of unit.kind === 'head' ? classHeadParts(unit.node) : [unit.node]) this.noteListenerArgs(part);
      segments.push(this.endSegment());
      if (unit.kind === 'head') afterHead?.();
    }
    return segments;
  }

  /**
   * Walks a class statement's decorators and the class itself, not its body: what `walk` does
   * before the body. Returns the context its body statements are walked in.
   */
  private walkClassHead(statement: Node, ctx: ScopeContext): ScopeContext {
    const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition')! : statement;
    if (statement.type === 'decorated_definition') {
      for (const child of statement.namedChildren) if (child && child.type === 'decorator') this.walk(child, ctx);
    }
    return this.classHead(def, ctx);
  }

  runPartial(plan: ReextractPlan): { facts: FileFacts; records: StatementRecord[]; inClass: boolean } | { fallback: string } {
    const inClass = plan.classBody;
    const oldWalked = inClass ? [leavesOf(plan.oldMiddle[0])[0], ...inClass.oldBodyMiddle] : plan.oldMiddle.flatMap(leavesOf);
    // Statements before and after the edit may change each other's facts (their records hold
    // the result); one that is walked again may not: its old effect is in the other's record.
    if (oldWalked.some((r) => r.touchesOthers || r.touched)) return { fallback: 'a statement changes facts of another' };
    let units: Unit[];
    let copies: { root: Node; statements: Node[]; collected: Node[][] };
    if (inClass) {
      const copy = syntaxClassHeadOf(this.tree, plan.middle[0], inClass.body, inClass.bodyMiddle, TREE_OPTIONS);
      units = [
        { node: copy.statement, place: headPlace(copy.statement, inClass.body), kind: 'head' },
        ...copy.bodyStatements.map((node): Unit => ({ node, place: placeOf(node), kind: 'body' })),
      ];
      copies = { root: copy.root, statements: [copy.statement], collected: [[], ...copy.collected] };
    } else {
      const copy = syntaxSubtreesOf(this.tree, plan.middle, TREE_OPTIONS);
      units = unitsOf(copy.subtrees);
      // Import nodes per unit: each statement's, split among its parts.
      const collected: Node[][] = [];
      copy.subtrees.forEach((statement, i) => collected.push(...this.splitImports(units, statement, copy.collected[i])));
      copies = { root: copy.root, statements: copy.subtrees, collected };
    }
    this.root = copies.root;
    const walkedImports = copies.collected.map((nodes) => this.importAliasesOf(nodes));
    const middleDefs = copies.statements.map(definedName);
    // Unchanged names bound by imports and definitions, else statements after the edit could read differently.
    if (!sameJson(walkedImports.flat(), oldWalked.flatMap((r) => r.imports)) ||
      !sameJson(middleDefs.filter((d) => d !== undefined), plan.oldMiddle.map((r) => r.defName).filter((d) => d !== undefined))) {
      return { fallback: 'imported or defined names changed' };
    }
    const importsOf = (records: readonly StatementRecord[]) => records.flatMap(leavesOf).map((r) => r.imports);
    this.applyAliases(
      inClass
        ? [...importsOf(plan.prefix), ...importsOf(inClass.bodyPrefix), ...walkedImports, ...importsOf(inClass.bodySuffix), ...importsOf(plan.suffix)]
        : [...importsOf(plan.prefix), ...walkedImports, ...importsOf(plan.suffix)],
      [...plan.prefix.map((r) => r.defName), ...middleDefs, ...plan.suffix.map((r) => r.defName)],
    );
    for (const record of plan.prefix) this.replay(record, plan.copierFor);
    this.sawForkResult = true; // see runRecorded
    // In a class, the body statements before the edit come right after the head.
    const segments = this.walkUnits(units, inClass && (() => inClass.bodyPrefix.forEach((r) => this.replay(r, plan.copierFor))));
    const startsAdded = segments.reduce((n, seg) => n + seg.end!.starts - seg.begin.starts, 0);
    const oldStartsAdded = oldWalked.reduce((n, r) => n + r.facts.starts.length, 0);
    // Statements after the edit number their processes from here on (`#child<n>` scopes).
    if (startsAdded !== oldStartsAdded) return { fallback: 'number of process starts changed' };
    if (segments.some((seg) => seg.touchesOthers)) return { fallback: 'a statement changes facts of another' };
    const newWrites = segments.flatMap((seg) => seg.writes);
    const oldWrites = oldWalked.flatMap((r) => r.writes);
    if (!replayableWrites(newWrites) || !replayableWrites(oldWrites)) return { fallback: 'module-level handler or queue variable' };
    // Module names (and constants) whose value differs from the last read's at this point: a
    // later statement that looked one up is walked again; the others' records stand.
    const changed = changedNames(oldWrites, newWrites);
    const leaves = units.map((u, i) => this.recordOf(u.place, segments[i], walkedImports[i], undefined, plan.copy));
    let middleRecords: StatementRecord[];
    if (inClass) {
      for (const record of inClass.bodySuffix) {
        if (readsAny(record, changed)) return { fallback: 'module-level names changed' };
        this.replay(record, plan.copierFor);
        forgetWritten(record, changed);
      }
      const [head, ...bodyMiddle] = leaves;
      middleRecords = [classRecord(plan.middle[0], [head, ...inClass.bodyPrefix, ...bodyMiddle, ...inClass.bodySuffix], middleDefs[0])];
    } else {
      middleRecords = groupRecords(copies.statements, units, leaves, middleDefs);
    }
    const suffix: StatementRecord[] = [];
    for (const [i, record] of plan.suffix.entries()) {
      if (!readsAny(record, changed)) {
        this.replay(record, plan.copierFor);
        forgetWritten(record, changed);
        suffix.push(record);
        continue;
      }
      const again = this.walkAgain(plan.suffixNodes[i], record, changed, plan.copy);
      if ('fallback' in again) return again;
      suffix.push(again.record);
    }
    return { facts: this.finish(), records: [...plan.prefix, ...middleRecords, ...suffix], inClass: !!inClass };
  }

  /**
   * Walks an unchanged statement after the edit again, because it looked up a module name whose
   * value changed; updates `changed` with what its new walk writes.
   */
  private walkAgain(statement: TreeSitterNode, old: StatementRecord, changed: ChangedNames, copy: <T>(value: T) => T):
    { record: StatementRecord } | { fallback: string } {
    const oldLeaves = leavesOf(old);
    if (oldLeaves.some((r) => r.touchesOthers || r.touched)) return { fallback: 'a statement changes facts of another' };
    const { subtrees, collected } = syntaxSubtreesOf(this.tree, [statement], TREE_OPTIONS);
    const units = unitsOf(subtrees);
    const perUnit = this.splitImports(units, subtrees[0], collected[0]);
    const segments = this.walkUnits(units);
    const starts = segments.reduce((n, seg) => n + seg.end!.starts - seg.begin.starts, 0);
    if (starts !== oldLeaves.reduce((n, r) => n + r.facts.starts.length, 0)) return { fallback: 'number of process starts changed' };
    if (segments.some((seg) => seg.touchesOthers)) return { fallback: 'a statement changes facts of another' };
    const newWrites = segments.flatMap((seg) => seg.writes);
    const oldWrites = oldLeaves.flatMap((r) => r.writes);
    if (!replayableWrites(newWrites) || !replayableWrites(oldWrites)) return { fallback: 'module-level handler or queue variable' };
    const imports = perUnit.map((nodes) => this.importAliasesOf(nodes));
    if (!sameJson(imports.flat(), oldLeaves.flatMap((r) => r.imports))) return { fallback: 'imported or defined names changed' };
    // What it wrote now decides those names' state: the same final value as before, or not.
    const differs = changedNames(oldWrites, newWrites);
    for (const map of ['locals', 'constants'] as const) {
      for (const w of [...oldWrites, ...newWrites]) if (w.map === map) changed[map].delete(w.key);
      for (const name of differs[map]) changed[map].add(name);
    }
    const leaves = units.map((u, i) => this.recordOf(u.place, segments[i], imports[i], undefined, copy));
    return { record: groupRecords(subtrees, units, leaves, [old.defName])[0] };
  }

  /** A statement's import nodes, split among its units (in order). */
  private splitImports(units: readonly Unit[], statement: Node, importNodes: readonly Node[]): Node[][] {
    const mine = units.filter((u) => u.statement === statement);
    const split = mine.map(() => [] as Node[]);
    let k = 0;
    for (const node of importNodes) {
      while (k < mine.length - 1 && mine[k].place.endIndex <= node.startIndex && mine[k].place.startIndex !== node.startIndex) k++;
      split[k].push(node);
    }
    return split;
  }

  private finish(): FileFacts {
    this.finishHandlers();
    this.finishPropagationHazards();
    this.findGlobalSetters();
    const treeRoot = this.tree.rootNode;
    if (treeRoot.hasError) this.reportSyntaxErrors(treeRoot);
    return this.facts;
  }

  /**
   * The functions that assign module globals (`global q` then `q = ...`), wherever they are in
   * the file: LF103 candidates reading one of this module's globals get its setters (`setBy`),
   * so that the rule can tell an initializer handing the queue to each child from a setter only
   * the parent runs; and, with the imported modules' globals assigned (recordAttributeWrite),
   * they are the file's `globalWrites`, for candidates in other modules. After the walk (and
   * after a replay of recorded statements: the setters may lie in any of them). Only files with
   * a `global` statement search the tree for them.
   */
  private findGlobalSetters(): void {
    const setters = new Map<string, ScopeId[]>();
    if (DECLARES_GLOBAL.test(this.tree.rootNode.text)) {
      for (const declaration of this.tree.rootNode.descendantsOfType('global_statement')) {
        let fn = declaration?.parent ?? null;
        while (fn && fn.type !== 'function_definition') fn = fn.parent;
        const body = fn?.childForFieldName('body');
        if (!fn || !body) continue;
        const line = fn.startPosition.row;
        const def = this.facts.functions.find((f) => f.span.start.line === line && f.span.start.character === fn!.startPosition.column);
        if (!def) continue;
        const assigned = assignedIdentifiers(body);
        for (const id of declaration!.namedChildren) {
          if (id && assigned.has(id.text)) setters.set(id.text, [...(setters.get(id.text) ?? []), def.scope]);
        }
      }
    }
    for (const h of this.facts.hazards) {
      if (h.queueGlobal && h.queueGlobal.module === undefined) h.queueGlobal.setBy = [...new Set(setters.get(h.queueGlobal.name) ?? [])];
    }
    const writes: GlobalWrite[] = this.attributeWrites.map((w) => ({ ...w }));
    for (const [name, scopes] of setters) for (const scope of new Set(scopes)) writes.push({ target: `${this.moduleName}.${name}`, scope });
    if (writes.length) this.facts.globalWrites = writes;
  }

  private lengths(): Record<SegmentKey, number> {
    const out = {} as Record<SegmentKey, number>;
    for (const key of SEGMENT_KEYS) out[key] = this.facts[key].length;
    return out;
  }

  private beginSegment(): void {
    const writes: StateWrite[] = [];
    const reads = { locals: new Set<string>(), constants: new Set<string>() };
    this.segment = { begin: this.lengths(), sinksBegin: this.loggerSinks.length, writes, reads, nonPropagating: [], listenerArgs: [], attributeWrites: [], touchesOthers: false };
    this.moduleLocals.log = writes;
    this.constants.log = writes;
    this.moduleLocals.reads = reads.locals;
    this.constants.reads = reads.constants;
  }

  private endSegment(): Segment {
    const segment = this.segment!;
    segment.end = this.lengths();
    segment.sinksEnd = this.loggerSinks.length;
    this.segment = undefined;
    this.moduleLocals.log = undefined;
    this.constants.log = undefined;
    this.moduleLocals.reads = undefined;
    this.constants.reads = undefined;
    return segment;
  }

  /** Notes that the statement being walked changes a process start it did not create. */
  private touchStart(startIndex: number): void {
    if (this.segment && startIndex < this.segment.begin.starts) {
      this.segment.touchesOthers = true;
      this.touchedStarts.push(startIndex);
    }
  }

  private touchSite(site: HandlerSite | undefined): void {
    if (this.segment && (!site || this.facts.handlers.lastIndexOf(site) < this.segment.begin.handlers)) {
      this.segment.touchesOthers = true;
      if (site) this.touchedSites.add(site);
    }
  }

  private recordOf(place: Place, segment: Segment, imports: ImportAlias[], defName: string | undefined, copy: <T>(value: T) => T): StatementRecord {
    const until = segment.end!;
    const facts = {} as Record<SegmentKey, unknown[]>;
    for (const key of SEGMENT_KEYS) facts[key] = copy(this.facts[key].slice(segment.begin[key], until[key]));
    const sites = this.facts.handlers.slice(segment.begin.handlers, until.handlers);
    return {
      ...place,
      facts: facts as SegmentFacts,
      handlerUse: sites.map((site) => ({ ...(this.handlerUse.get(site) ?? { attached: false, listener: false }) })),
      writes: segment.writes.length ? copy(segment.writes) : [],
      reads: { locals: [...segment.reads.locals], constants: [...segment.reads.constants] },
      loggerSinks: copy(this.loggerSinks.slice(segment.sinksBegin, segment.sinksEnd)),
      nonPropagating: segment.nonPropagating,
      listenerArgs: segment.listenerArgs,
      attributeWrites: segment.attributeWrites,
      imports,
      defName,
      touchesOthers: segment.touchesOthers,
      touched: this.touchedStarts.some((i) => segment.begin.starts <= i && i < until.starts) || sites.some((site) => this.touchedSites.has(site)),
    };
  }

  /** Puts a recorded statement's contributions back, as if it had been walked here. */
  private replay(record: StatementRecord, copierFor: ReextractPlan['copierFor']): void {
    for (const leaf of leavesOf(record)) this.replayLeaf(leaf, copierFor(leaf.rowShifts));
  }

  private replayLeaf(record: StatementRecord, copy: <T>(value: T) => T): void {
    // Most statements add to few of the arrays: copy item by item, nothing for empty ones.
    for (const key of SEGMENT_KEYS) {
      const items = record.facts[key] as unknown[];
      if (items.length === 0) continue;
      const target = this.facts[key] as unknown[];
      for (const item of items) target.push(copy(item));
    }
    const sites = record.facts.handlers.length;
    for (let i = 0; i < sites; i++) {
      this.handlerUse.set(this.facts.handlers[this.facts.handlers.length - sites + i], { ...record.handlerUse[i] });
    }
    for (const write of record.writes) {
      const map = write.map === 'locals' ? this.moduleLocals : this.constants;
      if (write.delete) Map.prototype.delete.call(map, write.key);
      else Map.prototype.set.call(map, write.key, typeof write.value === 'object' ? copy(write.value) : write.value);
    }
    if (record.loggerSinks.length) this.loggerSinks.push(...copy(record.loggerSinks));
    for (const logger of record.nonPropagating) this.nonPropagating.add(logger);
    this.listenerArgs.push(...record.listenerArgs);
    for (const write of record.attributeWrites) this.attributeWrites.push({ ...write });
  }

  run(): FileFacts {
    return this.walkWhole(syntaxTreeOf(this.tree, TREE_OPTIONS));
  }

  /** Every statement of the copied tree, in order: the read without per-statement records. */
  private walkWhole({ root, collected: importNodes }: SyntaxTree): FileFacts {
    this.root = root;
    this.collectImportsAndDefinitions(root, importNodes);
    this.walkBlock(root, this.moduleContext());
    this.noteListenerArgs(root);
    return this.finish();
  }

  // ---------------------------------------------------------------- names

  private span(node: Pick<Node, 'startPosition' | 'endPosition'>): Span {
    const start = node.startPosition;
    const end = node.endPosition;
    return {
      file: this.file,
      start: { line: start.row, character: start.column },
      end: { line: end.row, character: end.column },
    };
  }

  /** Resolves `from ..x import y` against this module's package. */
  private absoluteModule(relative: string): string {
    const dots = relative.match(/^\.*/)![0].length;
    if (dots === 0) return relative;
    const rest = relative.slice(dots);
    const parts = this.moduleName.split('.');
    // In a package's __init__, `.` is the package itself; in a module, its parent.
    const keep = parts.length - (this.isPackageInit ? dots - 1 : dots);
    const base = parts.slice(0, Math.max(0, keep)).join('.');
    return [base, rest].filter(Boolean).join('.');
  }

  /** The modules and names an import statement brings in. */
  private importsOf(node: Node): { module: string; name?: string; alias: string; node: Node; binds: string }[] {
    const out: { module: string; name?: string; alias: string; node: Node; binds: string }[] = [];
    if (node.type === 'import_statement') {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'dotted_name') {
          // `import a.b` binds `a`, and makes `a.b.x` resolve to itself.
          const first = child.text.split('.')[0];
          out.push({ module: child.text, alias: first, node: child, binds: first });
        } else if (child.type === 'aliased_import') {
          const name = child.childForFieldName('name')?.text ?? '';
          const alias = child.childForFieldName('alias')?.text ?? name;
          out.push({ module: name, alias, node: child, binds: name });
        }
      }
    } else if (node.type === 'import_from_statement') {
      const moduleNode = node.childForFieldName('module_name');
      if (!moduleNode) return out;
      const module = this.absoluteModule(moduleNode.text);
      const names = node.childrenForFieldName('name').filter((n): n is Node => !!n);
      for (const nameNode of names) {
        const name = nameNode.type === 'aliased_import' ? nameNode.childForFieldName('name')?.text ?? '' : nameNode.text;
        const alias = nameNode.type === 'aliased_import' ? nameNode.childForFieldName('alias')?.text ?? name : name;
        out.push({ module, name, alias, node: nameNode, binds: `${module}.${name}` });
      }
      if (names.length === 0) out.push({ module, name: '*', alias: '*', node, binds: '' });
    }
    return out;
  }

  /** Fills the alias table first, so a name used above its import still resolves. */
  private collectImportsAndDefinitions(root: Node, importNodes: Node[]): void {
    // = root.descendantsOfType(IMPORT_TYPES), listed while the tree was copied.
    this.applyAliases([this.importAliasesOf(importNodes)], root.namedChildren.map(definedName));
  }

  /** The aliases some import statements bind, in order. */
  private importAliasesOf(importNodes: readonly Node[]): ImportAlias[] {
    const out: ImportAlias[] = [];
    for (const node of importNodes) {
      if (!node) continue;
      for (const imp of this.importsOf(node)) if (imp.alias !== '*') out.push({ alias: imp.alias, binds: imp.binds });
    }
    return out;
  }

  /** `importAliasesOf` per unit walked (units and import nodes both in file order). */
  private importsPerUnit(units: readonly Place[], importNodes: readonly Node[]): ImportAlias[][] {
    const out: ImportAlias[][] = units.map(() => []);
    let i = 0;
    for (const node of importNodes) {
      while (i < units.length - 1 && units[i].endIndex <= node.startIndex && units[i].startIndex !== node.startIndex) i++;
      out[i].push(...this.importAliasesOf([node]));
    }
    return out;
  }

  /** Every import's aliases (in file order), then the top-level definitions' names. */
  private applyAliases(imports: readonly (readonly ImportAlias[])[], defNames: readonly (string | undefined)[]): void {
    for (const list of imports) {
      for (const imp of list) {
        const previous = this.aliases.get(imp.alias);
        if (previous && previous !== imp.binds) {
          const set = this.alternatives.get(imp.alias) ?? new Set([previous]);
          set.add(imp.binds);
          this.alternatives.set(imp.alias, set);
        }
        this.aliases.set(imp.alias, imp.binds);
      }
    }
    for (const name of defNames) if (name) this.aliases.set(name, `${this.moduleName}.${name}`);
  }

  private visitImport(node: Node, ctx: ScopeContext): void {
    for (const imp of this.importsOf(node)) {
      this.facts.imports.push({ fromModule: this.moduleName, module: imp.module, name: imp.name, alias: imp.alias, span: this.span(imp.node), scope: ctx.scope });
    }
  }

  /** `lh.RotatingFileHandler` → `logging.handlers.RotatingFileHandler`; undefined if not a name. */
  private qualify(node: Node | null, ctx?: ScopeContext): string | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier') {
      const name = node.text;
      if (ctx?.params.includes(name)) return undefined;
      const local = ctx ? this.lookup(name, ctx) : undefined;
      if (local?.kind === 'instance') return local.cls;
      const alias = this.aliases.get(name);
      if (alias !== undefined || local?.kind !== 'expr') return alias;
      // `_decode = pickle.loads`, `RFH = logging.handlers.RotatingFileHandler`: another name
      // for an imported function or class.
      const dotted = /^([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)$/.exec(local.text);
      const base = dotted && dotted[1] !== name ? this.aliases.get(dotted[1]) : undefined;
      return base !== undefined ? base + dotted![2] : undefined;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text;
      if (!attr) return undefined;
      if (object?.type === 'identifier' && object.text === 'self' && ctx?.className) {
        return `${this.moduleName}.${ctx.className}.${attr}`;
      }
      if (object?.type === 'call') {
        // `Indexer().run(docs)`: a method of a freshly built object of a class.
        const cls = this.qualify(object.childForFieldName('function'), ctx);
        return cls && /^[A-Z]/.test(cls.slice(cls.lastIndexOf('.') + 1)) ? `${cls}.${attr}` : undefined;
      }
      const base = this.qualify(object, ctx);
      return base ? `${base}.${attr}` : undefined;
    }
    return undefined;
  }

  /** A name as written, resolved when possible: for references to functions (targets). */
  private symbolRef(node: Node, ctx: ScopeContext): SymbolRef | undefined {
    if (node.type === 'call') {
      // functools.partial(f, ...) runs f.
      const fn = this.qualify(node.childForFieldName('function'), ctx);
      const first = node.childForFieldName('arguments')?.namedChildren[0];
      if (fn === 'functools.partial' && first) return this.symbolRef(first, ctx);
      return undefined;
    }
    if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
    const qualified = this.qualify(node, ctx);
    if (qualified) return { fromModule: this.moduleName, name: qualified, span: this.span(node) };
    if (node.type === 'identifier' && ctx.qualname) {
      // A function nested in the current one.
      return { fromModule: this.moduleName, name: `${this.moduleName}.${ctx.qualname}.${node.text}`, span: this.span(node) };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- walking

  private walkBlock(node: Node, ctx: ScopeContext): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      this.walk(child, ctx);
      // `if rank != 0: return`: the rest of the block runs in the one process only
      // (`if rank == 0: return`: in all the others).
      const after = child.type === 'if_statement' && !ctx.guard ? guardAfter(child) : undefined;
      if (after) ctx = this.guarded(ctx, after);
    }
  }

  private guarded(ctx: ScopeContext, guard: ProcessGuard): ScopeContext {
    return { ...ctx, guard: { kind: guard.kind, span: this.span(guard.condition) } };
  }

  private walk(node: Node, ctx: ScopeContext): void {
    if (!node.containsMarked) return; // nothing below for the cases here (WALKED_TYPES)
    switch (node.type) {
      case 'function_definition':
        return this.enterFunction(node, ctx);
      case 'class_definition':
        return this.enterClass(node, ctx);
      case 'decorated_definition': {
        for (const child of node.namedChildren) if (child && child.type === 'decorator') this.walk(child, ctx);
        const def = node.childForFieldName('definition');
        if (def?.type === 'function_definition') this.recordDecorators(node, def, ctx);
        if (def) this.walk(def, ctx);
        return;
      }
      case 'if_statement':
        if (ctx.scope === this.moduleScopeId && isMainGuard(node.childForFieldName('condition'))) {
          return this.enterMainGuard(node, ctx);
        }
        if (this.enterForkBranches(node, ctx)) return;
        if (!ctx.guard) {
          const { body, orElse } = guardsOfBranches(node);
          if (body || orElse) {
            for (const child of node.namedChildren) {
              if (!child) continue;
              const guard = child === node.childForFieldName('consequence') ? body : child.type === 'else_clause' ? orElse : undefined;
              this.walk(child, guard ? this.guarded(ctx, guard) : ctx);
            }
            return;
          }
        }
        break;
      case 'for_statement':
      case 'while_statement':
        return this.enterLoop(node, ctx);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.enterLoop(node, ctx);
      case 'assignment':
        this.visitAssignment(node, ctx);
        return;
      case 'import_statement':
      case 'import_from_statement':
        this.visitImport(node, ctx);
        return;
      case 'with_statement':
        this.visitWith(node, ctx);
        return;
      case 'call':
        this.visitCall(node, ctx);
        return;
    }
    this.walkBlock(node, ctx);
  }

  private enterFunction(node: Node, ctx: ScopeContext): void {
    const name = node.childForFieldName('name')?.text ?? '<lambda>';
    const qualname = ctx.className && !ctx.qualname.endsWith(')') ? `${ctx.qualname}` : ctx.qualname;
    const fullQual = [qualname, name].filter(Boolean).join('.');
    const scope = functionScope(this.moduleName, fullQual);
    const fnDef: FunctionDef = { scope, module: this.moduleName, qualname: fullQual, span: this.span(node), params: [] };
    this.facts.functions.push(fnDef);
    const params = (node.childForFieldName('parameters')?.namedChildren ?? [])
      .map((p) => (p?.type === 'identifier' ? p.text : p?.childForFieldName('name')?.text ?? p?.namedChildren[0]?.text ?? ''))
      .filter((p) => p);
    fnDef.params = params[0] === 'self' || params[0] === 'cls' ? params.slice(1) : [...params];
    for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p?.type !== 'default_parameter' && p?.type !== 'typed_default_parameter') continue;
      const name = p.childForFieldName('name')?.text;
      const value = p.childForFieldName('value')?.text;
      if (name && value !== undefined) (fnDef.defaults ??= {})[name] = value;
    }
    const body0 = node.childForFieldName('body');
    const inner: ScopeContext = {
      scope,
      qualname: fullQual,
      className: undefined,
      params,
      functionBody: body0 ?? undefined,
      inLoop: false,
      locals: new Map(),
    };
    // Methods see `self.x` as the class's attribute.
    if (ctx.className && ctx.qualname === ctx.className) inner.className = ctx.className;
    const body = node.childForFieldName('body');
    if (body) this.walkBlock(body, inner);
  }

  private enterClass(node: Node, ctx: ScopeContext): void {
    const bodyCtx = this.classHead(node, ctx);
    const body = node.childForFieldName('body');
    // A class body runs where the class statement runs: keep the enclosing scope.
    if (body) this.walkBlock(body, bodyCtx);
  }

  /** A class's own fact; returns the context of its body. */
  private classHead(node: Node, ctx: ScopeContext): ScopeContext {
    const name = node.childForFieldName('name')?.text ?? '';
    const qualname = [ctx.qualname, name].filter(Boolean).join('.');
    const bases: SymbolRef[] = [];
    for (const base of node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (!base || base.type === 'keyword_argument') continue;
      const ref = this.symbolRef(base, ctx);
      if (ref) bases.push(ref);
    }
    this.facts.classes.push({ module: this.moduleName, qualname, bases, span: this.span(node) });
    return { ...ctx, qualname, className: qualname };
  }

  private enterMainGuard(node: Node, ctx: ScopeContext): void {
    const scope = mainGuardScope(this.moduleName);
    this.facts.functions.push({ scope, module: this.moduleName, qualname: MAIN_GUARD_QUALNAME, span: this.span(node) });
    const inner: ScopeContext = { scope, qualname: '', params: [], inLoop: false, locals: this.moduleLocals };
    const consequence = node.childForFieldName('consequence');
    if (consequence) this.walkBlock(consequence, inner);
    for (const alt of node.childrenForFieldName('alternative')) if (alt) this.walk(alt, ctx);
  }

  /**
   * `if pid == 0:` after `pid = os.fork()`: the branch only the child runs becomes a code unit
   * of its own, seeded by the fork, so the parent is not taken to run it.
   */
  private enterForkBranches(node: Node, ctx: ScopeContext): boolean {
    if (!this.sawForkResult) return false; // the lookup below could only fail
    const condition = node.childForFieldName('condition');
    const m = condition?.text.replace(/\s+/g, ' ').match(/^(?:(\w+) == 0|0 == (\w+)|not (\w+)|(\w+) != 0|(\w+) > 0|(\w+))$/);
    if (!m) return false;
    const name = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
    const bound = this.lookup(name, ctx);
    if (bound?.kind !== 'forkResult') return false;
    const childIsConsequence = !!(m[1] ?? m[2] ?? m[3]);
    const start = this.facts.starts[bound.startIndex];
    this.touchStart(bound.startIndex);
    const childScope = `${ctx.scope}#child${bound.startIndex}`;
    const qual = `${ctx.qualname || '<main>'}#child${bound.startIndex}`;
    this.facts.functions.push({ scope: childScope, module: this.moduleName, qualname: qual, span: this.span(node), params: [] });
    // The child also runs what surrounds the `if` (the code between the fork and the test,
    // and after it), unless the test comes right after the fork and the child's branch ends by
    // leaving Python: `os.execv(...)` (another program replaces the child), `os._exit()`,
    // `sys.exit()`. The parent-only branch stays out of its reach.
    const consequence = node.childForFieldName('consequence');
    const alternatives = node.childrenForFieldName('alternative').filter((a): a is Node => !!a);
    const childBranch = childIsConsequence ? consequence : alternatives[0]?.childForFieldName('body');
    // Within a block (a top-level statement's siblings are not in the per-statement copy an
    // edit re-reads, so a fork at module level keeps the conservative answer).
    const siblings = node.parent && node.parent.type !== 'module' ? node.parent.namedChildren.filter((c) => c && c.type !== 'comment') : [];
    const before = siblings[siblings.indexOf(node) - 1];
    const rightAfterFork = !!before && before.startPosition.row <= start.span.start.line && start.span.start.line <= before.endPosition.row;
    start.childScopes = rightAfterFork && childBranch && endsByLeaving(childBranch) ? [childScope] : [childScope, ctx.scope];
    const childCtx: ScopeContext = { ...ctx, scope: childScope };
    if (childIsConsequence) {
      if (consequence) this.walkBlock(consequence, childCtx);
      for (const alt of alternatives) this.walk(alt, ctx);
    } else {
      if (consequence) this.walkBlock(consequence, ctx);
      for (const alt of alternatives) this.walk(alt, childCtx);
    }
    return true;
  }

  private enterLoop(node: Node, ctx: ScopeContext): void {
    const loopCount = node.type === 'for_statement' || node.type.endsWith('comprehension') || node.type === 'generator_expression'
      ? this.iterationCount(node, ctx)
      : ({ kind: 'unknown', dependsOn: 'the loop', atLeast: 2 } as ProcessCount);
    const targets: string[] = [];
    const leftOf = node.type === 'for_statement' ? [node.childForFieldName('left')] : node.namedChildren.filter((c) => c?.type === 'for_in_clause').map((c) => c!.childForFieldName('left'));
    for (const left of leftOf) {
      if (!left) continue;
      if (left.type === 'identifier') targets.push(left.text);
      for (const id of left.descendantsOfType('identifier')) if (id) targets.push(id.text);
    }
    this.walkBlock(node, { ...ctx, inLoop: true, loopCount, loopVars: [...(ctx.loopVars ?? []), ...targets] });
  }

  /** `for i in range(4)` → 4; anything else iterates an unknown number of times. */
  private iterationCount(node: Node, ctx: ScopeContext): ProcessCount {
    let iterable: Node | null = node.childForFieldName('right');
    if (!iterable) {
      const clause = node.namedChildren.find((c) => c?.type === 'for_in_clause');
      iterable = clause?.childForFieldName('right') ?? null;
    }
    if (iterable?.type === 'call' && iterable.childForFieldName('function')?.text === 'range') {
      const args = positionalArgs(iterable.childForFieldName('arguments')!);
      const stop = args.length === 1 ? args[0] : args.length >= 2 ? args[1] : undefined;
      const start = args.length >= 2 ? this.intValue(args[0], ctx) : 0;
      const end = stop ? this.intValue(stop, ctx) : undefined;
      if (end !== undefined && start !== undefined) return { kind: 'known', n: Math.max(0, end - start), source: this.span(iterable) };
      if (stop) {
        // A loop that starts processes is written to start several, unless the environment decides.
        const count = this.countOf(stop, ctx, true);
        if (environmentVariable(stop)) return count;
        // `range(count)` of a parameter: the callers may say how many (model/paramCounts.ts).
        const param = args.length === 1 && count.kind === 'unknown' ? count.param : undefined;
        return { kind: 'unknown', dependsOn: `the loop (range(${stop.text}))`, atLeast: 2, ...(param && { param, source: this.span(iterable) }) };
      }
    }
    if (iterable?.type === 'list' || iterable?.type === 'tuple') {
      return { kind: 'known', n: iterable.namedChildren.length, source: this.span(iterable) };
    }
    return { kind: 'unknown', dependsOn: 'the loop', atLeast: 2 };
  }

  private intValue(node: Node, ctx: ScopeContext): number | undefined {
    if (node.type === 'integer') return Number(node.text.replace(/_/g, ''));
    if (node.type === 'identifier' && !ctx.params.includes(node.text)) {
      const value = this.constants.get(node.text);
      if (value !== undefined && /^\d+$/.test(value)) return Number(value);
      // `world_size = 4` earlier in the function, then `nprocs=world_size`.
      const local = ctx.locals.get(node.text);
      if (local?.kind === 'expr' && /^\d[\d_]*$/.test(local.text)) return Number(local.text.replace(/_/g, ''));
    }
    return undefined;
  }

  /** How many processes a size argument (or, with `loop`, a loop's range bound) asks for. */
  private countOf(node: Node | undefined, ctx: ScopeContext, loop = false): ProcessCount {
    if (!node || node.text === 'None') return { kind: 'unknown', dependsOn: 'CPU count', atLeast: 2 };
    const n = this.intValue(node, ctx);
    if (n !== undefined) return { kind: 'known', n, source: this.span(node) };
    const env = environmentVariable(node);
    if (env) {
      // Even with a default in the code, the deployed value decides: information, not proof.
      if (env.default !== undefined) {
        return { kind: 'unknown', dependsOn: `the environment variable ${env.name} (default ${env.default})`, source: this.span(node) };
      }
      return { kind: 'unknown', dependsOn: `the environment variable ${env.name}`, source: this.span(node) };
    }
    if (/cpu_count\s*\(/.test(node.text)) return { kind: 'unknown', dependsOn: 'CPU count', atLeast: 2, source: this.span(node) };
    if (node.type === 'identifier' && ctx.params.includes(node.text)) {
      const fallback = this.facts.functions.find((f) => f.scope === ctx.scope)?.defaults?.[node.text];
      return { kind: 'unknown', dependsOn: `the argument '${node.text}'${fallback !== undefined ? ` (default ${fallback})` : ''}`, source: this.span(node), param: node.text };
    }
    return { kind: 'unknown', dependsOn: loop ? `the loop (${node.text})` : `the value of \`${node.text}\``, source: this.span(node) };
  }

  // ---------------------------------------------------------------- statements

  private visitAssignment(node: Node, ctx: ScopeContext): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type === 'identifier' && right) {
      if (ctx.scope === this.moduleScopeId && (right.type === 'string' || right.type === 'call' || right.type === 'binary_operator')) {
        // Module constants that fold to a path: LOG_FILE = "app.log", os.path.join("logs", "a.log").
        const value = this.pathOf(right, ctx);
        if (value.kind === 'literal') this.constants.set(left.text, value.value);
      }
      if (ctx.scope === this.moduleScopeId && right.type === 'integer') this.constants.set(left.text, right.text);
      if (ctx.scope === this.moduleScopeId && (right.type === 'identifier' || right.type === 'attribute')) this.recordNameAlias(node, left.text, right, ctx);
      const binding = this.bindingOf(right, ctx);
      ctx.locals.delete(left.text);
      if (right.type === 'call') this.visitCall(right, ctx, left.text);
      else this.walk(right, ctx);
      // What the call itself bound (a pool, a handler, a fork result) wins over plain text.
      const bySite = ctx.locals.get(left.text);
      if (binding && (!bySite || bySite.kind === 'expr')) ctx.locals.set(left.text, binding);
      return;
    }
    // `logger.handlers = []`, `logger.handlers[:] = []`
    const handlersList = left?.type === 'subscript' ? left.childForFieldName('value') : left;
    if (handlersList?.type === 'attribute' && handlersList.childForFieldName('attribute')?.text === 'handlers' && right?.type === 'list' && right.namedChildren.length === 0) {
      this.recordHandlerClear(handlersList.childForFieldName('object'), node, ctx);
    }
    if (left?.type === 'attribute') this.recordAttributeWrite(left, ctx);
    // `logger.propagate = False`
    if (left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'propagate' && right?.text === 'False') {
      const logger = this.loggerName(left.childForFieldName('object'), ctx);
      if (logger !== undefined) {
        this.nonPropagating.add(logger);
        this.segment?.nonPropagating.push(logger);
      }
    }
    this.walkBlock(node, ctx);
  }

  /**
   * `logqueue.log_queue = q`, `logqueue` an imported name: a global of another module, if the
   * linker finds that `logqueue` is one. The unit running it hands that module the value
   * (LF103 across modules: an initializer setting the queue global the tasks read).
   */
  private recordAttributeWrite(target: Node, ctx: ScopeContext): void {
    const object = target.childForFieldName('object');
    const attr = target.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || !attr || ctx.params.includes(object.text)) return;
    const imported = this.importedFromWorkspace(object.text);
    if (!imported) return;
    const write = { target: `${imported}.${attr}`, scope: ctx.scope };
    this.attributeWrites.push(write);
    this.segment?.attributeWrites.push(write);
  }

  /**
   * `@logged def work(...)`: calling `work` runs the wrapper `logged` returns, a function nested
   * in the decorator. Recorded as a call from `work` to the decorator marked `decorates`, which
   * the linker turns into calls to the decorator's nested functions.
   */
  private recordDecorators(node: Node, def: Node, ctx: ScopeContext): void {
    const name = def.childForFieldName('name')?.text;
    if (!name) return;
    const scope = functionScope(this.moduleName, [ctx.qualname, name].filter(Boolean).join('.'));
    for (const decorator of node.namedChildren) {
      if (decorator?.type === 'decorator') this.recordDecorating(scope, decorator.namedChildren[0], ctx);
    }
  }

  /**
   * `deco`, or the factory call `deco(level="INFO")` (what it returns decorates), decorating the
   * function of scope `from`: a `decorates` call to `deco`. Returns whether it was recorded.
   */
  private recordDecorating(from: ScopeId, written: Node | null, ctx: ScopeContext): boolean {
    const expr = written?.type === 'call' ? written.childForFieldName('function') : written;
    if (!expr || (expr.type !== 'identifier' && expr.type !== 'attribute')) return false;
    const callee = this.symbolRef(expr, ctx);
    if (!callee || isExternal(callee.name)) return false;
    this.facts.calls.push({ from, callee, decorates: true });
    return true;
  }

  /**
   * `work = logged(work)` or `work = logged(level)(work)` at module level (or in a class body),
   * `work` a function defined there: the `@logged` decorator written out, recorded as
   * `recordDecorators` records it. Returns whether it was one.
   */
  private recordRebindingDecorator(call: Node, name: string, ctx: ScopeContext): boolean {
    if (ctx.scope !== this.moduleScopeId) return false;
    const args = call.childForFieldName('arguments');
    const positional = args ? positionalArgs(args) : [];
    if (positional.length !== 1 || positional[0].type !== 'identifier' || positional[0].text !== name) return false;
    const qualname = [ctx.qualname, name].filter(Boolean).join('.');
    if (!this.facts.functions.some((f) => f.qualname === qualname)) return false;
    return this.recordDecorating(functionScope(this.moduleName, qualname), call.childForFieldName('function'), ctx);
  }

  /**
   * `setup = configure`, `init = applog.configure` at module level: the name is another spelling
   * of that function, as `from m import configure as setup` would make it, so it is recorded as
   * that import and calls through it (`setup()`, `initializer=init`) resolve to the function.
   */
  private recordNameAlias(node: Node, name: string, value: Node, ctx: ScopeContext): void {
    const target = this.qualify(value, ctx);
    const dot = target?.lastIndexOf('.') ?? -1;
    if (!target || dot <= 0 || isExternal(target) || target === `${this.moduleName}.${name}`) return;
    this.facts.imports.push({ fromModule: this.moduleName, module: target.slice(0, dot), name: target.slice(dot + 1), alias: name, span: this.span(node), scope: ctx.scope });
  }

  private visitWith(node: Node, ctx: ScopeContext): void {
    const clause = node.namedChildren.find((c) => c?.type === 'with_clause');
    const pools: { call: Node; name: string; startIndex: number }[] = [];
    for (const item of clause?.namedChildren ?? []) {
      if (item?.type !== 'with_item') continue;
      if (!item) continue;
      const value = item.childForFieldName('value');
      if (value?.type === 'as_pattern') {
        const expr = value.namedChildren[0];
        const target = value.childForFieldName('alias')?.namedChildren[0] ?? value.childForFieldName('alias');
        if (expr && target?.type === 'identifier') {
          const binding = this.bindingOf(expr, ctx);
          ctx.locals.delete(target.text);
          if (expr.type === 'call') this.visitCall(expr, ctx, target.text);
          const bySite = ctx.locals.get(target.text);
          if (binding && (!bySite || bySite.kind === 'expr')) ctx.locals.set(target.text, binding);
          if (bySite?.kind === 'pool') pools.push({ call: expr, name: target.text, startIndex: bySite.startIndex });
          continue;
        }
      }
      if (value) this.walk(value, ctx);
    }
    const body = node.childForFieldName('body');
    if (!body) return;
    const hazardsBefore = this.facts.hazards.length;
    this.walkBlock(body, ctx);
    // A queue that already fails to reach the tasks (LF102) loses its records another way.
    if (this.facts.hazards.slice(hazardsBefore).some((h) => h.rule === 'LF102')) return;
    for (const pool of pools) this.checkPoolExit(node, body, pool, ctx);
  }

  /**
   * LF106: `with Pool(...) as p:` ends with `p.terminate()` (Pool.__exit__), killing workers whose
   * records may still sit in a multiprocessing.Queue's feeder buffer. Only when the workers log
   * through such a queue: it is handed to them (initargs) or a QueueListener in this code unit
   * reads it. `p.join()` in the block (after `close()`) lets each worker exit and flush first.
   */
  private checkPoolExit(withNode: Node, body: Node, pool: { call: Node; name: string; startIndex: number }, ctx: ScopeContext): void {
    if (this.facts.starts[pool.startIndex]?.mechanism !== 'multiprocessing.Pool') return;
    const joins = body.descendantsOfType('call').some((call) => {
      const fn = call?.childForFieldName('function');
      return fn?.type === 'attribute' && fn.childForFieldName('object')?.text === pool.name && fn.childForFieldName('attribute')?.text === 'join';
    });
    if (joins) return;
    const queue = this.queueOfPoolWorkers(withNode, pool.call, ctx);
    if (!queue) return;
    this.facts.hazards.push({
      rule: 'LF106',
      span: this.span(pool.call),
      scope: ctx.scope,
      message: `Leaving this with block terminates the pool's workers (Pool.__exit__ calls terminate()) while they log through the multiprocessing.Queue '${queue.name}': records still in a worker's queue buffer are lost, and a worker killed while writing to the queue leaves QueueListener.stop() waiting forever. Call ${pool.name}.close() and ${pool.name}.join() at the end of the block.`,
      related: [
        { span: queue.binding.span, message: `'${queue.name}' is created here` },
        ...(queue.listener ? [{ span: queue.listener, message: `the QueueListener reading '${queue.name}'` }] : []),
      ],
    });
  }

  /** The multiprocessing.Queue the pool's workers log through: in its initargs, or read by a QueueListener of this unit. */
  private queueOfPoolWorkers(withNode: Node, poolCall: Node, ctx: ScopeContext): { name: string; binding: Extract<Binding, { kind: 'mpQueue' }>; listener?: Span } | undefined {
    const mpQueue = (expr: Node | null | undefined) => {
      const b = expr?.type === 'identifier' ? this.lookup(expr.text, ctx) : undefined;
      return b?.kind === 'mpQueue' && b.fed ? { name: expr!.text, binding: b } : undefined;
    };
    const args = poolCall.childForFieldName('arguments');
    const initargs = args ? keywordArg(args, 'initargs') ?? positionalArgs(args)[2] : undefined;
    for (const item of initargs && /^(tuple|list)$/.test(initargs.type) ? initargs.namedChildren : []) {
      const handed = mpQueue(item);
      if (handed) return handed;
    }
    const unit = codeUnitOf(withNode);
    if (!unit.text.includes('QueueListener')) return undefined;
    for (const call of unit.descendantsOfType('call')) {
      if (!call || call.startIndex > withNode.startIndex) continue;
      if (this.qualify(call.childForFieldName('function'), ctx) !== 'logging.handlers.QueueListener') continue;
      const callArgs = call.childForFieldName('arguments');
      const read = mpQueue(callArgs ? keywordArg(callArgs, 'queue') ?? positionalArgs(callArgs)[0] : undefined);
      if (read) return { ...read, listener: this.span(call) };
    }
    return undefined;
  }

  private lookup(name: string, ctx: ScopeContext): Binding | undefined {
    return ctx.locals.get(name) ?? this.moduleLocals.get(name);
  }

  /** What an expression evaluates to, for the bindings we track. */
  private bindingOf(expr: Node, ctx: ScopeContext): Binding | undefined {
    if (expr.type === 'identifier') return this.lookup(expr.text, ctx);
    if (/^(list|tuple|list_comprehension|generator_expression|set)$/.test(expr.type)) {
      // A container holding a multiprocessing.Queue carries the same pickling problem.
      for (const id of expr.descendantsOfType('identifier')) {
        const b = id ? this.lookup(id.text, ctx) : undefined;
        if (b?.kind === 'mpQueue') return b;
      }
      return { kind: 'expr', text: expr.text };
    }
    if (expr.type !== 'call') return { kind: 'expr', text: expr.text };
    const fnNode = expr.childForFieldName('function');
    const fn = this.qualify(fnNode, ctx);
    const args = expr.childForFieldName('arguments');
    if (fn && isGetContext(fn)) {
      const first = args ? positionalArgs(args)[0] : undefined;
      if (!first) return { kind: 'context' };
      if (first.type === 'string') return { kind: 'context', method: stringValue(first) as StartMethod };
      return { kind: 'context', methodUnknown: true };
    }
    if (fn && isManager(fn)) return { kind: 'manager' };
    if (fn && isPlainMpQueue(fn)) return { kind: 'mpQueue', span: this.span(expr), fed: !fn.endsWith('SimpleQueue') };
    if (fn === 'logging.getLogger') {
      const first = args ? positionalArgs(args)[0] : undefined;
      if (!first) return { kind: 'logger', name: '' };
      if (first.type === 'string' && !hasInterpolation(first)) return { kind: 'logger', name: stringValue(first) };
      if (first.text === '__name__') return { kind: 'logger', name: this.moduleName };
      // A logger whose name is computed: still a logger (looksLikeLogger), name unknown.
      return { kind: 'expr', text: expr.text };
    }
    // Methods on tracked objects: ctx.Queue(), manager.Queue(), ctx.Pool(...)
    if (fnNode?.type === 'attribute') {
      const object = fnNode.childForFieldName('object');
      const method = fnNode.childForFieldName('attribute')?.text;
      const owner = object?.type === 'identifier' ? this.lookup(object.text, ctx) : object?.type === 'call' ? this.bindingOf(object, ctx) : undefined;
      if (owner?.kind === 'manager' && method && /Queue$/.test(method)) return { kind: 'managerQueue' };
      if (owner?.kind === 'context' && method && /Queue$/.test(method)) return { kind: 'mpQueue', span: this.span(expr), fed: method !== 'SimpleQueue' };
    }
    const cls = fnNode?.type === 'identifier' ? this.aliases.get(fnNode.text) : undefined;
    // Of this module or imported (`r = Runner()`, `from app.run import Runner`): `r.go()` is then
    // `app.run.Runner.go`, which the linker resolves when Runner is a workspace class.
    if (cls && /^[A-Z]/.test(fnNode!.text) && !isExternal(cls)) return { kind: 'instance', cls };
    return { kind: 'expr', text: expr.text };
  }

  // ---------------------------------------------------------------- calls

  private visitCall(node: Node, ctx: ScopeContext, assignedTo?: string): void {
    const fnNode = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    const fn = this.qualify(fnNode, ctx);
    const method = fnNode?.type === 'attribute' ? fnNode.childForFieldName('attribute')?.text : undefined;
    const ownerNode = fnNode?.type === 'attribute' ? fnNode.childForFieldName('object') : null;
    const owner = ownerNode?.type === 'identifier' ? this.lookup(ownerNode.text, ctx) : ownerNode?.type === 'call' ? this.bindingOf(ownerNode, ctx) : undefined;

    let handled = false;
    if (fn) handled = this.visitKnownCall(node, fn, ctx, assignedTo);
    if (!handled && method && owner?.kind === 'context') {
      handled = this.visitStart(node, method === 'Process' ? 'Process' : method === 'Pool' ? 'Pool' : undefined, ctx, assignedTo, owner);
    }
    if (!handled && method && owner?.kind === 'pool' && POOL_TASK_METHODS.has(method)) {
      this.visitPoolTask(node, owner.startIndex, method, ctx);
      handled = true; // the task function runs in the workers, not here
    }
    if (method && LOG_METHODS.has(method) && ownerNode && this.looksLikeLogger(ownerNode, ctx)) {
      // `logging.info(...)` logs to the root logger; a name bound by getLogger(...) to that logger.
      const logger = this.qualify(ownerNode, ctx) === 'logging' ? '' : this.loggerName(ownerNode, ctx);
      this.facts.logCalls.push(logger === undefined ? { scope: ctx.scope, span: this.span(node) } : { scope: ctx.scope, span: this.span(node), logger });
    }
    if (method === 'addHandler' && ownerNode) this.visitAddHandler(node, ownerNode, ctx);
    if (method === 'removeHandler' && ownerNode) this.visitHandlerRemoval(node, ctx);
    // `logger.handlers.clear()`
    if (method === 'clear' && ownerNode?.type === 'attribute' && ownerNode.childForFieldName('attribute')?.text === 'handlers') {
      this.recordHandlerClear(ownerNode.childForFieldName('object'), node, ctx);
    }
    if (fnNode?.type === 'call') {
      // `Parallel(n_jobs=4)(delayed(f)(i) for i in ...)`
      const inner = this.qualify(fnNode.childForFieldName('function'), ctx);
      if (inner === 'joblib.Parallel') this.visitJoblib(node, fnNode, ctx);
    }
    // What the call calls, when no visitor above took the call as one of its own.
    const callee = fnNode && !handled ? this.symbolRef(fnNode, ctx) : undefined;
    if (callee) {
      if (!isExternal(callee.name)) {
        const positional = argsNode ? positionalArgs(argsNode) : undefined;
        const first = argsNode ? positional![0] ?? keywordArg(argsNode, 'filename') : undefined;
        this.facts.calls.push({
          from: ctx.scope,
          callee,
          pathArg: first ? this.pathOf(first, ctx) : undefined,
          inLoop: ctx.inLoop || undefined,
          args: positional ? positional.map((a) => a.text) : [],
          kwargs: argsNode ? keywordArgs(argsNode) : undefined,
          loopVars: ctx.loopVars,
          guard: ctx.guard?.kind,
        });
      }
    }
    // `work = logged(work)`: decorating, not running `work` here.
    const decorated = assignedTo !== undefined && !handled && this.recordRebindingDecorator(node, assignedTo, ctx);
    // Functions passed as values (callbacks, thread targets) run in this process too, unless
    // the function they are passed to hands them to a process start (`passedTo`, processModel).
    // Positions count until a `*args`, after which they are unknown.
    let position: number | undefined = 0;
    for (const arg of handled ? [] : argsNode?.namedChildren ?? []) {
      if (!arg || arg.type === 'comment') continue;
      if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') position = undefined;
      const keyword = arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
      const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
      const slot = keyword ?? (position === undefined ? undefined : position++);
      if ((value?.type === 'identifier' || value?.type === 'attribute') && !(decorated && value.text === assignedTo)) {
        const qualified = this.qualify(value, ctx);
        if (qualified && qualified.startsWith(this.moduleName + '.')) {
          const call: CallEdge = { from: ctx.scope, callee: { fromModule: this.moduleName, name: qualified, span: this.span(value) } };
          if (callee && slot !== undefined) call.passedTo = { callee: callee.name, arg: slot };
          this.facts.calls.push(call);
        }
      }
    }
    if (fnNode && fnNode.type !== 'identifier') this.walk(fnNode, ctx);
    if (argsNode) this.walkBlock(argsNode, ctx);
  }

  /** Calls to a known API; returns true when the call was fully handled. */
  private visitKnownCall(node: Node, fn: string, ctx: ScopeContext, assignedTo?: string): boolean {
    const info = handlerClass(fn);
    if (info) {
      this.recordHandler(node, fn, info.kind, info.pathArg, ctx, assignedTo);
      return true;
    }
    if (fn === 'logging.basicConfig') {
      const args = node.childForFieldName('arguments');
      const filename = args ? keywordArg(args, 'filename') : undefined;
      if (filename) {
        const site = this.addHandlerSite(node, 'logging.basicConfig', 'plain-file', this.handlerPathOf(filename, ctx), ctx);
        site.loggers = [''];
        this.handlerUse.set(site, { attached: true, listener: false });
      }
      const handlersArg = args ? keywordArg(args, 'handlers') : undefined;
      for (const h of handlersArg?.namedChildren ?? []) if (h) this.attachHandlerExpr(h, '', ctx);
      return false;
    }
    const api = startApi(fn);
    if (api) return this.visitStart(node, api.api, ctx, assignedTo);
    if (isSetStartMethod(fn)) {
      const first = positionalArgs(node.childForFieldName('arguments')!)[0];
      if (first?.type === 'string') {
        this.facts.startMethods.push({ method: stringValue(first) as StartMethod, span: this.span(node), scope: ctx.scope });
      } else {
        this.facts.startMethods.push({ method: 'fork', unknown: true, span: this.span(node), scope: ctx.scope });
      }
      return true;
    }
    if (/^(pickle|cPickle|_pickle)\.(loads?|Unpickler)$/.test(fn)) {
      if (this.isNetworkModule()) {
        this.facts.hazards.push({
          rule: 'LF101',
          span: this.span(node),
          scope: ctx.scope,
          // A proposal: receivedBytes.ts keeps it when the bytes trace back to a socket.
          message: UNPICKLE_MESSAGE,
        });
      }
      return false;
    }
    if (fn === 'logging.config.listen' && !(node.childForFieldName('arguments') && keywordArg(node.childForFieldName('arguments')!, 'verify'))) {
      this.facts.hazards.push({
        rule: 'LF101',
        span: this.span(node),
        scope: ctx.scope,
        message: 'logging.config.listen() applies whatever configuration arrives on its socket, which can import and run any code (no verify= function is given).',
      });
      return false;
    }
    if (EXEC_FUNCTIONS.has(fn)) {
      const first = positionalArgs(node.childForFieldName('arguments')!)[0];
      const bound = first?.type === 'identifier' ? this.lookup(first.text, ctx) : undefined;
      const program = bound?.kind === 'expr' ? bound.text : first?.text ?? '';
      if (/sys\.executable|sys\.argv\[0\]/.test(program) && !this.stopsChildrenBefore(node)) {
        this.facts.hazards.push({
          rule: 'LF104',
          span: this.span(node),
          scope: ctx.scope,
          message: 'This process re-executes itself while the children it started keep running: the new image starts another set of writers on the same log files.',
        });
      }
      return false;
    }
    return false;
  }

  /** `child.join()` / `.terminate()` / `.kill()` earlier in the same function: children are gone. */
  private stopsChildrenBefore(call: Node): boolean {
    const unit = codeUnitOf(call);
    const before = this.root.text.slice(unit.startIndex - this.root.startIndex, call.startIndex - this.root.startIndex);
    if (/\.(join|terminate|kill|shutdown)\s*\(|os\.wait(pid)?\s*\(/.test(before)) return true;
    // `with Pool(...) as p:` / `with ProcessPoolExecutor(...)` left before the call: leaving the
    // block terminates the pool's workers or waits for the executor's.
    return unit.descendantsOfType('with_statement').some((block) => {
      if (block.endIndex > call.startIndex) return false;
      const items = block.text.slice(0, (block.childForFieldName('body')?.startIndex ?? block.endIndex) - block.startIndex);
      return /\b(Pool|ProcessPoolExecutor)\s*\(/.test(items);
    });
  }

  private isNetworkModule(): boolean {
    if (this.usesSockets) return true;
    for (const target of this.aliases.values()) {
      if (/^(socketserver|socket|asyncio|selectors)(\.|$)/.test(target)) return (this.usesSockets = true);
    }
    return false;
  }

  private looksLikeLogger(owner: Node, ctx: ScopeContext): boolean {
    const text = owner.text;
    if (owner.type === 'identifier') {
      const alias = this.aliases.get(text);
      if (alias === 'logging' || alias === 'loguru.logger') return true;
      const binding = this.lookup(text, ctx);
      if (binding?.kind === 'logger') return true;
      // `lg = logging.getLogger(f"w{n}")`, `lg = _file_logger("reader")`: whatever the name,
      // it holds what a function named for loggers returned.
      if (binding?.kind === 'expr' && /^[\w.]*log\w*\s*\(/i.test(binding.text)) return true;
      // An imported module (math.log, numpy.log) is not a logger; an imported logger object is.
      if (alias && /^(math|cmath|numpy|torch|scipy|np)(\.|$)/.test(alias)) return false;
      return /log/i.test(text);
    }
    if (owner.type === 'call') return /log/i.test(owner.childForFieldName('function')?.text ?? '');
    return /log/i.test(owner.childForFieldName('attribute')?.text ?? '');
  }

  /**
   * LF103 candidate: the QueueHandler's queue is a module global, not handed to the function
   * creating it: a global of this module (`log_queue`), or of a module it imports
   * (`logqueue.log_queue`, or `log_queue` from `from logqueue import log_queue`). Which module
   * that is, and whether it is one of the workspace's, the linker tells.
   */
  private recordQueueGlobalRead(node: Node, args: Node, ctx: ScopeContext): void {
    const q = keywordArg(args, 'queue') ?? positionalArgs(args)[0];
    if (q?.type !== 'identifier' && q?.type !== 'attribute') return;
    const object = q.type === 'attribute' ? q.childForFieldName('object') : q;
    if (object?.type !== 'identifier') return;
    if (ctx.params.includes(object.text) || assignedNames(ctx.functionBody!).has(object.text)) return;
    let name: string | undefined;
    let module: string | undefined;
    if (!this.aliases.has(object.text)) {
      if (q.type === 'identifier') name = q.text; // this module's global
    } else {
      const imported = this.importedFromWorkspace(object.text);
      if (!imported) return;
      const dot = imported.lastIndexOf('.');
      if (q.type === 'attribute') [module, name] = [imported, q.childForFieldName('attribute')?.text];
      else if (dot > 0) [module, name] = [imported.slice(0, dot), imported.slice(dot + 1)];
    }
    if (!name) return;
    const global = module === undefined || q.type === 'attribute' ? `'${q.text}'` : `'${name}' (imported from '${module}')`;
    this.facts.hazards.push({
      rule: 'LF103',
      span: this.span(node),
      scope: ctx.scope,
      message: `This QueueHandler uses the module global ${global} instead of a queue handed to the child: under spawn and forkserver the child re-imports ${module === undefined ? 'the module' : `'${module}'`} and gets another (or no) queue, so its records silently vanish.`,
      queueGlobal: { name, setBy: [], ...(module !== undefined && { module }) },
    });
  }

  /**
   * What an imported name stands for, qualified, when that may be another module of the
   * workspace: not a definition of this module, nor a module outside the workspace (isExternal).
   */
  private importedFromWorkspace(name: string): string | undefined {
    const imported = this.aliases.get(name);
    return imported === undefined || imported.startsWith(`${this.moduleName}.`) || isExternal(imported) ? undefined : imported;
  }

  private recordHandler(
    node: Node,
    className: string,
    kind: HandlerSite['kind'],
    pathArg: { index: number; keyword: string } | undefined,
    ctx: ScopeContext,
    assignedTo?: string,
  ): void {
    const args = node.childForFieldName('arguments');
    let path: LogPath | undefined;
    if (pathArg && args) {
      const arg = keywordArg(args, pathArg.keyword) ?? positionalArgs(args)[pathArg.index];
      if (arg) path = this.handlerPathOf(arg, ctx);
    }
    const site = this.addHandlerSite(node, className, kind, path, ctx);
    this.handlerUse.set(site, { attached: false, listener: false });
    const spelledAs = node.childForFieldName('function')?.text.split('.')[0] ?? '';
    const safeAlternative = [...(this.alternatives.get(spelledAs) ?? [])].find((alt) => handlerClass(alt)?.kind === 'process-safe-file');
    if (safeAlternative && kind !== 'process-safe-file') {
      site.dependsOn = `whether ${safeAlternative.split('.')[0]} is installed (otherwise ${className} is used)`;
    }
    if (kind === 'queue' && args && ctx.functionBody) this.recordQueueGlobalRead(node, args, ctx);
    const sinkKey = kind === 'socket' || kind === 'queue' ? `${className}(${args?.text ?? ''})` : undefined;
    const address = kind === 'socket' ? this.sinkAddress(className, args, ctx) : undefined;
    if (assignedTo) ctx.locals.set(assignedTo, { kind: 'handler', site, sinkKey, ...(address && { address }), span: this.span(node) });
    // A handler created inline as an argument: its consumer decides (see visitAddHandler / listener).
    const parentCall = node.parent?.parent;
    if (parentCall?.type === 'call') {
      const parentFn = this.qualify(parentCall.childForFieldName('function'), ctx) ?? '';
      if (/QueueListener$/.test(parentFn)) this.handlerUse.get(site)!.listener = true;
    }
    if (this.inlineAttachments.has(node.startIndex)) {
      const logger = this.inlineAttachments.get(node.startIndex);
      this.inlineAttachments.delete(node.startIndex);
      this.handlerUse.get(site)!.attached = true;
      if (logger !== undefined) site.loggers = [...(site.loggers ?? []), logger];
    }
  }

  private addHandlerSite(node: Node, className: string, kind: HandlerSite['kind'], path: LogPath | undefined, ctx: ScopeContext): HandlerSite {
    const site: HandlerSite = { kind, className, path, span: this.span(node), scope: ctx.scope, origin: 'code' };
    if (ctx.guard) site.guard = ctx.guard;
    this.facts.handlers.push(site);
    return site;
  }

  private recordHandlerClear(loggerNode: Node | null, at: Node, ctx: ScopeContext): void {
    const logger = loggerNode?.text === 'logging.getLogger()' ? '' : this.loggerName(loggerNode, ctx);
    if (logger !== undefined) this.facts.handlerClears.push({ scope: ctx.scope, logger, span: this.span(at) });
  }

  /**
   * `logger.removeHandler(h)`: h is gone from here on (for later forks). Not `h.close()` alone:
   * a closed FileHandler in append mode opens its file again at the next record.
   */
  private visitHandlerRemoval(node: Node, ctx: ScopeContext): void {
    const handlerNode = positionalArgs(node.childForFieldName('arguments')!)[0];
    if (handlerNode?.type !== 'identifier') return;
    // `for h in list(root.handlers): root.removeHandler(h)`: every handler of that logger goes.
    const handlersOwner = loopOverHandlers(node, handlerNode.text);
    if (handlersOwner) return this.recordHandlerClear(handlersOwner, node, ctx);
    const binding = this.lookup(handlerNode.text, ctx);
    const site = binding?.kind === 'handler' ? binding.site : undefined;
    if (!site || site.scope !== ctx.scope || site.removed) return;
    this.touchSite(site);
    site.removed = this.span(node);
  }

  private visitAddHandler(node: Node, ownerNode: Node, ctx: ScopeContext): void {
    const arg = positionalArgs(node.childForFieldName('arguments')!)[0];
    if (!arg) return;
    const logger = this.loggerName(ownerNode, ctx);
    this.attachHandlerExpr(arg, logger, ctx);
  }

  /** `logger.addHandler(h)` / `basicConfig(handlers=[h])`: h writes wherever that logger logs. */
  private attachHandlerExpr(expr: Node, logger: string | undefined, ctx: ScopeContext): void {
    let binding: Binding | undefined;
    if (expr.type === 'identifier') binding = this.lookup(expr.text, ctx);
    if (binding?.kind === 'handler') {
      this.touchSite(binding.site);
      if (binding.site) {
        const use = this.handlerUse.get(binding.site);
        if (use) use.attached = true;
        if (logger !== undefined) binding.site.loggers = [...(binding.site.loggers ?? []), logger];
      }
      if (binding.sinkKey && logger !== undefined) {
        this.loggerSinks.push({ logger, sinkKey: binding.sinkKey, span: binding.span, scope: ctx.scope, ...(binding.address && { address: binding.address }) });
      }
      return;
    }
    if (expr.type === 'call') {
      // Inline creation: recordHandler attaches the site when the arguments are walked.
      this.inlineAttachments.set(expr.startIndex, logger);
      const fn = this.qualify(expr.childForFieldName('function'), ctx);
      const info = fn ? handlerClass(fn) : undefined;
      if (info && (info.kind === 'socket' || info.kind === 'queue') && logger !== undefined) {
        const args = expr.childForFieldName('arguments');
        const address = info.kind === 'socket' ? this.sinkAddress(fn!, args, ctx) : undefined;
        this.loggerSinks.push({ logger, sinkKey: `${fn}(${args?.text ?? ''})`, span: this.span(expr), scope: ctx.scope, ...(address && { address }) });
      }
    }
  }

  /** The logger an expression denotes: `''` for root, undefined if unknown. */
  private loggerName(node: Node | null, ctx: ScopeContext): string | undefined {
    if (!node) return undefined;
    if (node.type === 'identifier') {
      const b = this.lookup(node.text, ctx);
      return b?.kind === 'logger' ? b.name : undefined;
    }
    if (node.text === 'logging.root') return '';
    if (node.type === 'call') {
      const b = this.bindingOf(node, ctx);
      return b?.kind === 'logger' ? b.name : undefined;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- process starts

  private visitStart(
    node: Node,
    api: 'Process' | 'Pool' | 'ProcessPoolExecutor' | 'fork' | 'joblib.Parallel' | 'torch.spawn' | undefined,
    ctx: ScopeContext,
    assignedTo?: string,
    context?: Extract<Binding, { kind: 'context' }>,
  ): boolean {
    if (!api || api === 'joblib.Parallel') return false;
    const args = node.childForFieldName('arguments');
    const positional = args ? positionalArgs(args) : [];
    const startMethod = context?.method;
    const loopCount = ctx.inLoop ? ctx.loopCount ?? { kind: 'unknown', dependsOn: 'the loop', atLeast: 2 } : undefined;
    const common = {
      span: this.span(node),
      scope: ctx.scope,
      entryModules: [] as string[],
      startMethod,
    };
    if (api === 'Process') {
      const target = args ? keywordArg(args, 'target') ?? positional[1] : undefined;
      const ref = target ? this.symbolRef(target, ctx) : undefined;
      const argsTuple = args ? keywordArg(args, 'args') ?? positional[2] : undefined;
      this.facts.starts.push({
        ...common,
        targetArgs: argsTuple && (argsTuple.type === 'tuple' || argsTuple.type === 'list') ? argsTuple.namedChildren.map((c) => c?.text ?? '') : undefined,
        loopVars: ctx.loopVars,
        mechanism: 'multiprocessing.Process',
        targets: ref ? [ref] : [],
        initializers: [],
        count: loopCount ?? { kind: 'known', n: 1 },
        description: `${node.childForFieldName('function')?.text ?? 'Process'}(target=${target?.text ?? '?'}) starts ${loopCount ? 'a process per loop iteration' : 'a child process'}`,
      });
      this.markUnknownMethod(context);
      return true;
    }
    if (api === 'fork') {
      this.facts.starts.push({
        ...common,
        mechanism: 'os.fork',
        targets: [],
        initializers: [],
        childScopes: [ctx.scope],
        continuesInChild: true,
        count: loopCount ?? { kind: 'known', n: 1 },
        description: `${node.childForFieldName('function')?.text ?? 'os.fork'}() copies this process; the child runs the rest of this code`,
        startMethod: 'fork',
      });
      if (assignedTo) {
        ctx.locals.set(assignedTo, { kind: 'forkResult', startIndex: this.facts.starts.length - 1 });
        this.sawForkResult = true;
      }
      return true;
    }
    if (api === 'torch.spawn') {
      const target = positional[0];
      const ref = target ? this.symbolRef(target, ctx) : undefined;
      const nprocs = args ? keywordArg(args, 'nprocs') ?? positional[2] : undefined;
      const argsTuple = args ? keywordArg(args, 'args') ?? positional[1] : undefined;
      const count: ProcessCount = nprocs ? this.countOf(nprocs, ctx) : { kind: 'known', n: 1 };
      this.facts.starts.push({
        ...common,
        mechanism: 'other',
        targets: ref ? [ref] : [],
        // The target is called as f(rank, *args): the rank differs per child, the rest do not.
        targetArgs: argsTuple && (argsTuple.type === 'tuple' || argsTuple.type === 'list') ? ['', ...argsTuple.namedChildren.map((c) => c?.text ?? '')] : undefined,
        initializers: [],
        count,
        startMethod: 'spawn',
        description: `torch.multiprocessing.spawn(${target?.text ?? '?'}) starts ${count.kind === 'known' ? count.n : nprocs?.text} processes`,
      });
      return true;
    }
    // Pool / ProcessPoolExecutor: workers run the initializer and every submitted task.
    const sizeArg = args ? keywordArg(args, api === 'Pool' ? 'processes' : 'max_workers') ?? positional[0] : undefined;
    const initializer = args ? keywordArg(args, 'initializer') ?? (api === 'Pool' ? positional[1] : positional[2]) : undefined;
    const initRef = initializer ? this.symbolRef(initializer, ctx) : undefined;
    const initargs = args ? keywordArg(args, 'initargs') ?? (api === 'Pool' ? positional[2] : positional[3]) : undefined;
    let method = startMethod;
    if (api === 'ProcessPoolExecutor' && args) {
      const mpContext = keywordArg(args, 'mp_context');
      const b = mpContext ? this.bindingOf(mpContext, ctx) : undefined;
      if (b?.kind === 'context') method = b.method;
    }
    const count = this.countOf(sizeArg, ctx);
    const mechanism = api === 'Pool' ? 'multiprocessing.Pool' : 'ProcessPoolExecutor';
    this.facts.starts.push({
      ...common,
      startMethod: method,
      mechanism,
      targets: [],
      initializers: initRef ? [initRef] : [],
      initializerArgs: initargs && (initargs.type === 'tuple' || initargs.type === 'list') ? initargs.namedChildren.map((c) => c?.text ?? '') : undefined,
      count: multiply(count, loopCount),
      description: `${node.childForFieldName('function')?.text ?? api}(${sizeArg?.text ?? ''}) starts ${describeCount(count)}`,
    });
    const startIndex = this.facts.starts.length - 1;
    if (assignedTo) ctx.locals.set(assignedTo, { kind: 'pool', startIndex });
    // `Pool(4).map(f, xs)` written inline.
    const outer = node.parent;
    if (outer?.type === 'attribute' && outer.parent?.type === 'call') {
      const m = outer.childForFieldName('attribute')?.text;
      if (m && POOL_TASK_METHODS.has(m)) this.visitPoolTask(outer.parent, startIndex, m, ctx);
    }
    return true;
  }

  private markUnknownMethod(context?: Extract<Binding, { kind: 'context' }>): void {
    if (context?.methodUnknown) {
      this.facts.starts[this.facts.starts.length - 1].startMethodUnknown = true;
    }
  }

  private visitPoolTask(node: Node, startIndex: number, method: string, ctx: ScopeContext): void {
    const start = this.facts.starts[startIndex];
    this.touchStart(startIndex);
    const args = node.childForFieldName('arguments');
    if (!args) return;
    const positional = positionalArgs(args);
    const fnArg = keywordArg(args, 'func') ?? keywordArg(args, 'fn') ?? positional[0];
    const ref = fnArg ? this.symbolRef(fnArg, ctx) : undefined;
    if (ref) start.targets.push(ref);
    start.taskSpans = [...(start.taskSpans ?? []), this.span(node)];
    // LF102: a plain multiprocessing.Queue in the task arguments cannot be pickled to workers.
    const report = (name: string, queue: Extract<Binding, { kind: 'mpQueue' }>) => {
      this.facts.hazards.push({
        rule: 'LF102',
        span: this.span(node),
        scope: ctx.scope,
        message: `The multiprocessing.Queue '${name}' is passed to ${method}() of a process pool: pickling it for the workers raises RuntimeError ("Queue objects should only be shared between processes through inheritance"). Use a Manager().Queue(), or pass it through initializer/initargs.`,
        related: [{ span: queue.span, message: `'${name}' is created here` }],
      });
    };
    for (const arg of args.namedChildren) {
      if (!arg || arg === fnArg) continue;
      if (arg.type === 'keyword_argument' && /^(callback|error_callback|chunksize|timeout)$/.test(arg.childForFieldName('name')?.text ?? '')) continue;
      for (const id of [arg, ...arg.descendantsOfType('identifier')]) {
        if (!id || id.type !== 'identifier') continue;
        const b = this.lookup(id.text, ctx);
        if (b?.kind === 'mpQueue') return report(id.text, b);
      }
    }
    // The task is `functools.partial(work, queue)` (written there, or bound to a name first): the
    // bound arguments are pickled with it.
    const bound = fnArg?.type === 'identifier' ? this.lookup(fnArg.text, ctx) : undefined;
    const partialText = fnArg?.type === 'call' ? fnArg.text : bound?.kind === 'expr' ? bound.text : undefined;
    if (partialText && PARTIAL_CALL.test(partialText)) {
      for (const name of partialText.slice(partialText.indexOf('(') + 1).match(/\b[A-Za-z_]\w*\b/g) ?? []) {
        const b = this.lookup(name, ctx);
        if (b?.kind === 'mpQueue') return report(name, b);
      }
    }
  }

  private visitJoblib(node: Node, parallelCall: Node, ctx: ScopeContext): void {
    const pargs = parallelCall.childForFieldName('arguments');
    const backend = pargs ? keywordArg(pargs, 'backend') : undefined;
    const prefer = pargs ? keywordArg(pargs, 'prefer') : undefined;
    if ((backend && /threading|sequential/.test(backend.text)) || (prefer && /threads/.test(prefer.text))) return;
    const njobs = pargs ? keywordArg(pargs, 'n_jobs') ?? positionalArgs(pargs)[0] : undefined;
    let count: ProcessCount = njobs ? this.countOf(njobs, ctx) : { kind: 'known', n: 1 };
    if (njobs && /^-\d+$/.test(njobs.text)) count = { kind: 'unknown', dependsOn: 'CPU count', atLeast: 2 };
    const targets: SymbolRef[] = [];
    for (const call of node.descendantsOfType('call')) {
      if (!call) continue;
      const f = this.qualify(call.childForFieldName('function'), ctx);
      if (f === 'joblib.delayed') {
        const a = positionalArgs(call.childForFieldName('arguments')!)[0];
        const ref = a ? this.symbolRef(a, ctx) : undefined;
        if (ref) targets.push(ref);
      }
    }
    this.facts.starts.push({
      mechanism: 'joblib',
      span: this.span(parallelCall),
      scope: ctx.scope,
      targets,
      initializers: [],
      entryModules: [],
      count,
      startMethod: 'spawn',
      description: `joblib.Parallel(n_jobs=${njobs?.text ?? 1}) runs tasks in ${describeCount(count)} (loky)`,
    });
  }

  // ---------------------------------------------------------------- paths

  /** Reads a path expression as far as static reading allows. */
  /** A handler's path: pathOf, and for an expression, what of the program's start it reads. */
  private handlerPathOf(node: Node, ctx: ScopeContext): LogPath {
    const path = this.pathOf(node, ctx);
    if (path.kind !== 'dynamic') return path;
    const texts = this.pathTexts(node, ctx);
    const input = launchInput(texts);
    const environment = [...new Set(texts.flatMap((t) => [...t.matchAll(ENV_READ)].map((m) => m[1])))];
    return {
      ...path,
      ...(input && { fromLaunch: input.name }),
      ...(input?.default !== undefined && { launchDefault: input.default }),
      ...(environment.length && { environment }),
    };
  }

  /** A path expression's text and the texts of the values bound to the names in it. */
  private pathTexts(node: Node, ctx: ScopeContext): string[] {
    const texts = [node.text];
    for (const id of node.type === 'identifier' ? [node] : node.descendantsOfType('identifier')) {
      const bound = id ? this.lookup(id.text, ctx) : undefined;
      if (bound?.kind === 'expr') texts.push(bound.text);
    }
    return texts;
  }

  private pathOf(node: Node, ctx: ScopeContext): LogPath {
    const cause = perProcessCause(node.text, 'code');
    if (cause && !cause.copyIndex) return perProcessPath(node.text, cause);
    // A copy number (NODE_APP_INSTANCE) in the text counts only when nothing else in it (a name
    // bound to os.getpid()) makes the path per process.
    const path = this.pathOfParts(node, ctx);
    return cause && path.kind !== 'per-process' ? perProcessPath(node.text, cause) : path;
  }

  private pathOfParts(node: Node, ctx: ScopeContext): LogPath {
    const text = node.text;
    if (node.type === 'string') {
      if (!hasInterpolation(node)) return { kind: 'literal', value: stringValue(node) };
      const interpolated = node.descendantsOfType('interpolation').map((i) => i?.namedChildren[0]).filter((n): n is Node => !!n);
      let copy: { why: string; copyIndex?: string } | undefined;
      for (const e of interpolated) {
        const bound = e.type === 'identifier' ? this.perProcessBinding(e.text, ctx) : undefined;
        if (bound && !bound.copyIndex) return perProcessPath(text, bound);
        copy ??= bound;
      }
      if (copy) return perProcessPath(text, copy);
      const param = interpolated.flatMap((e) => [e, ...e.descendantsOfType('identifier')]).find((id) => id && id.type === 'identifier' && ctx.params.includes(id.text));
      if (param) return { kind: 'dynamic', text, param: { scope: ctx.scope, name: param.text, index: this.paramIndex(ctx, param.text), exact: false } };
      // Fold f-strings over module constants.
      let folded = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_content') folded += child.text;
        else if (child.type === 'interpolation') {
          const expr = child.namedChildren[0];
          const value = expr?.type === 'identifier' ? this.constants.get(expr.text) : undefined;
          if (value === undefined) return { kind: 'dynamic', text };
          folded += value;
        }
      }
      return { kind: 'literal', value: folded };
    }
    if (node.type === 'identifier') {
      if (ctx.params.includes(node.text)) {
        return { kind: 'dynamic', text, param: { scope: ctx.scope, name: node.text, index: this.paramIndex(ctx, node.text), exact: true } };
      }
      const value = this.constants.get(node.text);
      if (value !== undefined) return { kind: 'literal', value };
      const bound = this.perProcessBinding(node.text, ctx);
      if (bound) return perProcessPath(text, bound);
      return { kind: 'dynamic', text };
    }
    if (node.type === 'call') {
      const fn = this.qualify(node.childForFieldName('function'), ctx);
      if (fn === 'os.path.join' || fn === 'pathlib.Path' || fn === 'str' || fn === 'os.path.abspath' || fn === 'os.fspath') {
        const parts = positionalArgs(node.childForFieldName('arguments')!).map((a) => this.pathOf(a, ctx));
        return joinPaths(parts, text);
      }
    }
    if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '/') {
      return joinPaths([this.pathOf(node.childForFieldName('left')!, ctx), this.pathOf(node.childForFieldName('right')!, ctx)], text);
    }
    if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return this.pathOf(node.namedChildren[0], ctx);
    return { kind: 'dynamic', text };
  }

  /**
   * `pid = os.getpid()`, `instance = os.environ.get("NODE_APP_INSTANCE", "0")` and then the name
   * in a path: per process when the value bound to the name is (logPath's rules).
   */
  private perProcessBinding(name: string, ctx: ScopeContext): { why: string; copyIndex?: string } | undefined {
    const bound = this.lookup(name, ctx);
    if (bound?.kind !== 'expr') return undefined;
    const cause = perProcessCause(bound.text, 'code');
    return cause && { ...cause, why: `${cause.why} (through \`${name}\`)` };
  }

  /** Position of a parameter among the arguments a caller passes (self/cls not counted). */
  private paramIndex(ctx: ScopeContext, name: string): number {
    const skip = ctx.params[0] === 'self' || ctx.params[0] === 'cls' ? 1 : 0;
    return ctx.params.indexOf(name) - skip;
  }

  // ---------------------------------------------------------------- finishing

  private finishHandlers(): void {
    for (const [site, use] of this.handlerUse) {
      if (use.listener && !use.attached) site.listenerOnly = true;
    }
    // A handler variable later handed to QueueListener(q, h) only.
    for (const arg of new Set(this.listenerArgs)) {
      for (const [site, use] of this.handlerUse) {
        if (use.attached) continue;
        const bound = this.findBindingSpan(arg, site);
        if (bound) site.listenerOnly = true;
      }
    }
  }

  /**
   * The handler arguments of the QueueListener calls under `node` (the whole file, or one unit
   * of a recorded read, whose record keeps them: finishHandlers reads them for the whole file
   * however many statements were walked again).
   */
  private noteListenerArgs(node: Node): void {
    if (!node.text.includes('QueueListener')) return;
    for (const call of node.descendantsOfType('call')) {
      if (!call || !/QueueListener$/.test(call.childForFieldName('function')?.text ?? '')) continue;
      for (const arg of positionalArgs(call.childForFieldName('arguments')!).slice(1)) {
        this.listenerArgs.push(arg.text);
        this.segment?.listenerArgs.push(arg.text);
      }
    }
  }

  /** Whether `name` was bound to `site` somewhere in this file (same-file heuristic). */
  private findBindingSpan(name: string, site: HandlerSite): boolean {
    const line = (this.rootLines ??= this.root.text.split('\n'))[site.span.start.line] ?? '';
    return new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`).test(line);
  }

  /**
   * Where a sending handler sends, as values: `SocketHandler(HOST, 9020)` with `HOST =
   * "collector"` at module level is `logging.handlers.SocketHandler(collector,9020)`. Undefined
   * when an argument is anything else: the same text in another module may name another place.
   */
  private sinkAddress(className: string, args: Node | null, ctx: ScopeContext): string | undefined {
    const parts: string[] = [];
    for (const arg of args?.namedChildren ?? []) {
      if (!arg || arg.type === 'comment') continue;
      const keyword = arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
      const value = this.constantText(keyword ? arg.childForFieldName('value') : arg, ctx);
      if (value === undefined) return undefined;
      parts.push(keyword ? `${keyword}=${value}` : value);
    }
    return `${className}(${parts.join(',')})`;
  }

  /**
   * A literal, a tuple of them, a constant of this module, logging's default ports, or a name
   * imported from another module of the workspace (`@app.settings.LOG_HOST`: the same name is
   * the same value wherever it is imported), as text.
   */
  private constantText(node: Node | null, ctx: ScopeContext): string | undefined {
    if (!node) return undefined;
    if (node.type === 'string') return hasInterpolation(node) ? undefined : stringValue(node);
    if (node.type === 'integer' || node.type === 'true' || node.type === 'false' || node.type === 'none') return node.text.replace(/_/g, '');
    if (node.type === 'tuple' || node.type === 'parenthesized_expression') {
      const items = node.namedChildren.map((c) => this.constantText(c, ctx));
      return items.every((i) => i !== undefined) ? `(${items.join(',')})` : undefined;
    }
    if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
    if (node.type === 'identifier' && (ctx.params.includes(node.text) || ctx.locals.get(node.text) !== undefined)) return undefined;
    const value = node.type === 'identifier' ? this.constants.get(node.text) : undefined;
    if (value !== undefined) return value;
    const qualified = this.qualify(node, ctx);
    if (!qualified) return undefined;
    const port = LOGGING_PORTS[qualified.slice(qualified.lastIndexOf('.') + 1)];
    if (port) return port;
    return !isExternal(qualified) && !qualified.startsWith(`${this.moduleName}.`) && qualified.includes('.') ? `@${qualified}` : undefined;
  }

  private finishPropagationHazards(): void {
    for (const sink of this.loggerSinks) {
      if (sink.logger === '' || this.nonPropagating.has(sink.logger)) continue;
      const ancestor = this.loggerSinks.find((other) =>
        other !== sink && other.sinkKey === sink.sinkKey && isAncestorLogger(other.logger, sink.logger) &&
        !ancestorChainBlocked(sink.logger, other.logger, this.nonPropagating));
      if (!ancestor) continue;
      this.facts.hazards.push({
        rule: 'LF105',
        span: sink.span,
        scope: moduleScope(this.moduleName),
        message: `Records of logger '${sink.logger}' go to this handler and also propagate to ${ancestor.logger === '' ? 'the root logger' : `'${ancestor.logger}'`}, which sends them to the same destination: every record is sent twice.`,
        related: [{ span: ancestor.span, message: `the same destination is attached to ${ancestor.logger === '' ? 'the root logger' : `'${ancestor.logger}'`} here` }],
      });
    }
    // For the same check across modules (rules/crossModulePropagation.ts).
    const portable = this.loggerSinks.filter((s) => s.address !== undefined);
    if (portable.length) this.facts.sinks = portable.map((s) => ({ logger: s.logger, address: s.address!, span: s.span, scope: s.scope }));
    if (this.nonPropagating.size) this.facts.nonPropagating = [...this.nonPropagating];
  }

  /** Rare (only trees with errors), so it reads web-tree-sitter's nodes directly. */
  private reportSyntaxErrors(root: TreeSitterNode): void {
    let reported = 0;
    const visit = (node: TreeSitterNode) => {
      if (reported >= 5) return;
      if (node.isError || node.isMissing) {
        reported++;
        this.facts.problems.push({ span: this.span(node), message: node.isMissing ? `syntax error: missing ${node.type}` : 'syntax error' });
        return;
      }
      if (node.hasError) for (const child of node.children) if (child) visit(child);
    };
    visit(root);
  }
}

// ------------------------------------------------------------------ helpers

/** Where a unit walked is, as its record keeps it. */
interface Place {
  type: string;
  startIndex: number;
  endIndex: number;
  startRow: number;
  endRow: number;
}

interface PlacedNode {
  type: string;
  startIndex: number;
  endIndex: number;
  startPosition: { row: number };
  endPosition: { row: number };
}

function placeOf(node: PlacedNode): Place {
  return { type: node.type, startIndex: node.startIndex, endIndex: node.endIndex, startRow: node.startPosition.row, endRow: node.endPosition.row };
}

/** A class's head: from the statement's start to its body's. */
function headPlace(statement: PlacedNode, body: PlacedNode): Place {
  return { type: 'class head', startIndex: statement.startIndex, endIndex: body.startIndex, startRow: statement.startPosition.row, endRow: body.startPosition.row };
}

/** What a class head unit walks itself (walkClassHead): its decorators and bases, not its body. */
function classHeadParts(statement: Node): Node[] {
  const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition')! : statement;
  const parts = statement.type === 'decorated_definition' ? statement.namedChildren.filter((c): c is Node => !!c && c.type === 'decorator') : [];
  const bases = def.childForFieldName('superclasses');
  if (bases) parts.push(bases);
  return parts;
}

/** What is walked as one segment: a statement, or the head or a body statement of a top-level class. */
interface Unit {
  node: Node;
  place: Place;
  kind: 'statement' | 'head' | 'body';
  /** The top-level statement it belongs to. */
  statement?: Node;
}

/** Top-level statements as units: each class in parts. */
function unitsOf(statements: readonly Node[]): Unit[] {
  const units: Unit[] = [];
  for (const statement of statements) {
    const parts = classParts(statement);
    if (!parts) {
      units.push({ node: statement, place: placeOf(statement), kind: 'statement', statement });
      continue;
    }
    units.push({ node: statement, place: headPlace(statement, parts.body), kind: 'head', statement });
    for (const child of parts.body.namedChildren) units.push({ node: child, place: placeOf(child), kind: 'body', statement });
  }
  return units;
}

/** The units' records grouped back into one record per top-level statement. */
function groupRecords(statements: readonly Node[], units: readonly Unit[], leaves: readonly StatementRecord[], defNames: readonly (string | undefined)[]): StatementRecord[] {
  let k = 0;
  return statements.map((statement, i) => {
    const first = k;
    while (k < units.length && units[k].statement === statement) k++;
    const mine = leaves.slice(first, k);
    return units[first].kind === 'head' ? classRecord(statement, mine, defNames[i]) : { ...mine[0], defName: defNames[i] };
  });
}

/** For a class statement (decorated or not) with a body: that body. */
function classParts(statement: Node): { body: Node } | undefined {
  const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
  if (def?.type !== 'class_definition') return undefined;
  const body = def.childForFieldName('body');
  return body ? { body } : undefined;
}

/** A top-level class's record: its parts hold the facts. */
function classRecord(statement: PlacedNode, parts: StatementRecord[], defName: string | undefined): StatementRecord {
  return {
    ...placeOf(statement),
    facts: { handlers: [], starts: [], calls: [], imports: [], functions: [], classes: [], startMethods: [], hazards: [], logCalls: [], handlerClears: [] },
    handlerUse: [],
    writes: [],
    loggerSinks: [],
    nonPropagating: [],
    listenerArgs: [],
    attributeWrites: [],
    imports: [],
    reads: { locals: [], constants: [] },
    defName,
    touchesOthers: parts.some((p) => p.touchesOthers),
    touched: parts.some((p) => p.touched),
    parts,
  };
}

/** The name a top-level `def`/`class` statement binds (as `collectImportsAndDefinitions` reads it). */
function definedName(node: Node | null): string | undefined {
  const def = node?.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
  if (def?.type === 'function_definition' || def?.type === 'class_definition') return def.childForFieldName('name')?.text || undefined;
  return undefined;
}

/** Writes whose values hold no positions or fact objects, so equal ones leave equal state. */
function replayableWrites(writes: readonly StateWrite[]): boolean {
  return writes.every((w) => {
    const kind = (w.value as { kind?: string } | undefined)?.kind;
    return kind !== 'handler' && kind !== 'mpQueue';
  });
}

type ChangedNames = { locals: Set<string>; constants: Set<string> };

/** Whether a record's walk looked up one of `changed`. */
function readsAny(record: StatementRecord, changed: ChangedNames): boolean {
  if (changed.locals.size === 0 && changed.constants.size === 0) return false;
  return leavesOf(record).some((r) => r.reads.locals.some((n) => changed.locals.has(n)) || r.reads.constants.some((n) => changed.constants.has(n)));
}

/** After a statement whose writes are as before, the names it wrote hold their old values again. */
function forgetWritten(record: StatementRecord, changed: ChangedNames): void {
  if (changed.locals.size === 0 && changed.constants.size === 0) return;
  for (const leaf of leavesOf(record)) for (const w of leaf.writes) changed[w.map].delete(w.key);
}

/** The names whose final value differs between two sequences of writes from the same state. */
function changedNames(a: readonly StateWrite[], b: readonly StateWrite[]): ChangedNames {
  const finalValues = (writes: readonly StateWrite[]) => {
    const out = new Map<string, string>();
    for (const w of writes) out.set(`${w.map}:${w.key}`, w.delete ? 'deleted' : `=${JSON.stringify(w.value)}`);
    return out;
  };
  const before = finalValues(a);
  const after = finalValues(b);
  const changed = { locals: new Set<string>(), constants: new Set<string>() };
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) === after.get(key)) continue;
    const colon = key.indexOf(':');
    changed[key.slice(0, colon) as 'locals' | 'constants'].add(key.slice(colon + 1));
  }
  return changed;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The logger whose handlers the loop around `node` walks with the variable `name`:
 * `for h in root.handlers[:]`, `list(...)`, `tuple(...)`, `.copy()`, or the list itself.
 */
function loopOverHandlers(node: Node, name: string): Node | undefined {
  for (let up = node.parent; up && up.type !== 'function_definition'; up = up.parent) {
    if (up.type !== 'for_statement' || up.childForFieldName('left')?.text !== name) continue;
    let list = up.childForFieldName('right');
    // Unwrap the copy: `list(x)` / `tuple(x)`, `x[:]`, `x.copy()`.
    for (let depth = 0; list && depth < 3; depth++) {
      const fn = list.type === 'call' ? list.childForFieldName('function') : null;
      if (fn && /^(list|tuple)$/.test(fn.text)) list = positionalArgs(list.childForFieldName('arguments')!)[0] ?? null;
      else if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'copy') list = fn.childForFieldName('object');
      else if (list.type === 'subscript' && /^\[\s*:\s*\]$/.test(list.text.slice(list.childForFieldName('value')!.text.length))) list = list.childForFieldName('value');
      else break;
    }
    const isHandlers = list?.type === 'attribute' && list.childForFieldName('attribute')?.text === 'handlers';
    return isHandlers ? list!.childForFieldName('object') ?? undefined : undefined;
  }
  return undefined;
}

/**
 * What of a program's start a path reads: an environment variable (with the code's default when
 * it has one), or the command line (`sys.argv`, argparse).
 */
function launchInput(texts: string[]): { name: string; default?: string } | undefined {
  for (const t of texts) {
    const m = LAUNCH_INPUT.exec(t);
    if (m) return { name: m[1] ?? m[2] ?? m[0] };
  }
  for (const t of texts) {
    const m = DEFAULTED_ENV_READ.exec(t);
    if (m) return { name: m[1], default: m[2] ?? '<default>' };
  }
  return undefined;
}

/** logging.handlers' default ports, as a handler's address names them. */
const LOGGING_PORTS: Record<string, string> = {
  DEFAULT_TCP_LOGGING_PORT: '9020',
  DEFAULT_UDP_LOGGING_PORT: '9021',
  DEFAULT_HTTP_LOGGING_PORT: '9022',
  DEFAULT_SOAP_LOGGING_PORT: '9023',
  SYSLOG_UDP_PORT: '514',
  SYSLOG_TCP_PORT: '514',
};

/** An environment variable read, with or without a default. */
const ENV_READ = /(?:environ\s*\[\s*|environ\.get\s*\(\s*|getenv\s*\(\s*)['"](\w+)['"]/g;

const LAUNCH_INPUT = /(?:environ\s*\[\s*['"](\w+)['"]|(?:environ\.get|getenv)\s*\(\s*['"](\w+)['"]\s*\))|\bsys\.argv\b|\bparse(?:_known)?_args\s*\(/;
/** `os.environ.get("LOG_FILE", "app.log")`: the variable, and the default when it is a plain string. */
const DEFAULTED_ENV_READ = /(?:environ\.get|getenv)\s*\(\s*['"](\w+)['"]\s*,\s*(?:['"]([^'"\\]*)['"]\s*\))?/;

/**
 * Names a function body assigns (`x = ...`, `for x in`, `with ... as x`), globals among them; of
 * the walk's copy of the tree or of the parser's own (findGlobalSetters reads the whole file).
 */
function assignedIdentifiers(body: Node | TreeSitterNode): Set<string> {
  const assigned = new Set<string>();
  for (const a of body.descendantsOfType(['assignment', 'as_pattern_target', 'for_statement'])) {
    const target = a?.type === 'assignment' || a?.type === 'for_statement' ? a.childForFieldName('left') : a;
    if (target?.type === 'identifier') assigned.add(target.text);
    else if (target?.type === 'as_pattern_target' && target.namedChildren[0]?.type === 'identifier') assigned.add(target.namedChildren[0].text);
  }
  return assigned;
}

/** Names assigned in a function body (its locals), minus those declared `global`. */
function assignedNames(body: Node): Set<string> {
  const assigned = assignedIdentifiers(body);
  for (const g of body.descendantsOfType('global_statement')) {
    for (const id of g?.namedChildren ?? []) if (id) assigned.delete(id.text);
  }
  return assigned;
}

function isMainGuard(condition: Node | null): boolean {
  // `if (__name__ == '__main__'):`, `if __name__ == '__main__' and not NO_RUN:`
  if (condition?.type === 'parenthesized_expression') return isMainGuard(condition.namedChildren[0] ?? null);
  if (condition?.type === 'boolean_operator' && condition.childForFieldName('operator')?.text === 'and') return isMainGuard(condition.childForFieldName('left'));
  if (!condition || condition.type !== 'comparison_operator') return false;
  const text = condition.text.replace(/\s+/g, '');
  return /^__name__==['"]__main__['"]$/.test(text) || /^['"]__main__['"]==__name__$/.test(text);
}

function positionalArgs(args: Node): Node[] {
  return args.namedChildren.filter((c): c is Node => !!c && c.type !== 'keyword_argument' && c.type !== 'comment' &&
    c.type !== 'list_splat' && c.type !== 'dictionary_splat');
}

function keywordArg(args: Node, name: string): Node | undefined {
  for (const c of args.namedChildren) {
    if (c?.type === 'keyword_argument' && c.childForFieldName('name')?.text === name) return c.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function keywordArgs(args: Node): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const c of args.namedChildren) {
    if (c?.type !== 'keyword_argument') continue;
    const name = c.childForFieldName('name')?.text;
    const value = c.childForFieldName('value')?.text;
    if (name && value !== undefined) (out ??= {})[name] = value;
  }
  return out;
}

function hasInterpolation(node: Node): boolean {
  return node.namedChildren.some((c) => c?.type === 'interpolation');
}

function stringValue(node: Node): string {
  if (node.type === 'concatenated_string') return node.namedChildren.map((c) => (c ? stringValue(c) : '')).join('');
  return node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
}

/** `os.environ["W"]`, `os.getenv("W", "4")`, `int(os.environ.get("W", 4))`. */
function environmentVariable(node: Node): { name: string; default?: string } | undefined {
  const text = node.text;
  const m = text.match(/(?:environ\s*\[\s*|getenv\s*\(\s*|environ\.get\s*\(\s*)['"]([A-Za-z_][A-Za-z0-9_]*)['"](?:\s*,\s*['"]?(\d+)['"]?)?/);
  if (!m) return undefined;
  return { name: m[1], default: m[2] };
}

function joinPaths(parts: LogPath[], text: string): LogPath {
  // A part that differs in every process wins over one that only numbers a program's copies.
  const perProcess = parts.find((p) => p.kind === 'per-process' && !p.copyIndex) ?? parts.find((p) => p.kind === 'per-process');
  if (perProcess) return perProcess;
  if (parts.every((p) => p.kind === 'literal')) {
    return { kind: 'literal', value: parts.map((p) => (p as { value: string }).value).join('/').replace(/\/+/g, '/') };
  }
  const param = parts.find((p) => p.kind === 'dynamic' && p.param);
  if (param && param.kind === 'dynamic' && param.param) return { kind: 'dynamic', text, param: { ...param.param, exact: false } };
  return { kind: 'dynamic', text };
}

function multiply(count: ProcessCount, loop: ProcessCount | undefined): ProcessCount {
  if (!loop) return count;
  if (count.kind === 'known' && loop.kind === 'known') return { kind: 'known', n: count.n * loop.n, source: count.source };
  return { kind: 'unknown', dependsOn: count.kind === 'unknown' ? count.dependsOn : 'the loop', atLeast: 2 };
}

function describeCount(count: ProcessCount): string {
  if (count.kind === 'known') return `${count.n} worker processes`;
  return count.atLeast && count.dependsOn === 'CPU count' ? 'cpu_count() worker processes' : `worker processes, as many as ${count.dependsOn}`;
}

/** Names we never follow as calls: the standard library and popular third-party packages. */
function isExternal(name: string): boolean {
  return /^(logging|os|sys|multiprocessing|concurrent|threading|time|json|re|socket|socketserver|pickle|struct|subprocess|signal|atexit|functools|itertools|collections|pathlib|random|math|queue|joblib|billiard|torch|picologging|typing)(\.|$)/.test(name);
}


