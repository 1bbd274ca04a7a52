/**
 * A positioned value tree: what YAML, JSON, TOML and Python dict literals have in common once
 * read. Log-config and launcher readers walk this instead of each parser's own node types, so
 * the dictConfig schema is understood in one place for every syntax.
 */
import type { Span } from '../model/facts';

export interface PEntry {
  key: string;
  keySpan: Span;
  value: PValue;
  /** From the key to the end of the value: where a diagnostic on "this setting" goes. */
  pairSpan: Span;
}

export type PValue =
  | { kind: 'map'; entries: PEntry[]; span: Span }
  | { kind: 'list'; items: PValue[]; span: Span }
  | { kind: 'string'; value: string; span: Span }
  /** Numbers, booleans, null: kept as text (`4`, `true`, `None`). */
  | { kind: 'scalar'; text: string; span: Span }
  /** Code we cannot evaluate (Python expressions); `text` is its source. */
  | { kind: 'expr'; text: string; span: Span };

export function entryOf(map: PValue | undefined, key: string): PEntry | undefined {
  if (!map || map.kind !== 'map') return undefined;
  // Later keys win, as in every one of these syntaxes.
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i];
  return undefined;
}

export function valueOf(map: PValue | undefined, key: string): PValue | undefined {
  return entryOf(map, key)?.value;
}

export function stringOf(value: PValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

/** Strings of a list (`handlers: [a, b]`), or of a comma-separated string. */
export function stringListOf(value: PValue | undefined): string[] {
  if (!value) return [];
  if (value.kind === 'list') return value.items.flatMap((v) => (v.kind === 'string' ? [v.value] : []));
  if (value.kind === 'string') return value.value.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** Text of a scalar-ish value, for numbers and flags. */
export function scalarText(value: PValue | undefined): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'scalar' || value.kind === 'expr') return value.text;
  return undefined;
}

export function isTruthy(value: PValue | undefined): boolean {
  const t = scalarText(value)?.trim().toLowerCase();
  return t === 'true' || t === '1' || t === 'yes' || t === 'on';
}
