/**
 * What a fix is, independent of the protocol: text edits (and file creations) with a safety
 * class, computed together with the finding so a code action is a lookup (Ruff's model).
 */
import type { Parser } from 'web-tree-sitter';
import type { Position } from '../model/facts';
import type { Program } from '../model/program';

export type FixStrategy = 'funnel' | 'queue' | 'server' | 'locking' | 'framework' | 'rule';
export const STRATEGIES: FixStrategy[] = ['funnel', 'queue', 'server', 'locking', 'framework', 'rule'];

export interface TextRange {
  start: Position;
  end: Position;
}

/** Replace `range` of an existing file by `newText`. */
export interface TextFileEdit {
  file: string;
  range: TextRange;
  newText: string;
  create?: undefined;
}

/** Create a file that does not exist yet with `text` (never overwrites). */
export interface CreateFileEdit {
  file: string;
  create: true;
  text: string;
  /**
   * Set on the files that vendor the runtime package, to this workspace root: a client with the
   * `logfunnel.addRuntime` command gets that command instead of one CreateFile per file.
   */
  vendorRoot?: string;
}

export type FixEdit = TextFileEdit | CreateFileEdit;

/** What makes two edits the same: the file, and the range and text (or that it creates the file). */
export function editKey(e: FixEdit): string {
  return e.create ? `create:${e.file}` : `${e.file}:${e.range.start.line}:${e.range.start.character}:${e.range.end.line}:${e.range.end.character}:${e.newText}`;
}

export interface FixOffer {
  /** `logfunnel (LF001): Funnel app.log through one writer` */
  title: string;
  strategy: FixStrategy;
  /**
   * `safe`: preserves every record and keeps the program's meaning (may run in fix-all);
   * `unsafe`: changes which process writes, needs a server started, or drops a customisation.
   */
  safety: 'safe' | 'unsafe';
  edits: FixEdit[];
  note?: string;
}

/** Whether the workspace's interpreter can import `logfunnel` already. */
export interface RuntimeAvailability {
  importable: boolean;
  /** Files to create to vendor the package when it is not importable: relative name → text. */
  vendorFiles(): { name: string; text: string }[];
}

export interface FixContext {
  readText(file: string): string | undefined;
  parser: Parser;
  program?: Program;
  /** The workspace root the finding's file belongs to (where a vendored package goes). */
  rootOf(file: string): string;
  runtime?: RuntimeAvailability;
}
