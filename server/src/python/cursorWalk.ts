/**
 * A plain-JavaScript copy of a web-tree-sitter syntax tree, built in one cursor walk.
 *
 * Why: every `Node` property of web-tree-sitter (`type`, `text`, `namedChildren`,
 * `childForFieldName`, ...) is a round trip into wasm that copies the node through a transfer
 * buffer and allocates a fresh `Node`. The fact extractor asks such questions about nearly every
 * node of every file, so most of its time went into that marshalling. Walking the tree once with
 * a cursor and answering everything afterwards from JS objects is several times cheaper.
 *
 * `SyntaxNode` mirrors the part of the `Node` API the extractor uses, with the same results:
 *   - `namedChildren`: the named visible children, in order;
 *   - `childForFieldName` / `childrenForFieldName`: children (named or anonymous) by field.
 *     One known difference: tree-sitter's `childForFieldName` also returns a *grandchild* when
 *     a hidden rule aliased to a visible node passes its field up (tree-sitter-python:
 *     match_statement's `alternative`, a case_clause inside its `block`); here, as in
 *     `childrenForFieldName` and the cursor, fields are those of direct children only;
 *   - `descendantsOfType`: pre-order, the node itself included, like tree-sitter's own
 *     (which also skips nodes ending at point (0,0));
 *   - `text`, `startIndex`/`endIndex` (UTF-16 code units), `startPosition`/`endPosition`
 *     (row, UTF-16 column: tree-sitter counts rows at '\n' only), `parent`.
 * Anonymous children without a field (punctuation, keywords) are not kept unless they have
 * children of their own; nothing here asks for them.
 *
 * The fast path calls the cursor functions of the web-tree-sitter wasm module directly and
 * leaves the cursor in the module's transfer buffer between calls, instead of going through
 * `TreeCursor`, whose every getter marshals the cursor in and out of that buffer. That relies
 * on web-tree-sitter internals (the emscripten module, reached as `this` of a parse callback;
 * the binding's `*_wasm` cursor exports; its transfer buffer; written against 0.27), so it is
 * checked once per language against the public `TreeCursor` API on a sample program, and the
 * public API is used instead if anything differs or is missing.
 */
import { Parser } from 'web-tree-sitter';
import type { Language, Node as TreeSitterNode, Tree, TreeCursor } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

const NO_NODES: readonly SyntaxNode[] = Object.freeze([]);

/** The text and line table shared by all nodes of one tree. */
class SourceText {
  private lineStarts: number[] | undefined;

  constructor(
    /** The root node's text: the source from `offset` (the root's start) to its end. */
    readonly text: string,
    readonly offset: number,
    private readonly base: Point,
    readonly fieldIds: Map<string, number>,
  ) {}

  slice(start: number, end: number): string {
    return this.text.slice(start - this.offset, end - this.offset);
  }

  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    const i = index - this.offset;
    // Last line start <= i (starts[0] is 0).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    if (lo === 0) return { row: this.base.row, column: this.base.column + i };
    return { row: this.base.row + lo, column: i - starts[lo] };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export class SyntaxNode {
  /** Every kept child (named ones and anonymous ones with a field), in order. */
  children: readonly SyntaxNode[] = NO_NODES;
  namedChildren: readonly SyntaxNode[] = NO_NODES;
  /** Whether this node or one below it has a type of `WalkOptions.mark`. */
  containsMarked = false;
  private textCache: string | undefined;

  constructor(
    private readonly source: SourceText,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    /** The field this node fills in its parent, 0 for none. */
    readonly fieldId: number,
    readonly parent: SyntaxNode | null,
  ) {}

  /** Builder only: sets the children, all at once. */
  setChildren(children: SyntaxNode[]): void {
    this.children = children;
    for (let i = 0; i < children.length; i++) {
      if (!children[i].isNamed) {
        this.namedChildren = children.filter((c) => c.isNamed);
        return;
      }
    }
    this.namedChildren = children;
  }

  get text(): string {
    return (this.textCache ??= this.source.slice(this.startIndex, this.endIndex));
  }

  get startPosition(): Point {
    return this.source.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.pointAt(this.endIndex);
  }

  childForFieldName(name: string): SyntaxNode | null {
    const id = this.source.fieldIds.get(name);
    if (id === undefined) return null;
    const children = this.children;
    for (let i = 0; i < children.length; i++) if (children[i].fieldId === id) return children[i];
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.source.fieldIds.get(name);
    if (id === undefined) return [];
    return this.children.filter((child) => child.fieldId === id);
  }

  /**
   * Pre-order, this node included, like tree-sitter's own walk (which skips whatever ends at
   * or before its default start point (0,0), i.e. nodes ending at index 0, with their subtrees).
   */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const one = typeof types === 'string' ? types : types.length === 1 ? types[0] : undefined;
    const many = one === undefined ? new Set(types as readonly string[]) : undefined;
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.endIndex === 0) continue;
      if (one !== undefined ? node.type === one : many!.has(node.type)) out.push(node);
      const children = node.children;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
    return out;
  }
}

