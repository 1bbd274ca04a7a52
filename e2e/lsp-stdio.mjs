// A minimal JSON-RPC client over a child process's stdio, enough to drive a language server in
// tests: Content-Length framing, requests with ids, notifications collected by method.
import { spawn } from 'node:child_process';

export function startStdioServer(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  const pending = new Map();
  const notifications = [];
  const waiters = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));

  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: (\d+)/i.exec(header);
      if (!match) throw new Error(`bad header from server: ${header}`);
      const length = Number(match[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && message.method === undefined) {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) p?.reject(Object.assign(new Error(message.error.message), { data: message.error }));
        else p?.resolve(message.result);
      } else if (message.id !== undefined) {
        // A request from the server (workspace/configuration, window/workDoneProgress/create,
        // client/registerCapability...): answer like a permissive client would.
        const result = message.method === 'workspace/configuration' ? message.params.items.map(() => null) : null;
        write({ jsonrpc: '2.0', id: message.id, result });
      } else {
        notifications.push(message);
        for (const w of [...waiters]) if (w.predicate(message)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(message); }
      }
    }
  });

  function write(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  }

  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => { for (const p of pending.values()) p.reject(new Error(`server exited; stderr:\n${stderr}`)); });

  return {
    child,
    exited,
    get stderr() { return stderr; },
    notifications,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        write({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params) { write({ jsonrpc: '2.0', method, params }); },
    waitForNotification(predicate) {
      const found = notifications.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async shutdown() {
      await this.request('shutdown', null);
      this.notify('exit', null);
      return exited;
    },
  };
}
