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
  return equalRecords(a as Record<string, unknown>, b as Record<string, unknown>, pairs);
}

/**
 * equalObjects for two plain records, the keys in `skip` left out on both sides (present,
 * missing or different alike).
 */
function equalRecords(ra: Record<string, unknown>, rb: Record<string, unknown>, pairs: Span[], skip?: ReadonlySet<string>): boolean {
  // Every key of `a` is in `b` (a value found there, or the key looked up), and as many keys.
  let count = 0;
  for (const k in ra) {
    if (skip?.has(k)) continue;
    count++;
    const x = ra[k];
    const y = rb[k];
    if (x === y) {
      if (x === undefined && !(k in rb)) return false;
      continue;
    }
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || !equalObjects(x, y, pairs)) return false;
  }
  for (const k in rb) if (!skip?.has(k) && --count < 0) return false;
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

/** The facts' calls: compared one by one, their arguments apart (compareForInPlace). */
const CALLS: ReadonlySet<string> = new Set<keyof FileFacts>(['calls']);

/**
 * Compares two facts of one file: undefined when they differ in more than positions and the
 * arguments of calls (the program must be linked again), else what `applyInPlace` copies.
 */
export function compareForInPlace(previous: FileFacts, next: FileFacts): InPlaceChange | undefined {
  const change: InPlaceChange = { spans: [], callValuesChanged: [] };
  if (previous === next) return change;
  const record = (facts: object) => facts as Record<string, unknown>;
  if (!equalRecords(record(previous), record(next), change.spans, CALLS)) return undefined;
  const before = previous.calls;
  const after = next.calls;
  if (before.length !== after.length) return undefined;
  for (let i = 0; i < before.length; i++) {
    const x = before[i];
    const y = after[i];
    // Most calls are equal apart from positions: one walk over the whole call.
    const mark = change.spans.length;
    if (equalObjects(x, y, change.spans)) continue;
    change.spans.length = mark;
    // Not equal, but equal without the arguments: the arguments are what differs.
    if (!equalRecords(record(x), record(y), change.spans, CALL_VALUE_KEYS)) return undefined;
    change.callValuesChanged.push([x, y]);
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