// ------------------------------------------------------------------ building

/**
 * The cursor functions a build needs, each taking the tree's wasm address and answering for
 * the cursor's current node (moves return 1 or 0). Raw wasm exports on the fast path;
 * `TreeCursor` wrappers otherwise.
 */
interface CursorFns {
  firstChild(tree: number): number;
  nextSibling(tree: number): number;
  parent(tree: number): number;
  typeId(tree: number): number;
  fieldId(tree: number): number;
  startIndex(tree: number): number;
  endIndex(tree: number): number;
}

interface OpenCursor {
  fns: CursorFns;
  /** Frees the cursor. */
  close(): void;
}

/** Extra bookkeeping done during the walk, so callers need not walk the copy again. */
export interface WalkOptions {
  /** Node types to list as the root's `descendantsOfType(collect)` would (same order). */
  collect?: readonly string[];
  /** Node types whose presence at or below each node sets `containsMarked`. */
  mark?: readonly string[];
}

export interface SyntaxTree {
  root: SyntaxNode;
  /** The nodes of `WalkOptions.collect` types, in pre-order. */
  collected: SyntaxNode[];
}

/** Per type id: bit 1 collect, bit 2 mark. */
type TypeFlags = Uint8Array;
const COLLECT = 1;
const MARK = 2;

interface LanguageInfo {
  types: string[];
  named: boolean[];
  fieldIds: Map<string, number>;
  raw: RawBinding | undefined;
  flagsByOptions: WeakMap<WalkOptions, TypeFlags>;
}

const ERROR_SYMBOL = 65535;

function typeFlags(info: LanguageInfo, options: WalkOptions): TypeFlags {
  let flags = info.flagsByOptions.get(options);
  if (flags) return flags;
  flags = new Uint8Array(ERROR_SYMBOL + 1);
  const set = (names: readonly string[] | undefined, bit: number) => {
    if (!names) return;
    info.types.forEach((name, id) => {
      if (names.includes(name)) flags![id] |= bit;
    });
    if (names.includes('ERROR')) flags![ERROR_SYMBOL] |= bit;
  };
  set(options.collect, COLLECT);
  set(options.mark, MARK);
  info.flagsByOptions.set(options, flags);
  return flags;
}

const NO_OPTIONS: WalkOptions = {};

function sourceOf(tree: Tree, info: LanguageInfo): SourceText {
  const rootNode = tree.rootNode;
  return new SourceText(rootNode.text, rootNode.startIndex, rootNode.startPosition, info.fieldIds);
}

/**
 * Copies the tree below the cursor `open` gives (the whole tree, or one node's subtree when
 * `rootParent` is given: the copy's root then hangs below it, as it would in a whole copy).
 */
