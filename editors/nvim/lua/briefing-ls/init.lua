-- briefing-ls for Neovim: the language server's configuration, a setup() for Neovim 0.7+,
-- and the commands behind :BriefingLsTagAll, :BriefingLsRemoveTags, :BriefingLsExport.
--
-- Neovim 0.11+:  vim.lsp.enable('briefing_ls')        (uses lsp/briefing_ls.lua)
-- Neovim 0.7+:   require('briefing-ls').setup({ settings = { style = 'ap' } })
local M = {}

M.name = 'briefing_ls'
M.section = 'briefing-ls'
M.filetypes = { 'markdown', 'text', 'quarto', 'rmd', 'djot' }
M.root_markers = { '.briefing-ls.toml', '.git' }
M.export_command = 'briefing-ls.exportFigures'

--- The keys of SPEC §7 the server understands, with their allowed values (nil: any).
M.setting_keys = {
  style = { 'ap', 'chicago', 'none' },
  tags = { 'span', 'html' },
  tons = { 'metric', 'short', 'long' },
  decimal = { '.', ',' },
  debounce = 'number',
  categories = 'list',
  checks = 'map',
  rates = 'map',
}
M.severities = { 'error', 'warning', 'info', 'hint', 'off' }

--- What setup() was last called with (for :checkhealth); nil when the plugin is used
--- through vim.lsp.enable() alone.
M.options = nil

local function has(feature)
  return vim.fn.has(feature) == 1
end

local function notify(msg, level)
  vim.notify('briefing-ls: ' .. msg, level or vim.log.levels.INFO)
end

local function is_empty_table(t)
  return type(t) == 'table' and next(t) == nil and getmetatable(t) == nil
end

--- The `briefing-ls` section of a client's settings as the server should see it: a JSON
--- object (an empty Lua table would be sent as `[]`), `checks` and `rates` objects too.
function M.server_settings(settings)
  local section = type(settings) == 'table' and settings[M.section] or nil
  if type(section) ~= 'table' or next(section) == nil then
    return vim.empty_dict()
  end
  local out = {}
  for k, v in pairs(section) do
    if (k == 'checks' or k == 'rates') and is_empty_table(v) then
      v = vim.empty_dict()
    elseif k == 'rates' and type(v) == 'table' then
      local rates = {}
      for cur, row in pairs(v) do
        rates[cur] = is_empty_table(row) and vim.empty_dict() or row
      end
      v = rates
    end
    out[k] = v
  end
  return out
end

local function lookup(tbl, section)
  local value = tbl
  for part in string.gmatch(section, '[^.]+') do
    if type(value) ~= 'table' then
      return nil
    end
    value = value[part]
  end
  return value
end

