/**
 * Most edits do not change what a file says about processes and handlers, only where things
 * are: a comment line above a function moves every span below it. Re-linking the workspace for
 * that is wasted work. When a file's new facts equal its old ones apart from positions, the new
 * positions are copied into the old span objects instead: everything that holds them (the
 * linked program, the scope graph's edges, handler sites synthesised from calls) is up to date
 * at once, and only the process models and rules have to run again.
 */
import type { Position, Span } from './facts';

function isPosition(v: unknown): v is Position {
  return typeof v === 'object' && v !== null && typeof (v as Position).line === 'number' && typeof (v as Position).character === 'number';
}

/** Called for every object of the facts: the cheap test (`start` present) goes first. */
function isSpan(v: object): v is Span {
  const span = v as Span;
  return span.start !== undefined && typeof span.file === 'string' && isPosition(span.start) && isPosition(span.end);
}

/**
 * Deep equality that compares spans by file only. The spans met on the way go into `pairs`
 * (previous, next, previous, next, ...), so that the positions are copied without a second walk.
 */
function equalApartFromPositions(a: unknown, b: unknown, pairs: Span[]): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (isSpan(a) || isSpan(b)) {
    if (!(isSpan(a) && isSpan(b) && a.file === b.file)) return false;
    pairs.push(a, b);
    return true;
  }
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalApartFromPositions(a[i], other[i], pairs)) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const k in ra) {
    count++;
    if (!(k in rb) || !equalApartFromPositions(ra[k], rb[k], pairs)) return false;
  }
  for (const k in rb) if (--count < 0 || !(k in ra)) return false;
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
 * If `next` says the same as `previous` apart from positions, moves `previous`'s spans to
 * `next`'s positions in place and returns how many moved (0: the facts are identical).
 * Otherwise changes nothing and returns undefined.
 */
export function moveSpansIfOnlyPositionsChanged<T extends object>(previous: T, next: T): number | undefined {
  const pairs: Span[] = [];
  if (!equalApartFromPositions(previous, next, pairs)) return undefined;
  let moved = 0;
  for (let i = 0; i < pairs.length; i += 2) if (copyPositions(pairs[i], pairs[i + 1])) moved++;
  return moved;
}
