-- User commands of briefing-ls. They act on the briefing-ls client attached to the
-- current buffer, however it was started (vim.lsp.enable, setup(), nvim-lspconfig).
if vim.g.loaded_briefing_ls then
  return
end
vim.g.loaded_briefing_ls = 1

local function cmd(name, fn, opts)
  vim.api.nvim_create_user_command(name, fn, opts or {})
end

cmd('BriefingLsTagAll', function()
  require('briefing-ls').tag_all(0)
end, { desc = 'briefing-ls: wrap every figure of the buffer in a structured tag' })

cmd('BriefingLsRemoveTags', function()
  require('briefing-ls').remove_tags(0)
end, { desc = 'briefing-ls: remove every structured tag of the buffer' })

cmd('BriefingLsExport', function(opts)
  require('briefing-ls').export_command_handler(opts)
end, { nargs = '?', complete = 'file', desc = 'briefing-ls: export the figures of the buffer as JSON (to a split, or to FILE)' })

cmd('BriefingLsRestart', function()
  require('briefing-ls').restart()
end, { desc = 'briefing-ls: restart the language server' })
