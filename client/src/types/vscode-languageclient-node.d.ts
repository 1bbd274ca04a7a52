// vscode-languageclient 11 and its protocol/jsonrpc packages publish their `/node` entry points
// only through package.json "exports", which the root tsconfig's `moduleResolution: node` does
// not read (esbuild does, and bundles lib/node/main.js). These shims give tsc the same types.
// Remove them if the root tsconfig moves to `moduleResolution: node16`.
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