function build(
  tree: Tree, info: LanguageInfo, open: (tree: Tree) => OpenCursor, options: WalkOptions = NO_OPTIONS,
  source: SourceText = sourceOf(tree, info), rootParent: SyntaxNode | null = null,
  /** A node (by range) whose children are not copied. */
  cut?: { startIndex: number; endIndex: number },
): SyntaxTree {
  const treePtr = (tree as unknown as Record<0, number>)[0];
  // Opened last: the raw cursor lives in the transfer buffer that every other call overwrites.
  const cursor = open(tree);
  const { firstChild, nextSibling, parent, typeId: typeIdOf, fieldId: fieldIdOf, startIndex, endIndex } = cursor.fns;
  const { types, named } = info;
  const flags = typeFlags(info, options);
  const collected: SyntaxNode[] = [];
  // The open nodes (ancestors of the cursor's node), and the children found so far for all of
  // them in one list: each open node's start in it is in `firstPending`. Closing a node slices
  // its children off, so every array is allocated once at its final size.
  const parents: SyntaxNode[] = [];
  const pending: SyntaxNode[] = [];
  let pendingTop = 0; // pending[pendingTop..] are stale; never shrunk (setting length is slow)
  const firstPending: number[] = [];
  /** Collects and marks a new node of flags `f`; `parents` holds its ancestors. */
  const note = (node: SyntaxNode, f: number) => {
    // Like tree-sitter's descendantsOfType: nothing that ends at index 0.
    if (f & COLLECT && node.endIndex !== 0) collected.push(node);
    if (f & MARK) {
      node.containsMarked = true;
      for (let i = parents.length - 1; i >= 0 && !parents[i].containsMarked; i--) parents[i].containsMarked = true;
    }
  };
  try {
    const rootType = typeIdOf(treePtr);
    const root = new SyntaxNode(source, types[rootType] || 'ERROR', isNamedType(rootType, named),
      startIndex(treePtr), endIndex(treePtr), 0, rootParent);
    if (flags[rootType] !== 0) note(root, flags[rootType]);
    if (!firstChild(treePtr)) return { root, collected };
    parents.push(root);
    firstPending.push(0);
    let current = root;
    for (;;) {
      const typeId = typeIdOf(treePtr);
      const isNamed = typeId === ERROR_SYMBOL || named[typeId] === true;
      const field = fieldIdOf(treePtr);
      let node: SyntaxNode | undefined;
      if (isNamed || field !== 0) {
        node = new SyntaxNode(source, types[typeId] || 'ERROR', isNamed, startIndex(treePtr), endIndex(treePtr), field, current);
        if (flags[typeId] !== 0) note(node, flags[typeId]);
      }
      const isCut = cut !== undefined && node !== undefined && node.startIndex === cut.startIndex && node.endIndex === cut.endIndex;
      if (!isCut && firstChild(treePtr)) {
        if (!node) {
          // An anonymous node with children: keep it, so what is below keeps its place.
          parent(treePtr);
          node = new SyntaxNode(source, types[typeId] || 'ERROR', isNamed, startIndex(treePtr), endIndex(treePtr), field, current);
          if (flags[typeId] !== 0) note(node, flags[typeId]);
          firstChild(treePtr);
        }
        pending[pendingTop++] = node;
        parents.push(node);
        firstPending.push(pendingTop);
        current = node;
        continue;
      }
      if (node) pending[pendingTop++] = node;
      while (!nextSibling(treePtr)) {
        const from = firstPending.pop()!;
        if (pendingTop > from) {
          current.setChildren(pending.slice(from, pendingTop));
          pendingTop = from;
        }
        parents.pop();
        if (parents.length === 0) return { root, collected };
        current = parents[parents.length - 1];
        parent(treePtr);
      }
    }
  } finally {
    cursor.close();
  }
}

function isNamedType(typeId: number, named: boolean[]): boolean {
  return typeId === ERROR_SYMBOL || named[typeId] === true;
}

function publicCursor(tree: Tree, at?: TreeSitterNode): OpenCursor {
  const cursor: TreeCursor = at ? at.walk() : tree.walk();
  return {
    fns: {
      firstChild: () => (cursor.gotoFirstChild() ? 1 : 0),
      nextSibling: () => (cursor.gotoNextSibling() ? 1 : 0),
      parent: () => (cursor.gotoParent() ? 1 : 0),
      typeId: () => cursor.nodeTypeId,
      fieldId: () => cursor.currentFieldId,
      startIndex: () => cursor.startIndex,
      endIndex: () => cursor.endIndex,
    },
    close: () => cursor.delete(),
  };
}

// ------------------------------------------------------------------ raw binding

interface RawBinding {
  module: { HEAP32: Int32Array };
  transferBuffer: number;
  fns: CursorFns;
}

