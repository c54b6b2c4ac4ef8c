-- End-to-end test of editors/nvim in a real (headless) Neovim against the briefing-ls server.
-- Run by scripts/editors-e2e.sh:
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/e2e/nvim_e2e.lua'
-- Environment: BRIEFING_LS_CMD (server command, split on spaces), PLUGIN_DIR (editors/nvim),
-- WORKDIR (a folder holding briefing.md and .briefing-ls.toml), E2E_MODE (`enable`: the
-- Neovim 0.11+ vim.lsp.enable path; `setup`: require('briefing-ls').setup()),
-- E2E_TIMEOUT_MS, BRIEFING_LS_MOCK=1 when the server is tests/e2e/mock_server.py.
-- Prints one PASS/FAIL line per check. Exit status: 0 all passed, 1 a check failed, 2 Lua error.

local function out(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
  io.stdout:flush()
end

-- Messages would reach stderr without a newline, glued to the next PASS/FAIL line.
vim.notify = function(msg, level)
  out(string.format('  notify(%s): %s', tostring(level), tostring(msg)))
end

local results = vim.env.E2E_RESULTS and io.open(vim.env.E2E_RESULTS, 'a')
local failures = 0
local function check(ok, what)
  local line = (ok and 'PASS ' or 'FAIL ') .. 'nvim ' .. (vim.env.E2E_LABEL or '') .. ': ' .. what:gsub('\n', ' ')
  out(line)
  if results then
    results:write(line .. '\n')
    results:flush()
  end
  if not ok then
    failures = failures + 1
  end
  return ok
end

local T = tonumber(vim.env.E2E_TIMEOUT_MS or '15000')
local has = function(f)
  return vim.fn.has(f) == 1
end

local function buf_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
end

local function diag_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function codes(bufnr)
  local set = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local c = diag_code(d)
    if c then
      set[tostring(c)] = d
    end
  end
  return set
end

local function find_pos(bufnr, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return i - 1, s - 1
    end
  end
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  local c = result.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == 'string' and item or item.value or ''
  end
  return table.concat(parts, '\n')
end

local function decode(s)
  return (vim.json and vim.json.decode or vim.fn.json_decode)(s)
end

-- Applies the first code action at (row, col) for which pred(action) is true, the way a user
-- does: vim.lsp.buf.code_action({ filter, apply = true }) on 0.8+, a request on 0.7.
local function apply_code_action(bufnr, client, row, col, pred)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  if has('nvim-0.8') then
    local before = vim.api.nvim_buf_get_changedtick(bufnr)
    vim.lsp.buf.code_action({ filter = pred, apply = true })
    return vim.wait(T, function()
      return vim.api.nvim_buf_get_changedtick(bufnr) ~= before
    end, 20)
  end
  local line_diags = {}
  for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(bufnr, row)) do
    line_diags[#line_diags + 1] = d
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = row, character = col }, ['end'] = { line = row, character = col } },
    context = { diagnostics = line_diags },
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, T) or {}
  for _, r in pairs(res) do
    for _, a in ipairs(r.result or {}) do
      if pred(a) then
        if not a.edit and type(a.command) ~= 'string' then
          local resolved = vim.lsp.buf_request_sync(bufnr, 'codeAction/resolve', a, T) or {}
          for _, rr in pairs(resolved) do
            a = rr.result or a
          end
        end
        if a.edit then
          vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or 'utf-16')
          return true
        end
      end
    end
  end
  return false
end

