-- :checkhealth briefing-ls
local M = {}

local health = vim.health or require('health')
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local warn = health.warn or health.report_warn
local error = health.error or health.report_error
local info = health.info or health.report_info

local function trim(s)
  return (s:gsub('^%s+', ''):gsub('%s+$', ''))
end

-- The .briefing-ls.toml files that apply: above the current file, or above the files the
-- briefing-ls clients are attached to (:checkhealth runs in a buffer of its own).
local function find_config_files()
  local dirs = {}
  local function add_buf(b)
    local name = vim.api.nvim_buf_get_name(b)
    if name ~= '' and vim.bo[b].buftype == '' then
      dirs[#dirs + 1] = vim.fn.fnamemodify(name, ':p:h')
    end
  end
  add_buf(vim.api.nvim_get_current_buf())
  for _, c in ipairs(require('briefing-ls').clients()) do
    for b in pairs(c.attached_buffers or {}) do
      add_buf(b)
    end
  end
  if #dirs == 0 then
    dirs[1] = vim.fn.getcwd()
  end
  local files, seen = {}, {}
  for _, dir in ipairs(dirs) do
    local f = vim.fn.findfile('.briefing-ls.toml', dir .. ';')
    if f ~= '' then
      f = vim.fn.fnamemodify(f, ':p')
      if not seen[f] then
        seen[f] = true
        files[#files + 1] = f
      end
    end
  end
  return files, dirs[1]
end

local function check_settings(section)
  local bls = require('briefing-ls')
  local problems = 0
  for key, value in pairs(section) do
    local rule = bls.setting_keys[key]
    if rule == nil then
      warn(string.format('unknown setting %q (known: %s)', key, table.concat(vim.tbl_keys(bls.setting_keys), ', ')))
      problems = problems + 1
    elseif type(rule) == 'table' and not vim.tbl_contains(rule, value) then
      error(string.format('setting %s = %s: expected one of %s', key, vim.inspect(value), table.concat(rule, ', ')))
      problems = problems + 1
    elseif rule == 'number' and (type(value) ~= 'number' or value < 0) then
      error(string.format('setting %s = %s: expected a number of milliseconds >= 0', key, vim.inspect(value)))
      problems = problems + 1
    elseif (rule == 'list' or rule == 'map') and type(value) ~= 'table' then
      error(string.format('setting %s = %s: expected a %s', key, vim.inspect(value), rule == 'list' and 'list' or 'table'))
      problems = problems + 1
    elseif key == 'checks' then
      for code, sev in pairs(value) do
        if not vim.tbl_contains(bls.severities, sev) then
          error(string.format('checks[%q] = %s: expected one of %s', code, vim.inspect(sev), table.concat(bls.severities, ', ')))
          problems = problems + 1
        end
      end
    end
  end
  return problems
end

function M.check()
  local bls = require('briefing-ls')
  start('briefing-ls: Neovim')
  local v = vim.version()
  local version = string.format('%d.%d.%d', v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    ok('Neovim ' .. version .. ': vim.lsp.enable("briefing_ls") or require("briefing-ls").setup()')
  elseif vim.fn.has('nvim-0.8') == 1 then
    ok('Neovim ' .. version .. ': use require("briefing-ls").setup()')
  else
    warn('Neovim ' .. version .. ' is older than 0.8: setup() works, with fewer features. Upgrade if you can.')
  end

  start('briefing-ls: server binary')
  local config = bls.current_config()
  local cmd = config.cmd
  local exe = ''
  if type(cmd) == 'function' then
    info('cmd is a function: cannot check the binary')
  elseif type(cmd) ~= 'table' or type(cmd[1]) ~= 'string' then
    error('cmd is not set')
  else
    exe = vim.fn.exepath(cmd[1])
    if exe == '' then
      error(string.format('%s not found or not executable', cmd[1]), {
        'Install briefing-ls (`cargo install --path .` in its repository, or put the binary on your PATH).',
        "Or point the plugin at it: vim.lsp.config('briefing_ls', { cmd = { '/path/to/briefing-ls' } })"
          .. " or require('briefing-ls').setup({ cmd = { '/path/to/briefing-ls' } })",
      })
    else
      ok('found ' .. exe)
    end
    if exe ~= '' and #cmd > 1 and cmd[2] ~= 'serve' and cmd[2] ~= '--stdio' then
      info('cmd runs ' .. table.concat(cmd, ' ') .. ': not the briefing-ls binary itself, so its version is not checked')
      exe = ''
    elseif exe ~= '' then
      local out = vim.fn.system({ exe, '--version' })
      if vim.v.shell_error == 0 and out:match('%S') then
        ok('version: ' .. trim(out))
      else
        warn('`' .. exe .. ' --version` failed (exit ' .. vim.v.shell_error .. '): ' .. trim(out))
      end
    end
  end

  start('briefing-ls: configuration')
  local files, first_dir = find_config_files()
  for _, file in ipairs(files) do
    ok('configuration file: ' .. file)
    if exe ~= '' then
      -- The CLI reads the same file; a bad file is reported on stderr and defaults apply.
      local result = vim.fn.system({ exe, 'check', '--config', file, '--format', 'json', '-' }, '')
      local complaints = {}
      for _, line in ipairs(vim.split(result, '\n', { plain = true })) do
        if line:match('%S') and not line:match('^%s*[{}%[%]"]') then
          complaints[#complaints + 1] = trim(line)
        end
      end
      if vim.v.shell_error == 2 or #complaints > 0 then
        warn('the server reports a problem with ' .. file .. ': ' .. table.concat(complaints, ' / '))
      else
        ok('the server reads ' .. file .. ' without complaint')
      end
    end
  end
  if #files == 0 then
    info('no .briefing-ls.toml above ' .. first_dir .. ': defaults apply, with the editor settings below')
  end
  local section = type(config.settings) == 'table' and config.settings[bls.section] or {}
  if type(section) ~= 'table' then
    error("settings['briefing-ls'] must be a table, not " .. type(section))
  elseif next(section) == nil then
    info("editor settings: none (settings['briefing-ls'] is empty)")
  else
    info('editor settings (override the file): ' .. vim.inspect(section, { newline = ' ', indent = '' }))
    if check_settings(section) == 0 then
      ok('editor settings are valid')
    end
  end

  start('briefing-ls: clients')
  local clients = bls.clients()
  if #clients == 0 then
    info('no briefing-ls client is running (open a Markdown or text file; filetypes: '
      .. table.concat(config.filetypes or bls.filetypes, ', ') .. ')')
  end
  for _, c in ipairs(clients) do
    local si = c.server_info or {}
    local bufs = vim.tbl_keys(c.attached_buffers or {})
    ok(string.format('client %d: %s %s, root %s, %d buffer%s, position encoding %s', c.id, si.name or c.name,
      si.version or '', tostring(c.config and c.config.root_dir), #bufs, #bufs == 1 and '' or 's',
      tostring(c.offset_encoding)))
  end
end

return M
