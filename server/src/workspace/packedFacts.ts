/**
 * The facts cache's compact text of a file's entry. Facts repeat two long strings everywhere:
 * every span names its file (`{"file":"/abs/path/mod.py","start":{...},"end":{...}}`), and every
 * scope names its module with the import root (`func:mod@/abs/root:qualname`). The stdlib's
 * facts were 47 MB of JSON, 40 MB of them from the line scan of ~1,760 files; packed, 21 MB. The
 * JSON is made in the same time (the walk costs what the shorter text saves), while reading it
 * back is faster (~110 against ~150 ms), and so are the serializing, writing and reading of the
 * shards.
 *
 * Packed, the same JSON with:
 * - a span of the entry's own file as `[startLine, startCharacter, endLine, endCharacter]`;
 * - a string starting with `func:<module key>:` as `\u0001` and the rest, `module:<module key>` as
 *   `\u0002`; a string that itself starts with one of `\u0001`-`\u0003` gets `\u0003` in front.
 * Facts hold no other array of four numbers; should one ever appear, `packEntry` declines and
 * the cache keeps plain JSON, so the decoding can never mistake one for a span.
 */
import type { Span } from '../model/facts';
import { moduleKey, ModuleLocation } from '../model/program';

const FUNCTION_MARK = '\u0001';
const MODULE_MARK = '\u0002';
const ESCAPE_MARK = '\u0003';

/** What the decoding needs besides the text: the entry's file and its module key's prefixes. */
interface Context {
  file: string;
  functionPrefix?: string;
  moduleScope?: string;
}

function contextOf(file: string, location: ModuleLocation | undefined): Context {
  if (!location) return { file };
  const key = moduleKey(location.module, location.importRoot);
  return { file, functionPrefix: `func:${key}:`, moduleScope: `module:${key}` };
}

/** Thrown inside the walk when the packed text could be read two ways. */
class Ambiguous extends Error {}

const isPosition = (p: unknown): p is { line: number; character: number } =>
  typeof p === 'object' && p !== null && typeof (p as { line: unknown }).line === 'number' && typeof (p as { character: unknown }).character === 'number' && Object.keys(p).length === 2;

const isFourNumbers = (a: unknown[]): boolean => a.length === 4 && a.every((x) => typeof x === 'number');

/**
 * The entry (`{facts, location, lines, reads, deferred}`, as the cache keeps it) as packed JSON;
 * undefined when it holds something the packed form could not tell from a span.
 */
export function packEntry(entry: object, file: string, location: ModuleLocation | undefined): string | undefined {
  const { functionPrefix, moduleScope } = contextOf(file, location);
  const pack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (functionPrefix !== undefined && value.startsWith(functionPrefix)) return FUNCTION_MARK + value.slice(functionPrefix.length);
      if (value === moduleScope) return MODULE_MARK;
      const first = value.charCodeAt(0);
      return first >= 1 && first <= 3 ? ESCAPE_MARK + value : value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      if (isFourNumbers(value)) throw new Ambiguous();
      return value.map(pack);
    }
    const span = value as Span;
    if (span.file === file && isPosition(span.start) && isPosition(span.end) && Object.keys(span).length === 3) {
      return [span.start.line, span.start.character, span.end.line, span.end.character];
    }
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = pack((value as Record<string, unknown>)[key]);
    return out;
  };
  try {
    return JSON.stringify(pack(entry));
  } catch (e) {
    if (e instanceof Ambiguous) return undefined;
    throw e;
  }
}

/** The entry `packEntry` packed, as plain objects again (the parsed text is changed in place). */
export function unpackEntry<T>(json: string, file: string, location: ModuleLocation | undefined): T {
  const { functionPrefix, moduleScope } = contextOf(file, location);
  const unpack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      switch (value.charCodeAt(0)) {
        case 1:
          return functionPrefix + value.slice(1);
        case 2:
          return moduleScope;
        case 3:
          return value.slice(1);
        default:
          return value;
      }
    }
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      if (isFourNumbers(value)) return { file, start: { line: value[0], character: value[1] }, end: { line: value[2], character: value[3] } };
      for (let i = 0; i < value.length; i++) value[i] = unpack(value[i]);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) record[key] = unpack(record[key]);
    return record;
  };
  return unpack(JSON.parse(json)) as T;
}
