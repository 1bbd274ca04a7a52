/**
 * The status-bar item: a spinner while the server analyses, then the number of findings.
 * The server's `logfunnel/status` notification is the source of truth (it counts the whole
 * workspace); until the first one arrives — or with a server that never sends it — the item
 * counts the diagnostics VS Code holds from us.
 */
import * as vscode from 'vscode';
import { CLIENT_COMMANDS, DIAGNOSTIC_SOURCE, StatusParams } from '../../common/protocol';

export class FindingsStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private serverStatus: StatusParams | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.item = vscode.window.createStatusBarItem('logfunnel.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'logfunnel';
    this.item.command = 'workbench.actions.view.problems';
    this.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => this.render()));
    this.render();
    this.item.show();
  }

  update(status: StatusParams): void {
    this.serverStatus = status;
    this.render();
  }

  /** Called when the server stops or restarts: its last count no longer holds. */
  reset(): void {
    this.serverStatus = undefined;
    this.render();
  }

  private render(): void {
    const status = this.serverStatus;
    if (status?.state === 'analyzing') {
      const progress = status.total ? ` ${status.done ?? 0}/${status.total}` : '';
      this.item.text = `$(sync~spin) logfunnel${progress}`;
      this.item.tooltip = `logfunnel: analysing the workspace${progress ? ` (${progress.trim()} files)` : ''}`;
      return;
    }
    const findings = status ? status.findings : countOwnDiagnostics();
    const files = status ? ` in ${status.files} file${status.files === 1 ? '' : 's'}` : '';
    this.item.text = `${findings === 0 ? '$(check)' : '$(warning)'} logfunnel: ${findings}`;
    this.item.tooltip = `logfunnel: ${findings} finding${findings === 1 ? '' : 's'}${files} — click for the Problems panel, or run "${CLIENT_COMMANDS.fixAll}"`;
    this.item.accessibilityInformation = { label: `logfunnel ${findings} findings` };
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

function countOwnDiagnostics(): number {
  let count = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    count += diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
  }
  return count;
}