--- Answers the server's workspace/configuration request from the client's settings.
function M.configuration_handler(_, params, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local settings = client and client.config and client.config.settings or (client and client.settings) or {}
  local response = {}
  for i, item in ipairs(params and params.items or {}) do
    local section = item.section or ''
    local value
    if section == M.section then
      value = M.server_settings(settings)
    elseif section:sub(1, #M.section + 1) == M.section .. '.' then
      value = M.server_settings(settings)[section:sub(#M.section + 2)]
    elseif section == '' then
      value = settings
    else
      value = lookup(settings, section)
    end
    if value == nil then
      value = vim.NIL
    end
    response[i] = value
  end
  return response
end

--- Passes the settings as initializationOptions, and normalises them in place so that the
--- didChangeConfiguration Neovim sends after initialize carries a JSON object.
function M.before_init(params, config)
  config.settings = config.settings or {}
  local section = M.server_settings(config.settings)
  config.settings[M.section] = section
  params.initializationOptions = section
end

--- Neovim before 0.10 may not send the settings after initialize: send them here
--- (a second identical notification is harmless).
function M.on_init(client)
  if not has('nvim-0.10') then
    local settings = client.config and client.config.settings or client.settings or {}
    settings[M.section] = M.server_settings(settings)
    client.notify('workspace/didChangeConfiguration', { settings = settings })
  end
end

--- The client configuration (the table lsp/briefing_ls.lua returns).
function M.default_config()
  return {
    cmd = { 'briefing-ls' },
    filetypes = vim.deepcopy(M.filetypes),
    root_markers = vim.deepcopy(M.root_markers),
    settings = { [M.section] = {} },
    before_init = M.before_init,
    handlers = { ['workspace/configuration'] = M.configuration_handler },
  }
end

--- The briefing-ls clients attached to a buffer (all of them when bufnr is nil).
function M.clients(bufnr)
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ bufnr = bufnr })
  elseif bufnr then
    list = vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
  else
    list = vim.lsp.get_active_clients()
  end
  return vim.tbl_filter(function(c)
    return c.name == M.name or c.name == 'briefing-ls'
  end, list)
end

local function request(client, method, params, handler, bufnr)
  if has('nvim-0.11') then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function client_for(bufnr)
  local client = M.clients(bufnr)[1]
  if not client then
    notify('no briefing-ls server is attached to this buffer (see :checkhealth briefing-ls)', vim.log.levels.WARN)
  end
  return client
end

local function whole_buffer_range(bufnr)
  local last = vim.api.nvim_buf_line_count(bufnr)
  return { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } }
end

local function apply_action(client, action, bufnr, done)
  local function finish(a)
    if a.edit then
      vim.lsp.util.apply_workspace_edit(a.edit, client.offset_encoding or 'utf-16')
    end
    local command = type(a.command) == 'table' and a.command or (type(a.command) == 'string' and a or nil)
    if command then
      request(client, 'workspace/executeCommand', { command = command.command, arguments = command.arguments },
        function()
          if done then done(true) end
        end, bufnr)
    elseif done then
      done(true)
    end
  end
  local provider = client.server_capabilities and client.server_capabilities.codeActionProvider
  if not action.edit and type(action.command) ~= 'string' and type(provider) == 'table' and provider.resolveProvider then
    request(client, 'codeAction/resolve', action, function(err, resolved)
      if err or not resolved then
        notify('resolving "' .. action.title .. '" failed: ' .. tostring(err and err.message), vim.log.levels.ERROR)
        if done then done(false) end
        return
      end
      finish(resolved)
    end, bufnr)
  else
    finish(action)
  end
end

--- Runs the server's code action titled `title` over the whole buffer (the source actions
--- "Tag all figures" and "Remove all tags"). `done(ok)` is called when it has been applied.
function M.source_action(title, bufnr, done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    if done then done(false) end
    return
  end
  local wanted = title:lower()
  local function pick(actions)
    for _, a in ipairs(actions or {}) do
      if a.title and a.title:lower() == wanted then
        return a
      end
    end
    for _, a in ipairs(actions or {}) do
      if a.title and a.title:lower():sub(1, #wanted) == wanted then
        return a
      end
    end
  end
  local function ask(only, next_step)
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(bufnr) },
      range = whole_buffer_range(bufnr),
      context = { diagnostics = {}, only = only, triggerKind = 1 },
    }
    request(client, 'textDocument/codeAction', params, function(err, result)
      if err then
        notify('code actions failed: ' .. tostring(err.message), vim.log.levels.ERROR)
      end
      next_step(pick(result))
    end, bufnr)
  end
  ask({ 'source' }, function(action)
    local function go(a)
      if not a then
        notify('"' .. title .. '": nothing to do in this buffer')
        if done then done(false) end
        return
      end
      apply_action(client, a, bufnr, done)
    end
    if action then
      go(action)
    else
      ask(nil, go)
    end
  end)
end

function M.tag_all(bufnr, done)
  M.source_action('Tag all figures', bufnr, done)
end

function M.remove_tags(bufnr, done)
  M.source_action('Remove all tags', bufnr, done)
end

-- A JSON encoder with two-space indentation; figure objects keep the key order of SPEC §6.
local key_order = {}
for i, k in ipairs({ 'files', 'path', 'figures', 'text', 'start', 'end', 'line', 'column', 'value', 'low', 'high',
  'qualifier', 'unit', 'per', 'noun', 'dimension', 'normalized', 'tag' }) do
  key_order[k] = i
end