/** The emscripten module behind web-tree-sitter: the parse callback is called as its method. */
function findRawBinding(language: Language): RawBinding | undefined {
  let module: Record<string, unknown> | undefined;
  const parser = new Parser();
  try {
    parser.setLanguage(language);
    const capture = function (this: Record<string, unknown>): null {
      module = this;
      return null;
    };
    parser.parse(capture as unknown as (index: number) => string)?.delete();
  } catch {
    return undefined;
  } finally {
    parser.delete();
  }
  if (!module || typeof module !== 'object') return undefined;
  const fn = (name: string): ((tree: number) => number) | undefined =>
    typeof module![name] === 'function' ? (module![name] as (tree: number) => number) : undefined;
  const init = fn('_ts_init') as unknown as (() => number) | undefined;
  const fns = {
    firstChild: fn('_ts_tree_cursor_goto_first_child_wasm'),
    nextSibling: fn('_ts_tree_cursor_goto_next_sibling_wasm'),
    parent: fn('_ts_tree_cursor_goto_parent_wasm'),
    typeId: fn('_ts_tree_cursor_current_node_type_id_wasm'),
    fieldId: fn('_ts_tree_cursor_current_field_id_wasm'),
    startIndex: fn('_ts_tree_cursor_start_index_wasm'),
    endIndex: fn('_ts_tree_cursor_end_index_wasm'),
  };
  const heap = (module as { HEAP32?: unknown }).HEAP32;
  if (!init || !(heap instanceof Int32Array)) return undefined;
  for (const value of Object.values(fns)) if (value === undefined) return undefined;
  // Returns the (static) transfer buffer's address; it only rewrites two version numbers in it.
  const transferBuffer = init();
  return { module: module as unknown as { HEAP32: Int32Array }, transferBuffer, fns: fns as CursorFns };
}

/** The cursor's words stay in the transfer buffer for the whole walk: no marshalling per step. */
function rawCursor(raw: RawBinding, from?: TreeSitterNode): (tree: Tree) => OpenCursor {
  return (tree) => {
    const cursor = (from ? from.walk() : tree.walk()) as unknown as Record<0 | 1 | 2 | 3, number>;
    const at = raw.transferBuffer >> 2;
    let heap = raw.module.HEAP32;
    for (let i = 0; i < 4; i++) heap[at + i] = cursor[i as 0];
    return {
      fns: raw.fns,
      close: () => {
        // The cursor's stack may have moved while walking: take the current words back.
        heap = raw.module.HEAP32;
        for (let i = 0; i < 4; i++) cursor[i as 0] = heap[at + i];
        (cursor as unknown as TreeCursor).delete();
      },
    };
  };
}

// ------------------------------------------------------------------ per language

const languages = new WeakMap<Language, LanguageInfo>();

/** Covers the shapes the checks below compare: fields on anonymous tokens, errors, nesting. */
const SAMPLE = [
  '\n\n# comment\nimport os.path as p, sys\nfrom ..a import (b as c, d)\n',
  '@deco(1)\nclass K(Base, metaclass=M):\n    def f(self, a, b=2, *args, c: int = 3, **kw) -> None:\n',
  '        x = a / b if a else [i for i in range(4) if i > 0]\n',
  '        with open(f"{a}/x.log") as fh, g() as (y, z):\n            return lambda q: q ** 2\n',
  'if __name__ == "__main__":\n    print("é😀", not x, a < b <= c, {**d}, *e)\n',
  'def broken(:\n    pass\nx = (1,\n',
].join('');

function languageInfo(language: Language): LanguageInfo {
  let info = languages.get(language);
  if (info) return info;
  // Interned, so the extractor's many `node.type === '...'` tests compare pointers.
  const types = Array.from(language.types, (name) => (name ? internalize(name) : name));
  const named = types.map((_, id) => language.nodeTypeIsNamed(id));
  const fieldIds = new Map<string, number>();
  language.fields.forEach((name, id) => {
    if (name && id !== 0 && !fieldIds.has(name)) fieldIds.set(name, id);
  });
  info = { types, named, fieldIds, raw: undefined, flagsByOptions: new WeakMap() };
  const raw = findRawBinding(language);
  if (raw && rawAgreesWithPublic(language, info, raw)) info.raw = raw;
  languages.set(language, info);
  return info;
}

function internalize(name: string): string {
  const holder: Record<string, true> = { [name]: true };
  return Object.keys(holder)[0];
}

function rawAgreesWithPublic(language: Language, info: LanguageInfo, raw: RawBinding): boolean {
  const parser = new Parser();
  let tree: Tree | null = null;
  try {
    parser.setLanguage(language);
    tree = parser.parse(SAMPLE);
    if (!tree) return false;
    const viaRaw = build(tree, info, rawCursor(raw)).root;
    const viaPublic = build(tree, info, publicCursor).root;
    return sameTree(viaRaw, viaPublic);
  } catch {
    return false;
  } finally {
    tree?.delete();
    parser.delete();
  }
}

