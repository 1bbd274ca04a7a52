/**
 * The parts of a client the fix tests need on top of TestLspClient: ask for code actions with
 * a published diagnostic, and apply the returned WorkspaceEdit to the files on disk as VS Code
 * would (CreateFile, then TextDocumentEdits), telling the server through watched-file events.
 */
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { TestLspClient } from './lspClient';

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
export interface LspDiagnostic {
  range: LspRange;
  code: string;
  message: string;
  data?: unknown;
}
export interface LspCodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  data?: { strategy: string; safety: string; note?: string };
  edit?: {
    changes?: Record<string, { range: LspRange; newText: string }[]>;
    documentChanges?: ({ kind: 'create'; uri: string } | { textDocument: { uri: string }; edits: { range: LspRange; newText: string }[] })[];
  };
}

export class FixTestClient extends TestLspClient {
  async initializeForFixes(rootDir: string): Promise<unknown> {
    const rootUri = URI.file(rootDir).toString();
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootDir) }],
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { dataSupport: true, isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
        },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
        },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  codeActions(uri: string, diagnostics: LspDiagnostic[], only?: string[]): Promise<LspCodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, only, triggerKind: 1 },
    }) as Promise<LspCodeAction[]>;
  }

  /** Applies the edit to disk; returns the files written (absolute paths). */
  async applyEdit(action: LspCodeAction): Promise<string[]> {
    const written: string[] = [];
    const edit = action.edit ?? {};
    const textEdits: [string, { range: LspRange; newText: string }[]][] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        const file = URI.parse(change.uri).fsPath;
        if (!fs.existsSync(file)) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, '');
        }
        written.push(file);
      } else {
        textEdits.push([change.textDocument.uri, change.edits]);
      }
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) textEdits.push([uri, edits]);
    for (const [uri, edits] of textEdits) {
      const file = URI.parse(uri).fsPath;
      fs.writeFileSync(file, applyLspEdits(fs.readFileSync(file, 'utf8'), edits));
      written.push(file);
    }
    const unique = [...new Set(written)];
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: unique.map((f) => ({ uri: URI.file(f).toString(), type: 2 })),
    });
    return unique;
  }
}

/** What a client does with TextEdits: all ranges refer to the original text. */
export function applyLspEdits(text: string, edits: { range: LspRange; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length));
  const sorted = [...edits].sort((a, b) => offset(a.range.start) - offset(b.range.start));
  for (let i = 1; i < sorted.length; i++) {
    if (offset(sorted[i].range.start) < offset(sorted[i - 1].range.end)) throw new Error('overlapping edits in one WorkspaceEdit');
  }
  let out = text;
  for (const e of sorted.reverse()) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
