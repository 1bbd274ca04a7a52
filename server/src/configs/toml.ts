/**
 * TOML through smol-toml, which gives no positions: keys are located by scanning the text for
 * table headers, dotted keys and inline tables, and attached to the parsed values by key path.
 */
import type { TomlError } from 'smol-toml';
import type { Span } from '../model/facts';
import type { PValue, PEntry } from './pvalue';
import type { StructuredDocument } from './structured';
import { LineIndex } from './spans';
import { tomlParser } from './lazyParsers';

export function readToml(lines: LineIndex): StructuredDocument {
  let data: unknown;
  try {
    data = tomlParser().parse(lines.text);
  } catch (e) {
    const err = e as TomlError & { line?: number; column?: number };
    const line = typeof err.line === 'number' ? Math.max(0, err.line - 1) : 0;
    return { problems: [{ span: lines.lineSpan(line), message: `cannot parse ${lines.file.split(/[\\/]/).pop()}: ${String(err.message).split('\n')[0]}` }] };
  }
  const positions = keyPositions(lines);
  return { root: toPValue(data, [], positions, lines, 0), problems: [] };
}

/** Dotted key path (`handlers.file.class`) → span of `key = value`. */
function keyPositions(lines: LineIndex): Map<string, Span> {
  const positions = new Map<string, Span>();
  let table: string[] = [];
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    const header = /^\s*\[\[?([^\]]*)\]/.exec(text);
    if (header) {
      table = splitKey(header[1].trim());
      if (!positions.has(table.join('.'))) positions.set(table.join('.'), lines.lineSpan(line));
      continue;
    }
    const pair = /^\s*((?:[\w-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[\w-]+|"[^"]*"|'[^']*'))*)\s*=\s*(.*)$/.exec(text);
    if (!pair) continue;
    const keyPath = [...table, ...splitKey(pair[1])];
    positions.set(keyPath.join('.'), lines.lineSpan(line));
    const inline = /^\{(.*)\}\s*(#.*)?$/.exec(pair[2].trim());
    if (inline) {
      const start = text.indexOf('{');
      const re = /([\w-]+|"[^"]*")\s*=/g;
      for (let m = re.exec(inline[1]); m; m = re.exec(inline[1])) {
        const column = start + 1 + m.index;
        positions.set([...keyPath, unquoteKey(m[1])].join('.'), { file: lines.file, start: { line, character: column }, end: { line, character: text.trimEnd().length } });
      }
    }
  }
  return positions;
}

function splitKey(key: string): string[] {
  return (key.match(/"[^"]*"|'[^']*'|[^.\s]+/g) ?? []).map(unquoteKey);
}

function unquoteKey(key: string): string {
  return /^["'].*["']$/.test(key) ? key.slice(1, -1) : key;
}

function toPValue(value: unknown, keyPath: string[], positions: Map<string, Span>, lines: LineIndex, depth: number): PValue {
  const span = spanFor(keyPath, positions, lines);
  if (depth > 64) return { kind: 'expr', text: '…', span };
  if (Array.isArray(value)) return { kind: 'list', items: value.map((v, i) => toPValue(v, [...keyPath, String(i)], positions, lines, depth + 1)), span };
  if (typeof value === 'string') return { kind: 'string', value, span };
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries: PEntry[] = Object.entries(value as Record<string, unknown>).map(([key, v]) => {
      const childPath = [...keyPath, key];
      const childSpan = spanFor(childPath, positions, lines);
      return { key, keySpan: childSpan, value: toPValue(v, childPath, positions, lines, depth + 1), pairSpan: childSpan };
    });
    return { kind: 'map', entries, span };
  }
  return { kind: 'scalar', text: String(value), span };
}

/** The closest located ancestor: a key inside an array of tables falls back to its table. */
function spanFor(keyPath: string[], positions: Map<string, Span>, lines: LineIndex): Span {
  for (let n = keyPath.length; n > 0; n--) {
    const found = positions.get(keyPath.slice(0, n).join('.'));
    if (found) return found;
  }
  return lines.lineSpan(0);
}
