/**
 * Positions inside one text, in the LSP convention of facts.ts (0-based line, UTF-16 column):
 * offsets from parsers and regex matches turn into spans, and spans back into offsets, the same
 * way for the config readers and the fixes.
 */
import type { Span, Position } from './facts';

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];

  constructor(readonly file: string, readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetOf(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** A position's offset, clamped to the text (an edit's range may point past a shortened line). */
  offsetAt(p: Position): number {
    return Math.min(this.offsetOf(p.line) + p.character, this.text.length);
  }

  /** The text of one line without its line break. */
  lineText(line: number): string {
    const start = this.offsetOf(line);
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }

  span(startOffset: number, endOffset: number): Span {
    return { file: this.file, start: this.position(startOffset), end: this.position(endOffset) };
  }

  /** The line's content without leading/trailing blanks: where a diagnostic on "this line" goes. */
  lineSpan(line: number): Span {
    const text = this.lineText(line);
    const first = text.search(/\S/);
    const start = first === -1 ? 0 : first;
    const end = text.trimEnd().length;
    return { file: this.file, start: { line, character: start }, end: { line, character: Math.max(start, end) } };
  }
}
