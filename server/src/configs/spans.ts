/**
 * Spans for the config readers. Every reader keeps one LineIndex per file so offsets from
 * parsers (yaml, shell words, regex matches) turn into spans the same way.
 */
import type { Span } from '../model/facts';

export { LineIndex } from '../model/lineIndex';

export function wholeFileSpan(file: string): Span {
  return { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
