-- Drives the kmm server from a real Neovim (0.7+), headless, as a user would:
--   nvim --headless -u NONE -i NONE -c "luafile drive.lua" DIAG_FILE
-- Environment:
--   SERVER      dist/server.js
--   OUT         where to write the JSON record of what Neovim saw (rewritten after each step)
--   KMM_KERNEL  the kernel tree, passed as initializationOptions.kernelPath
--   KMM_HOVER   SYMBOL@LINE (1-based): where in DIAG_FILE to hover
--   KMM_FIX     a second file: its missing-namespace-import quick fix is applied through
--               vim.lsp.buf.code_action() and the buffer written
-- The test (nvim.test.ts) asserts on the record; this script only observes and acts.
-- Whatever happens, it writes OUT and quits.

local uv = vim.loop
local t0 = uv.hrtime()
local function ms() return math.floor((uv.hrtime() - t0) / 1e6) end

local R = { steps = {}, publishes = {}, messages = {}, nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch }
local function save()
  local f = assert(io.open(os.getenv('OUT'), 'w'))
  f:write(vim.fn.json_encode(R))
  f:close()
end
local function step(name) R.steps[#R.steps + 1] = { name = name, ms = ms() }; save() end

-- Every publication the server makes, as it arrives (before Neovim's own handler).
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  local codes = {}
  for _, d in ipairs(result.diagnostics or {}) do codes[#codes + 1] = d.code end
  R.publishes[#R.publishes + 1] = { uri = result.uri, version = result.version or vim.NIL, codes = codes, ms = ms() }
  return publish(err, result, ctx, config)
end
-- Messages the server shows the user (showMessage) are part of what the user sees.
local show = vim.lsp.handlers['window/showMessage']
vim.lsp.handlers['window/showMessage'] = function(err, result, ctx, config)
  R.messages[#R.messages + 1] = { type = result.type, message = result.message }
  return show(err, result, ctx, config)
end

local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    out[#out + 1] = {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, code = d.code or vim.NIL, source = d.source or vim.NIL, message = d.message,
    }
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and tostring(a.code) < tostring(b.code)) end)
  return out
end

local function has_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == code then return true end end
  return false
end

local function run()
  local diag_buf = vim.api.nvim_get_current_buf()
  vim.bo[diag_buf].filetype = 'c'
  local file = vim.api.nvim_buf_get_name(diag_buf)

  local id = vim.lsp.start_client({
    name = 'kmm',
    cmd = { os.getenv('KMM_NODE') or 'node', os.getenv('SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    init_options = { kernelPath = os.getenv('KMM_KERNEL') },
    on_exit = function(code, signal) R.server_exit = { code = code, signal = signal, ms = ms() }; save() end,
  })
  assert(id, 'start_client failed')
  R.client_id = id
  vim.lsp.buf_attach_client(diag_buf, id)
  step('attached')

  -- 1. Diagnostics of the first file.
  R.diagnostics_arrived = vim.wait(10000, function() return #vim.diagnostic.get(diag_buf) > 0 end, 10)
  R.diagnostics = diagnostics(diag_buf)
  step('diagnostics')

  local client = vim.lsp.get_client_by_id(id)
  local caps = client.server_capabilities or {}
  R.capabilities = {
    hoverProvider = caps.hoverProvider or vim.NIL,
    codeActionProvider = caps.codeActionProvider or vim.NIL,
    definitionProvider = caps.definitionProvider or vim.NIL,
    textDocumentSync = caps.textDocumentSync or vim.NIL,
  }

  -- 2. Hover, where a user would put the cursor: on the symbol in its first call.
  local symbol, hover_line = os.getenv('KMM_HOVER'):match('^(.-)@(%d+)$')
  hover_line = tonumber(hover_line)
  local line = vim.api.nvim_buf_get_lines(diag_buf, hover_line - 1, hover_line, false)[1] or ''
  local col = line:find(symbol, 1, true)
  if col then R.hover_position = { line = hover_line - 1, character = col - 1 + 2 } end
  if caps.hoverProvider and R.hover_position then
    local params = { textDocument = { uri = vim.uri_from_bufnr(diag_buf) }, position = R.hover_position }
    local res, err = vim.lsp.buf_request_sync(diag_buf, 'textDocument/hover', params, 5000)
    R.hover = (res and res[id] and (res[id].result or { error = res[id].err })) or { error = err or 'no answer' }
    step('hover request')
    -- The same through the UI: K opens a floating window with the Markdown.
    vim.api.nvim_win_set_cursor(0, { R.hover_position.line + 1, R.hover_position.character })
    vim.lsp.buf.hover()
    local float
    vim.wait(5000, function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= '' then float = w; return true end
      end
      return false
    end, 10)
    if float then
      R.hover_float = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
      vim.api.nvim_win_close(float, true)
    end
    step('hover float')
  end

  -- 3. The quick fix in the second file.
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('KMM_FIX')))
  local fix_buf = vim.api.nvim_get_current_buf()
  vim.bo[fix_buf].filetype = 'c'
  vim.lsp.buf_attach_client(fix_buf, id)
  R.fix_diagnostics_arrived = vim.wait(10000, function() return has_code(fix_buf, 'missing-namespace-import') end, 10)
  R.fix_diagnostics = diagnostics(fix_buf)
  step('fix diagnostics')
  local target
  for _, d in ipairs(vim.diagnostic.get(fix_buf)) do
    if d.code == 'missing-namespace-import' and (not target or d.lnum < target.lnum) then target = d end
  end
  assert(target, 'no missing-namespace-import diagnostic to fix')

  -- 3a. The request as Neovim builds it: the line's diagnostics as context.
  local context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(fix_buf, target.lnum) }
  R.code_action_context = context.diagnostics
  local res = vim.lsp.buf_request_sync(fix_buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(fix_buf) },
    range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } },
    context = context,
  }, 5000)
  R.code_actions = (res and res[id] and (res[id].result or { error = res[id].err })) or { error = 'no answer' }
  step('code actions')

  -- 3b. Applied as a user does: cursor on the squiggle, code action menu, pick the fix.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local tick = vim.api.nvim_buf_get_changedtick(fix_buf)
  R.menu = nil
  vim.ui.select = function(items, opts, on_choice)
    R.menu = {}
    local choice
    for _, item in ipairs(items) do
      local action = item[2]
      R.menu[#R.menu + 1] = action.title
      if not choice and action.title:find('MODULE_IMPORT_NS', 1, true) then choice = item end
    end
    on_choice(choice)
  end
  vim.lsp.buf.code_action()
  R.edit_applied = vim.wait(5000, function() return vim.api.nvim_buf_get_changedtick(fix_buf) ~= tick end, 10)
  step('code action applied')
  vim.cmd('write')
  step('written')

  -- 4. The server re-checks the edited text: a publication for the buffer's current version.
  local version = vim.lsp.util.buf_versions[fix_buf]
  R.version_after_edit = version
  local uri = vim.uri_from_bufnr(fix_buf)
  R.after_arrived = vim.wait(10000, function()
    for _, p in ipairs(R.publishes) do
      if p.uri == uri and p.version ~= vim.NIL and p.version >= version then return true end
    end
    return false
  end, 10)
  vim.wait(50) -- let Neovim's own handler store it
  R.after_diagnostics = diagnostics(fix_buf)
  step('diagnostics after the fix')

  -- 5. Shut down as :qa would: the server must exit on its own.
  vim.lsp.stop_client(id)
  vim.wait(5000, function() return R.server_exit ~= nil end, 10)
  step('stopped')
end

local ok, err = xpcall(run, debug.traceback)
if not ok then R.error = tostring(err) end
R.ms = ms()
save()
vim.cmd('qa!')
