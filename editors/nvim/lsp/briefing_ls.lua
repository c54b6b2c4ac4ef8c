-- Neovim 0.11+ configuration for the briefing-ls language server.
--   vim.lsp.enable('briefing_ls')
-- Override any field with vim.lsp.config('briefing_ls', { ... }), e.g.
--   vim.lsp.config('briefing_ls', {
--     cmd = { '/path/to/briefing-ls' },
--     settings = { ['briefing-ls'] = { style = 'ap', checks = { ['mixed-units'] = 'warning' } } },
--   })
---@type vim.lsp.Config
return require('briefing-ls').default_config()