local ok, err = pcall(function()
  local v = vim.version()
  local mode = vim.env.E2E_MODE or (has('nvim-0.11') and 'enable' or 'setup')
  out(string.format('nvim %d.%d.%d, mode %s, server: %s', v.major, v.minor, v.patch, mode, vim.env.BRIEFING_LS_CMD))

  vim.opt.runtimepath:prepend(assert(vim.env.PLUGIN_DIR, 'PLUGIN_DIR not set'))
  vim.cmd('filetype on')
  vim.cmd('runtime! plugin/briefing-ls.lua')
  vim.o.swapfile = false

  local cmd = vim.split(assert(vim.env.BRIEFING_LS_CMD, 'BRIEFING_LS_CMD not set'), ' ', { trimempty = true })
  local settings = { style = 'ap', tags = 'span', checks = { ['spurious-precision'] = 'off' } }
  if mode == 'enable' then
    vim.lsp.config('briefing_ls', { cmd = cmd, settings = { ['briefing-ls'] = settings } })
    vim.lsp.enable('briefing_ls')
  else
    require('briefing-ls').setup({ cmd = cmd, settings = settings })
  end
  check(vim.fn.exists(':BriefingLsTagAll') == 2 and vim.fn.exists(':BriefingLsExport') == 2,
    'user commands :BriefingLsTagAll, :BriefingLsRemoveTags, :BriefingLsExport defined')

  local path = assert(vim.env.WORKDIR, 'WORKDIR not set') .. '/briefing.md'
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local bls = require('briefing-ls')

  -- 1. the client starts and attaches to the Markdown buffer
  local attached = vim.wait(T, function()
    return #bls.clients(bufnr) > 0
  end, 20)
  local client = bls.clients(bufnr)[1]
  check(attached and client ~= nil, 'client attached to the markdown buffer (filetype ' .. vim.bo[bufnr].filetype .. ')')
  if not client then
    error('no client: stopping here')
  end
  vim.wait(T, function()
    return client.initialized or client.server_capabilities ~= nil
  end, 20)
  out('  server: ' .. vim.inspect(client.server_info) .. ', offset encoding ' .. tostring(client.offset_encoding))

  -- 2. diagnostics by code, from source briefing-ls
  local expected = { 'numeral-starts-sentence', 'mixed-units', 'ambiguous-unit' }
  local got = vim.wait(T, function()
    local c = codes(bufnr)
    for _, code in ipairs(expected) do
      if not c[code] then
        return false
      end
    end
    return true
  end, 20)
  local present = codes(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out(string.format('  diag %d:%d %s [%s] %s', d.lnum + 1, d.col + 1, tostring(diag_code(d)), tostring(d.source), d.message))
  end
  check(got, 'diagnostics include ' .. table.concat(expected, ', ') .. ' (got: ' .. table.concat(vim.tbl_keys(present), ', ') .. ')')
  local all_sourced = #vim.diagnostic.get(bufnr) > 0
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    all_sourced = all_sourced and d.source == 'briefing-ls'
  end
  check(all_sourced, 'every diagnostic has source "briefing-ls"')
  local nss = present['numeral-starts-sentence']
  local row10 = find_pos(bufnr, '10 drug laboratories')
  check(nss ~= nil and nss.lnum == row10 and nss.col == 0, 'numeral-starts-sentence is on "10" of "10 drug laboratories"')

  -- 3. hover on "14 tons" shows the normalised value
  local trow, tcol = find_pos(bufnr, '14 tons')
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = trow, character = tcol + 1 } }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, T) or {}
  local hover = ''
  for _, r in pairs(res) do
    hover = hover .. hover_text(r.result)
  end
  out('  hover: ' .. hover:gsub('\n', ' | '))
  -- digits grouped with a comma, space, no-break space or narrow no-break space all count
  local plain = hover:gsub('\226\128\175', ''):gsub('\194\160', ''):gsub('(%d)[, ](%d%d%d)', '%1%2')
  check(plain:find('14000%s*kg') ~= nil, 'hover on "14 tons" shows the normalised value 14,000 kg')
  if vim.env.BRIEFING_LS_MOCK == '1' then
    local okd, seen = pcall(decode, hover:match('settings: (.*)$') or '')
    local function good(t)
      return type(t) == 'table' and t.style == 'ap' and type(t.checks) == 'table' and t.checks['spurious-precision'] == 'off'
    end
    check(okd and good(seen.init) and good(seen.configuration) and type(seen.changed) == 'table' and good(seen.changed['briefing-ls']),
      'settings reach the server as initializationOptions, workspace/configuration and didChangeConfiguration (mock)')
  end

  -- 4. quick fix for numeral-starts-sentence: "10" -> "Ten"
  local fixed = apply_code_action(bufnr, client, row10, 0, function(a)
    return (a.kind == nil or a.kind:sub(1, 8) == 'quickfix') and a.title:find('Ten', 1, true) ~= nil
  end)
  local line10 = vim.api.nvim_buf_get_lines(bufnr, row10, row10 + 1, false)[1]
  check(fixed and line10:sub(1, 33) == 'Ten drug laboratories were closed', 'quick fix spells out "10": ' .. line10:sub(1, 40))
  check(nss ~= nil and fixed and vim.wait(T, function()
    return codes(bufnr)['numeral-starts-sentence'] == nil
  end, 20), 'numeral-starts-sentence cleared after the fix (diagnostics re-published)')

  -- 5. :BriefingLsTagAll then :BriefingLsRemoveTags gives back the text byte for byte
  local original = buf_text(bufnr)
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.cmd('BriefingLsTagAll')
  vim.wait(T, function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end, 20)
  local tagged = buf_text(bufnr)
  local _, ntags = tagged:gsub('%]{[^}]*%.fig', '')
  local _, ntags_html = tagged:gsub('<data class="fig"', '')
  check(ntags + ntags_html >= 3, ':BriefingLsTagAll tagged ' .. (ntags + ntags_html) .. ' figures')
  tick = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.cmd('BriefingLsRemoveTags')
  vim.wait(T, function()
    return vim.api.nvim_buf_get_changedtick(bufnr) ~= tick
  end, 20)
  check(ntags + ntags_html > 0 and buf_text(bufnr) == original,
    ':BriefingLsRemoveTags gives back the original text byte for byte')
  vim.wait(500, function() return false end, 20) -- let the server catch up with the last edit

  -- 6. "Tag figure" on "14 tons"
  trow, tcol = find_pos(bufnr, '14 tons')
  local tagged_one = apply_code_action(bufnr, client, trow, tcol + 1, function(a)
    return a.title == 'Tag figure'
  end)
  local tline = vim.api.nvim_buf_get_lines(bufnr, trow, trow + 1, false)[1]
  check(tagged_one and tline:find('[14 tons]{.fig value=14 unit=t}', 1, true) ~= nil,
    '"Tag figure" wraps 14 tons: ' .. (tline:match('%[14 tons%][^}]*}') or tline:sub(tcol + 1, tcol + 40)))

  -- 7. :BriefingLsExport opens the figures JSON in a split; :BriefingLsExport FILE writes it
  local before = vim.api.nvim_get_current_buf()
  vim.cmd('BriefingLsExport')
  vim.wait(T, function()
    return vim.api.nvim_get_current_buf() ~= before
  end, 20)
  local jbuf = vim.api.nvim_get_current_buf()
  local okj, data = pcall(decode, buf_text(jbuf))
  local figs = okj and type(data) == 'table' and data.files and data.files[1] and data.files[1].figures or {}
  local texts = {}
  for _, f in ipairs(figs) do
    texts[#texts + 1] = f.text
  end
  check(jbuf ~= before and vim.bo[jbuf].filetype == 'json' and #figs >= 3,
    ':BriefingLsExport opened ' .. #figs .. ' figures as JSON: ' .. table.concat(texts, '; '):sub(1, 120))
  local has148 = false
  for _, f in ipairs(figs) do
    has148 = has148 or (tostring(f.text):find('148', 1, true) ~= nil and tonumber(f.value) == 148)
  end
  check(has148, 'the export lists "148 firearms" with value 148')
  if jbuf ~= before then
    vim.cmd('close')
  end
  local jsonfile = vim.env.WORKDIR .. '/figures.json'
  vim.cmd('BriefingLsExport ' .. vim.fn.fnameescape(jsonfile))
  vim.wait(T, function()
    return vim.fn.filereadable(jsonfile) == 1
  end, 20)
  local okf, fdata = pcall(function()
    return decode(table.concat(vim.fn.readfile(jsonfile), '\n'))
  end)
  check(okf and type(fdata) == 'table' and fdata.files ~= nil, ':BriefingLsExport FILE writes the JSON to FILE')

  -- 8. :checkhealth briefing-ls
  vim.cmd('checkhealth briefing-ls')
  local health = buf_text(vim.api.nvim_get_current_buf())
  out('  ' .. health:gsub('\n', '\n  '))
  check(health:find('found ', 1, true) ~= nil and health:find('configuration file: ', 1, true) ~= nil
    and health:find('client %d+:') ~= nil,
    ':checkhealth briefing-ls reports the binary, the configuration file and the running client')
  if vim.env.BRIEFING_LS_MOCK ~= '1' then
    check(health:find('version: ', 1, true) ~= nil, ':checkhealth briefing-ls reports the server version')
  end

  -- 9. :BriefingLsRestart starts a new server for the buffer, which publishes again
  vim.cmd('buffer ' .. bufnr)
  local old_id = client.id
  vim.cmd('BriefingLsRestart')
  local restarted = vim.wait(T, function()
    local c = bls.clients(bufnr)[1]
    return c ~= nil and c.id ~= old_id and (c.initialized or c.server_capabilities ~= nil)
  end, 20)
  check(restarted, ':BriefingLsRestart starts a new server for the buffer')

  -- 10. clean shutdown
  for _, c in ipairs(bls.clients()) do
    if has('nvim-0.11') then c:stop() else c.stop() end
  end
  check(vim.wait(5000, function()
    return #bls.clients() == 0
  end, 20), 'the server shuts down cleanly')
end)

if not ok then
  out('ERROR ' .. tostring(err))
  check(false, 'Lua error in the test: ' .. tostring(err))
  vim.cmd('cquit 2')
end
out(failures == 0 and 'ALL PASSED' or (failures .. ' check(s) failed'))
if failures == 0 then
  vim.cmd('qall!')
else
  vim.cmd('cquit 1')
end