function sameTree(a: SyntaxNode, b: SyntaxNode): boolean {
  if (a.type !== b.type || a.startIndex !== b.startIndex || a.endIndex !== b.endIndex ||
    a.fieldId !== b.fieldId || a.isNamed !== b.isNamed || a.children.length !== b.children.length) {
    return false;
  }
  return a.children.every((child, i) => sameTree(child, b.children[i]));
}

/** The whole tree as plain objects; the web-tree-sitter tree is not needed afterwards. */
export function syntaxTreeOf(tree: Tree, options?: WalkOptions): SyntaxTree {
  const info = languageInfo(tree.language);
  return build(tree, info, info.raw ? rawCursor(info.raw) : publicCursor, options);
}

export interface SyntaxSubtrees {
  /** Stands for the tree's root: its text, positions and type, but no children. */
  root: SyntaxNode;
  /** One copy per node asked for, each with `root` as its parent. */
  subtrees: SyntaxNode[];
  /** The nodes of `WalkOptions.collect` types in each subtree, in pre-order. */
  collected: SyntaxNode[][];
}

/**
 * Copies of some nodes' subtrees only (for re-reading a few top-level statements after an
 * edit). Each copy is what the whole copy would hold at that place: same text, indices,
 * positions and marks; the parent of each copied node is the stand-in root.
 */
export function syntaxSubtreesOf(tree: Tree, nodes: readonly TreeSitterNode[], options?: WalkOptions): SyntaxSubtrees {
  const info = languageInfo(tree.language);
  const source = sourceOf(tree, info);
  const rootNode = tree.rootNode;
  const root = new SyntaxNode(source, info.types[rootNode.typeId] || 'ERROR', true, rootNode.startIndex, rootNode.endIndex, 0, null);
  const subtrees: SyntaxNode[] = [];
  const collected: SyntaxNode[][] = [];
  for (const node of nodes) {
    const open = info.raw ? rawCursor(info.raw, node) : (t: Tree) => publicCursor(t, node);
    const copy = build(tree, info, open, options, source, root);
    subtrees.push(copy.root);
    collected.push(copy.collected);
  }
  return { root, subtrees, collected };
}

export interface ClassHeadCopy {
  root: SyntaxNode;
  /** The class statement (a class_definition, or a decorated_definition around one), without the statements of its body. */
  statement: SyntaxNode;
  /** Copies of the body statements asked for, each with the (childless) body block as its parent. */
  bodyStatements: SyntaxNode[];
  collected: SyntaxNode[][];
}

/**
 * A class statement copied without its body's statements, plus copies of some of those
 * statements below its body block: what re-reading a few statements of a large class needs.
 */
export function syntaxClassHeadOf(tree: Tree, statement: TreeSitterNode, body: TreeSitterNode, bodyStatements: readonly TreeSitterNode[], options?: WalkOptions): ClassHeadCopy {
  const info = languageInfo(tree.language);
  const source = sourceOf(tree, info);
  const rootNode = tree.rootNode;
  const root = new SyntaxNode(source, info.types[rootNode.typeId] || 'ERROR', true, rootNode.startIndex, rootNode.endIndex, 0, null);
  const open = (node: TreeSitterNode) => (info.raw ? rawCursor(info.raw, node) : (t: Tree) => publicCursor(t, node));
  const head = build(tree, info, open(statement), options, source, root, { startIndex: body.startIndex, endIndex: body.endIndex }).root;
  const block = head.descendantsOfType('block').find((b) => b.startIndex === body.startIndex && b.endIndex === body.endIndex);
  if (!block) throw new Error('class body not found in its copy');
  const copies: SyntaxNode[] = [];
  const collected: SyntaxNode[][] = [];
  for (const node of bodyStatements) {
    const copy = build(tree, info, open(node), options, source, block);
    copies.push(copy.root);
    collected.push(copy.collected);
  }
  return { root, statement: head, bodyStatements: copies, collected };
}

/** Same, through the public `TreeCursor` API only (for tests and comparisons). */
export function syntaxTreeViaPublicApi(tree: Tree, options?: WalkOptions): SyntaxTree {
  return build(tree, languageInfo(tree.language), publicCursor, options);
}

/** Whether the fast path is in use for this language (for benchmarks). */
export function usesRawCursor(language: Language): boolean {
  return languageInfo(language).raw !== undefined;
}
