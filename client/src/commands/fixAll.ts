/**
 * "logfunnel: Fix All Safe Problems in Workspace".
 *
 * Asks the server for its `source.fixAll.logfunnel` action in every file that has findings (the
 * server includes only safe fixes in it), merges the edits into one WorkspaceEdit and applies it
 * with every edit marked `needsConfirmation`, so VS Code shows the Refactor Preview and the user
 * picks what to keep. Unsafe fixes stay per-finding quick fixes.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from '../../../common/protocol';

const FIX_ALL = vscode.CodeActionKind.Source.append('fixAll').append('logfunnel');

export function filesWithFindings(): vscode.Uri[] {
  return vscode.languages
    .getDiagnostics()
    .filter(([, diagnostics]) => diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE))
    .map(([uri]) => uri);
}

async function fixAllActionsFor(uri: vscode.Uri): Promise<vscode.CodeAction[]> {
  const document = await vscode.workspace.openTextDocument(uri);
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, FIX_ALL_KIND, /* resolve lazily computed edits */ 50)) ?? [];
  return actions.filter((a) => a.kind && FIX_ALL.contains(a.kind) && a.edit);
}

export async function fixAllInWorkspace(): Promise<void> {
  const files = filesWithFindings();
  if (files.length === 0) {
    void vscode.window.showInformationMessage('logfunnel: no findings in the workspace.');
    return;
  }
  const merged = new vscode.WorkspaceEdit();
  let fixedFiles = 0;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'logfunnel: collecting safe fixes' },
    async (progress) => {
      for (const uri of files) {
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / files.length });
        for (const action of await fixAllActionsFor(uri)) {
          let added = false;
          for (const [target, edits] of action.edit!.entries()) {
            for (const edit of edits) {
              merged.replace(target, edit.range, edit.newText, {
                label: action.title,
                description: vscode.workspace.asRelativePath(target),
                needsConfirmation: true,
              });
              added = true;
            }
          }
          if (added) fixedFiles++;
        }
      }
    },
  );
  if (merged.size === 0) {
    void vscode.window.showInformationMessage(`logfunnel: ${files.length} file(s) have findings, but none has a safe automatic fix. Use the quick fixes (Ctrl+.) on each finding.`);
    return;
  }
  // needsConfirmation opens the Refactor Preview; the user applies or discards there.
  const applied = await vscode.workspace.applyEdit(merged, { isRefactoring: true });
  if (applied) {
    void vscode.window.showInformationMessage(`logfunnel: applied safe fixes in ${fixedFiles} file(s).`);
  }
}
