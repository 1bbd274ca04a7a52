export interface ConfigContext {
  /** Absolute path of the workspace folder: relative names are looked up here last. */
  workspaceRoot: string;
}
