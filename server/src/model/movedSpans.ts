/**
 * Most edits do not change what a file says about processes and handlers, only where things
 * are: a comment line above a function moves every span below it. Re-linking the workspace for
 * that is wasted work. When a file's new facts equal its old ones apart from positions, the new
 * positions are copied into the old span objects instead: everything that holds them (the
 * linked program, the scope graph's edges, handler sites synthesised from calls) is up to date
 * at once, and only the process models and rules have to run again.
 *
 * The same goes for the argument texts of a call (an integer bumped in `range(10)`): no edge of
 * the scope graph depends on them, only the handler sites and process starts built from calls of
 * workspace classes, which the engine checks (`callValuesChanged` lists the calls).
 */
import type { CallEdge, FileFacts, Position, Span } from './facts';

function isPosition(v: unknown): v is Position {
  return typeof v === 'object' && v !== null && typeof (v as Position).line === 'number' && typeof (v as Position).character === 'number';
}

/** A span: `file`, `start` and `end` positions (asked only of objects that have a `start`). */
function isSpan(v: object): v is Span {
  const span = v as Span;
  return span.start !== undefined && typeof span.file === 'string' && isPosition(span.start) && isPosition(span.end);
}

/**
 * Deep equality that compares spans by file only. The spans met on the way go into `pairs`
 * (previous, next, previous, next, ...), so that the positions are copied without a second walk.
 * Equal primitives (most values) are passed over in the loops, without a call: a large test
 * module's facts took ~4 ms per edit to compare with one call per value.
 */
function equalObjects(a: object, b: object, pairs: Span[]): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (x === y) continue;
      if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || !equalObjects(x, y, pairs)) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  if ((a as Span).start !== undefined || (b as Span).start !== undefined) {
    const spanA = isSpan(a);
    const spanB = isSpan(b);
    if (spanA || spanB) {
      if (!(spanA && spanB && a.file === b.file)) return false;
      pairs.push(a, b);
      return true;
    }
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // Every key of `a` is in `b` (a value found there, or the key looked up), and as many keys.
  let count = 0;
  for (const k in ra) {
    count++;
    const x = ra[k];
    const y = rb[k];
    if (x === y) {
      if (x === undefined && !(k in rb)) return false;
      continue;
    }
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || !equalObjects(x, y, pairs)) return false;
  }
  for (const k in rb) if (--count < 0) return false;
  return true;
}

/**
 * Copies positions from `to` into `from`, mutating the position objects themselves (they are
 * shared); returns whether they moved.
 */
function copyPositions(from: Span, to: Span): boolean {
  const moved = from.start.line !== to.start.line || from.start.character !== to.start.character
    || from.end.line !== to.end.line || from.end.character !== to.end.character;
  from.start.line = to.start.line;
  from.start.character = to.start.character;
  from.end.line = to.end.line;
  from.end.character = to.end.character;
  return moved;
}

/**
 * The fields of a call that say what it passes, not what it calls: the scope graph's edges never
 * read them, the rules do (a parameter followed back to its argument), and so do the handler
 * sites and process starts the scope graph builds from calls of workspace classes.
 */
const CALL_VALUE_KEYS: ReadonlySet<string> = new Set<keyof CallEdge>(['args', 'kwargs', 'pathArg', 'inLoop', 'loopVars']);

/** How `next` differs from `previous` when they say the same apart from positions and call arguments. */
export interface InPlaceChange {
  /** Span pairs met on the way: previous, next, previous, next, ... */
  spans: Span[];
  /** Calls of `previous` whose arguments (CALL_VALUE_KEYS) differ, with their counterpart in `next`. */
  callValuesChanged: [CallEdge, CallEdge][];
}

/**
 * Compares two facts of one file: undefined when they differ in more than positions and the
 * arguments of calls (the program must be linked again), else what `applyInPlace` copies.
 */
export function compareForInPlace(previous: FileFacts, next: FileFacts): InPlaceChange | undefined {
  const change: InPlaceChange = { spans: [], callValuesChanged: [] };
  if (previous === next) return change;
  const a = previous as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  let count = 0;
  for (const k in a) {
    count++;
    if (!(k in b)) return undefined;
    if (k === 'calls') continue;
    if (!equalValues(a[k], b[k], change.spans)) return undefined;
  }
  for (const k in b) if (--count < 0) return undefined;
  const before = previous.calls;
  const after = next.calls;
  if (before.length !== after.length) return undefined;
  for (let i = 0; i < before.length; i++) {
    const x = before[i];
    const y = after[i];
    // Most calls are equal apart from positions: one walk, no list of keys.
    const mark = change.spans.length;
    if (equalObjects(x, y, change.spans)) continue;
    change.spans.length = mark;
    if (x.from !== y.from || !equalValues(x.callee, y.callee, change.spans)) return undefined;
    let valuesEqual = true;
    for (const k of keysOfBoth(x, y)) {
      if (k === 'from' || k === 'callee') continue;
      const same = equalValues((x as unknown as Record<string, unknown>)[k], (y as unknown as Record<string, unknown>)[k], change.spans);
      if (same) continue;
      if (!CALL_VALUE_KEYS.has(k)) return undefined;
      valuesEqual = false;
    }
    if (!valuesEqual) change.callValuesChanged.push([x, y]);
  }
  return change;
}

/**
 * Makes the previous facts say what the next ones do: positions copied into the old span objects,
 * changed call arguments into the old call objects. Returns how many spans moved.
 */
export function applyInPlace(change: InPlaceChange): number {
  let moved = 0;
  for (let i = 0; i < change.spans.length; i += 2) if (copyPositions(change.spans[i], change.spans[i + 1])) moved++;
  for (const [previous, next] of change.callValuesChanged) {
    const target = previous as unknown as Record<string, unknown>;
    const source = next as unknown as Record<string, unknown>;
    for (const k of CALL_VALUE_KEYS) {
      if (k in source) target[k] = source[k];
      else delete target[k];
    }
  }
  return moved;
}

function keysOfBoth(x: object, y: object): Set<string> {
  return new Set([...Object.keys(x), ...Object.keys(y)]);
}

/** equalObjects for any two values (a key missing and a key set to undefined are not equal). */
function equalValues(x: unknown, y: unknown, pairs: Span[]): boolean {
  if (x === y) return true;
  return typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && equalObjects(x, y, pairs);
}
