/**
 * The "Log Writers" tree in the Explorer: the server's answer to `logfunnel/processModel` for the
 * active file — which processes run this file's code, why (the spawn site, the start method),
 * and which log files they open. Clicking a node with a location opens it.
 */
import * as vscode from 'vscode';
import { ProcessModelNode, ProcessModelParams, ProcessModelRequest, ProcessModelResult } from '../../../common/protocol';

export const PROCESS_MODEL_VIEW_ID = 'logfunnel.processModel';

type Requester = (params: ProcessModelParams) => Promise<ProcessModelResult | null>;

const ICONS: Record<NonNullable<ProcessModelNode['kind']>, string> = {
  process: 'server-process',
  function: 'symbol-function',
  module: 'symbol-module',
  handler: 'symbol-class',
  file: 'file',
  finding: 'warning',
  note: 'info',
};

function toRange(node: ProcessModelNode): vscode.Range | undefined {
  const r = node.range;
  return r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : undefined;
}

export class ProcessModelProvider implements vscode.TreeDataProvider<ProcessModelNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ProcessModelNode[] = [];
  private shownFor: vscode.Uri | undefined;
  // The answer being fetched: the view's first getChildren waits for it instead of rendering
  // an empty tree that a later change event may or may not replace.
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly request: Requester) {}

  /** Asks the server about `uri`; the view shows the answer. Resolves to the number of top-level nodes. */
  async showFor(uri: vscode.Uri): Promise<number> {
    this.shownFor = uri;
    this.loading = this.load(uri);
    this.changed.fire();
    await this.loading;
    this.changed.fire();
    return this.roots.length;
  }

  private async load(uri: vscode.Uri): Promise<void> {
    const result = await this.request({ uri: uri.toString() });
    this.roots = result?.roots ?? [];
    if (this.roots.length === 0) {
      this.roots = [{ label: `${vscode.workspace.asRelativePath(uri)} runs in one process only`, kind: 'note', detail: 'no process start reaches this file', children: [] }];
    }
  }

  async refresh(): Promise<void> {
    if (this.shownFor) await this.showFor(this.shownFor);
  }

  async getChildren(node?: ProcessModelNode): Promise<ProcessModelNode[]> {
    if (node) return node.children;
    await this.loading.catch(() => undefined); // the command reports the error
    return this.roots;
  }

  getTreeItem(node: ProcessModelNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = node.detail;
    item.tooltip = node.detail ? `${node.label}\n${node.detail}` : node.label;
    if (node.kind) item.iconPath = new vscode.ThemeIcon(ICONS[node.kind] ?? 'circle-outline');
    if (node.uri) {
      item.resourceUri = undefined;
      const range = toRange(node);
      item.command = {
        title: 'Open',
        command: 'vscode.open',
        arguments: [vscode.Uri.parse(node.uri), range ? { selection: range } : undefined],
      };
    }
    return item;
  }
}

export function processModelRequester(send: <R>(method: string, params: unknown) => Promise<R>): Requester {
  return (params) => send<ProcessModelResult | null>(ProcessModelRequest.method, params);
}
