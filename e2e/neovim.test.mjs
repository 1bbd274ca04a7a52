// Runs the Neovim 0.7 configuration of docs/neovim.md headless against the e2e fixture: the
// language server started through bin/logfunnel-language-server.js (what `npx
// logfunnel-language-server` runs) must deliver LF001 on main.py line 6, with the severity
// override from init_options applied. Skipped when `nvim` is not installed (Debian: neovim).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hasNvim = spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;

test('Neovim shows LF001 on the handler line, as an error through the settings override', { skip: hasNvim ? false : 'nvim is not installed', timeout: 120_000 }, (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-nvim-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  cpSync(path.join(root, 'e2e', 'workspace-template'), folder, { recursive: true });
  const serverCommand = JSON.stringify(['node', path.join(root, 'bin', 'logfunnel-language-server.js'), '--stdio']).replace(/^\[/, '{').replace(/\]$/, '}');
  writeFileSync(path.join(folder, 'init.lua'), `
local client_id = vim.lsp.start_client({
  name = 'logfunnel',
  cmd = ${serverCommand},
  root_dir = vim.fn.getcwd(),
  init_options = { settings = { rules = { LF001 = 'error' } } },
})
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  callback = function(args) vim.lsp.buf_attach_client(args.buf, client_id) end,
})
`);
  // Wait (up to 30 s) for diagnostics, print them one per line, quit.
  const report = "lua vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100); "
    + "for _, d in ipairs(vim.diagnostic.get(0)) do io.stdout:write(string.format('%d:%d %s %s\\n', d.lnum + 1, d.col + 1, vim.diagnostic.severity[d.severity], d.user_data.lsp.code)) end";
  const out = execFileSync('nvim', ['--headless', '-u', 'init.lua', '-i', 'NONE', 'main.py', '+' + report, '+qa!'], { cwd: folder, encoding: 'utf8', timeout: 90_000, env: { ...process.env, XDG_STATE_HOME: folder, XDG_CACHE_HOME: folder } });
  assert.deepEqual(out.trim().split('\n'), ['6:11 ERROR LF001']);
});
