/**
 * YAML and JSON documents (JSON through the YAML parser, a superset that keeps source ranges)
 * turned into positioned value trees. Parse errors become problems, never exceptions.
 */
import type { Node as YamlNode, Document } from 'yaml';
import { yamlParser } from './lazyParsers';
import type { Span } from '../model/facts';
import type { PValue, PEntry } from './pvalue';
import { LineIndex } from './spans';

export interface StructuredDocument {
  root?: PValue;
  problems: { span: Span; message: string }[];
}

export function readYamlOrJson(lines: LineIndex): StructuredDocument {
  const problems: StructuredDocument['problems'] = [];
  try {
    const { parseDocument, LineCounter } = yamlParser();
    const doc = parseDocument(lines.text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false});
    for (const error of doc.errors.slice(0, 5)) {
      const [start, end] = error.pos;
      problems.push({ span: lines.span(start, Math.max(start, end)), message: `cannot parse ${describe(lines.file)}: ${firstLine(error.message)}` });
    }
    if (doc.errors.length > 0) return { problems };
    const root = doc.contents ? toPValue(doc.contents as YamlNode, lines, 0, doc, { remaining: MAX_NODES, aliases: MAX_ALIASES }) : undefined;
    return { root, problems };
  } catch (e) {
    problems.push({ span: lines.lineSpan(0), message: `cannot parse ${describe(lines.file)}: ${(e as Error).message}` });
    return { problems };
  }
}

function describe(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

const MAX_DEPTH = 64;
/** Alias expansion can be exponential ("billion laughs"): stop after this many nodes. */
const MAX_NODES = 200_000;
/** Aliases resolved per document: real configs use a handful. */
const MAX_ALIASES = 1_000;

function rangeSpan(node: { range?: [number, number, number] | null } | null | undefined, lines: LineIndex): Span {
  const range = node?.range;
  if (!range) return lines.lineSpan(0);
  return lines.span(range[0], range[1]);
}

function toPValue(node: YamlNode, lines: LineIndex, depth: number, doc: Document, budget: { remaining: number; aliases: number }): PValue {
  const span = rangeSpan(node, lines);
  if (depth > MAX_DEPTH || --budget.remaining < 0) return { kind: 'expr', text: '…', span };
  const { isAlias, isMap, isPair, isScalar, isSeq } = yamlParser();
  if (isAlias(node)) {
    const target = --budget.aliases >= 0 ? node.resolve(doc) : undefined;
    return target ? toPValue(target as YamlNode, lines, depth + 1, doc, budget) : { kind: 'expr', text: `*${node.source}`, span };
  }
  if (isMap(node)) {
    const entries: PEntry[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as YamlNode | null;
      const keyText = key && isScalar(key) ? String(key.value) : undefined;
      if (keyText === undefined || !key) continue;
      const value = pair.value ? toPValue(pair.value as YamlNode, lines, depth + 1, doc, budget) : { kind: 'scalar' as const, text: 'null', span: rangeSpan(key, lines) };
      const keySpan = rangeSpan(key, lines);
      // `<<: *defaults` (compose files): the merged keys come first, so later keys override them.
      if (keyText === '<<' && value.kind === 'map') {
        entries.unshift(...value.entries);
        continue;
      }
      entries.push({ key: keyText, keySpan, value, pairSpan: { file: lines.file, start: keySpan.start, end: value.span.end } });
    }
    return { kind: 'map', entries, span };
  }
  if (isSeq(node)) {
    const items: PValue[] = [];
    for (const item of node.items) if (item) items.push(toPValue(item as YamlNode, lines, depth + 1, doc, budget));
    return { kind: 'list', items, span };
  }
  if (isScalar(node)) {
    if (typeof node.value === 'string') return { kind: 'string', value: node.value, span };
    return { kind: 'scalar', text: String(node.value), span };
  }
  // Aliases and anything exotic: keep their source text.
  return { kind: 'expr', text: String(node), span };
}