local function encode(value, indent)
  local t = type(value)
  if value == nil or value == vim.NIL then
    return 'null'
  elseif t == 'table' then
    local pad = string.rep('  ', indent + 1)
    local close = string.rep('  ', indent)
    local is_list = (vim.islist or vim.tbl_islist)(value)
    if getmetatable(value) == getmetatable(vim.empty_dict()) and next(value) == nil then
      return '{}'
    end
    if next(value) == nil then
      return '[]'
    end
    local parts = {}
    if is_list then
      for _, v in ipairs(value) do
        parts[#parts + 1] = pad .. encode(v, indent + 1)
      end
      return '[\n' .. table.concat(parts, ',\n') .. '\n' .. close .. ']'
    end
    local keys = vim.tbl_keys(value)
    table.sort(keys, function(a, b)
      local ia, ib = key_order[a] or 1000, key_order[b] or 1000
      if ia ~= ib then
        return ia < ib
      end
      return tostring(a) < tostring(b)
    end)
    for _, k in ipairs(keys) do
      parts[#parts + 1] = pad .. vim.fn.json_encode(tostring(k)) .. ': ' .. encode(value[k], indent + 1)
    end
    return '{\n' .. table.concat(parts, ',\n') .. '\n' .. close .. '}'
  elseif t == 'number' then
    if value == math.floor(value) and math.abs(value) < 1e15 then
      return string.format('%d', value)
    end
    return string.format('%.17g', value)
  else
    return vim.fn.json_encode(value)
  end
end
M.encode_json = function(value)
  return encode(value, 0)
end

--- Runs briefing-ls.exportFigures on a buffer. `callback(result)` receives the decoded
--- result, or `nil, err`.
function M.export(bufnr, callback)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = client_for(bufnr)
  if not client then
    callback(nil, 'no client')
    return
  end
  request(client, 'workspace/executeCommand', {
    command = M.export_command,
    arguments = { vim.uri_from_bufnr(bufnr) },
  }, function(err, result)
    if err then
      callback(nil, err.message or tostring(err))
    else
      callback(result)
    end
  end, bufnr)
end

--- :BriefingLsExport [file]: the figures as JSON in a new split, or written to `file`.
function M.export_command_handler(opts)
  local bufnr = vim.api.nvim_get_current_buf()
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t')
  local target = opts and opts.args or ''
  M.export(bufnr, function(result, err)
    if err then
      notify('export failed: ' .. err, vim.log.levels.ERROR)
      return
    end
    local lines = vim.split(M.encode_json(result), '\n', { plain = true })
    local count = 0
    for _, f in ipairs(type(result) == 'table' and result.files or {}) do
      count = count + #(f.figures or {})
    end
    if target ~= '' then
      vim.fn.writefile(lines, vim.fn.expand(target))
      notify(string.format('%d figure%s written to %s', count, count == 1 and '' or 's', target))
      return
    end
    vim.cmd((opts and opts.mods and opts.mods ~= '' and opts.mods .. ' ' or '') .. 'new')
    local out = vim.api.nvim_get_current_buf()
    vim.bo[out].buftype = 'nofile'
    vim.bo[out].bufhidden = 'wipe'
    vim.bo[out].swapfile = false
    pcall(vim.api.nvim_buf_set_name, out, string.format('briefing-ls://figures/%s.json', name ~= '' and name or bufnr))
    vim.api.nvim_buf_set_lines(out, 0, -1, false, lines)
    vim.bo[out].filetype = 'json'
    vim.bo[out].modified = false
    notify(string.format('%d figure%s exported', count, count == 1 and '' or 's'))
  end)
end

--- Restarts every briefing-ls client with the same configuration, and re-attaches its buffers.
function M.restart()
  local clients = M.clients()
  if #clients == 0 then
    notify('no briefing-ls server is running', vim.log.levels.WARN)
    return
  end
  local todo = {}
  for _, c in ipairs(clients) do
    local bufs = {}
    for b in pairs(c.attached_buffers or {}) do
      bufs[#bufs + 1] = b
    end
    todo[#todo + 1] = { config = c.config, bufs = bufs }
    if has('nvim-0.11') then
      c:stop()
    else
      c.stop()
    end
  end
  vim.wait(3000, function()
    return #M.clients() == 0
  end, 20)
  for _, t in ipairs(todo) do
    local id
    for _, b in ipairs(t.bufs) do
      if vim.api.nvim_buf_is_valid(b) then
        if vim.lsp.start then
          vim.lsp.start(t.config, { bufnr = b })
        else -- Neovim 0.7
          id = id or vim.lsp.start_client(t.config)
          if id then
            vim.lsp.buf_attach_client(b, id)
          end
        end
      end
    end
  end
  notify('restarted')
end

local function find_root(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = name ~= '' and vim.fn.fnamemodify(name, ':p:h') or vim.fn.getcwd()
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(markers, { upward = true, path = dir })[1]
    return found and vim.fs.dirname(found) or dir
  end
  for _, marker in ipairs(markers) do
    local f = vim.fn.findfile(marker, dir .. ';')
    if f == '' then
      f = vim.fn.finddir(marker, dir .. ';')
    end
    if f ~= '' then
      return vim.fn.fnamemodify(f, ':p:h'):gsub('/%.git$', '')
    end
  end
  return dir
end

local started = {} -- root_dir -> client id (Neovim < 0.8)

--- Configures and enables the server.
--- opts: cmd, filetypes, root_markers, settings (the briefing-ls.* keys: style, tags, tons,
--- decimal, debounce, categories, checks, rates), on_attach, capabilities, autostart.
function M.setup(opts)
  opts = opts or {}
  M.options = opts
  local config = M.default_config()
  config.cmd = opts.cmd or config.cmd
  if type(config.cmd) == 'string' then
    config.cmd = { config.cmd }
  end
  config.filetypes = opts.filetypes or config.filetypes
  config.root_markers = opts.root_markers or config.root_markers
  config.settings = { [M.section] = vim.deepcopy(opts.settings or {}) }
  config.on_attach = opts.on_attach
  config.capabilities = opts.capabilities
  if opts.autostart == false then
    return config
  end

  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return config
  end

  local group = vim.api.nvim_create_augroup('briefing-ls', { clear = true })
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then
      return
    end
    if vim.fn.executable(config.cmd[1]) ~= 1 then
      notify(config.cmd[1] .. ' is not executable: install briefing-ls or set `cmd` (see :checkhealth briefing-ls)',
        vim.log.levels.ERROR)
      return
    end
    local c = vim.deepcopy(config)
    c.name = M.name
    c.root_dir = find_root(bufnr, config.root_markers)
    c.root_markers = nil
    c.filetypes = nil
    c.before_init = M.before_init
    c.handlers = { ['workspace/configuration'] = M.configuration_handler }
    c.on_attach = config.on_attach
    c.on_init = function(client, result)
      M.on_init(client)
      if opts.on_init then
        opts.on_init(client, result)
      end
    end
    if vim.lsp.start then
      vim.lsp.start(c, { bufnr = bufnr })
    else -- Neovim 0.7
      local id = started[c.root_dir]
      if not id or not vim.lsp.get_client_by_id(id) then
        id = nil
        for _, other in ipairs(M.clients()) do -- e.g. one :BriefingLsRestart started
          if other.config and other.config.root_dir == c.root_dir then
            id = other.id
          end
        end
        id = id or vim.lsp.start_client(c)
        started[c.root_dir] = id
      end
      if id then
        vim.lsp.buf_attach_client(bufnr, id)
      end
    end
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      start(args.buf)
    end,
  })
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      start(bufnr)
    end
  end
  return config
end

--- The configuration in force: vim.lsp.config's (0.11+) or setup()'s.
function M.current_config()
  if vim.lsp.config then
    local ok, resolved = pcall(function()
      return vim.lsp.config[M.name]
    end)
    if ok and resolved then
      return resolved
    end
  end
  local config = M.default_config()
  if M.options then
    config.cmd = M.options.cmd or config.cmd
    if type(config.cmd) == 'string' then
      config.cmd = { config.cmd }
    end
    config.settings = { [M.section] = M.options.settings or {} }
  end
  return config
end

return M
