/**
 * Entry point of the VS Code extension: starts the language server, registers the commands, the
 * status-bar item and the process-model view. Everything that decides anything lives in the
 * server; this side only wires VS Code to it.
 */
import * as vscode from 'vscode';
import { LanguageClient, State, StateChangeEvent } from 'vscode-languageclient/node';
import { CLIENT_COMMANDS, StatusNotification, StatusParams } from '../../common/protocol';
import { addRuntime } from './commands/addRuntime';
import { fixAllInWorkspace } from './commands/fixAll';
import { createLanguageClient } from './languageClient';
import { onPythonInterpreterChange } from './pythonInterpreter';
import { FindingsStatusBar } from './statusBar';
import { PROCESS_MODEL_VIEW_ID, ProcessModelProvider, processModelRequester } from './views/processModelView';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('logfunnel', { log: true });
  const statusBar = new FindingsStatusBar();
  context.subscriptions.push(output, statusBar);

  client = createLanguageClient(context, output);
  const languageClient = client;
  context.subscriptions.push(
    languageClient.onDidChangeState((event: StateChangeEvent) => {
      if (event.newState !== State.Running) statusBar.reset();
    }),
  );

  const processModel = new ProcessModelProvider(processModelRequester((method, params) => languageClient.sendRequest(method, params)));
  context.subscriptions.push(vscode.window.registerTreeDataProvider(PROCESS_MODEL_VIEW_ID, processModel));
  // One handler per method (a second registration would replace the first).
  context.subscriptions.push(
    languageClient.onNotification(StatusNotification.method, (status: StatusParams) => {
      statusBar.update(status);
      // Each finished analysis may change the explanation on display: keep the view current.
      if (status.state === 'idle') processModel.refresh().catch(() => undefined);
    }),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand(CLIENT_COMMANDS.fixAll, () => fixAllInWorkspace()),
    vscode.commands.registerCommand(CLIENT_COMMANDS.addRuntime, (args?: unknown) => addRuntime(context, output, typeof args === 'object' && args !== null ? args : undefined)),
    vscode.commands.registerCommand(CLIENT_COMMANDS.restartServer, async () => {
      output.appendLine('restarting the language server');
      await languageClient.restart();
    }),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showProcessModel, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('logfunnel: open a file to see which processes run it.');
        return;
      }
      // Ask first, then reveal: the view's first render waits for the answer.
      const shown = processModel.showFor(editor.document.uri);
      await vscode.commands.executeCommand(`${PROCESS_MODEL_VIEW_ID}.focus`);
      try {
        await shown;
      } catch (error) {
        void vscode.window.showErrorMessage(`logfunnel: the server could not explain this file's processes: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );

  // A different interpreter may or may not have `logfunnel` installed: the server re-asks.
  const interpreterWatch = await onPythonInterpreterChange(() => {
    void languageClient.sendNotification('workspace/didChangeConfiguration', { settings: null });
  });
  if (interpreterWatch) context.subscriptions.push(interpreterWatch);

  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
