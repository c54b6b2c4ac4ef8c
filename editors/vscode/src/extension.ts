// VS Code client for briefing-ls: starts the language server, passes the `briefing-ls.*`
// settings to it, and adds commands for the server's source actions and figure export.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  CodeAction,
  CodeActionKind,
  CodeActionParams,
  CodeActionRequest,
  CodeActionResolveRequest,
  CodeActionTriggerKind,
  Command,
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

/** Language ids the server handles (SPEC §5). */
export const LANGUAGES = ['markdown', 'plaintext', 'quarto', 'rmd', 'djot'] as const;
const SECTION = 'briefing-ls';
/** Keys of SPEC §7 that are sent to the server; `server.*` and `trace.*` stay in the client. */
const SERVER_KEYS = ['style', 'tags', 'tons', 'decimal', 'debounce', 'categories', 'checks', 'rates'] as const;
const EXPORT_COMMAND = 'briefing-ls.exportFigures';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

let client: LanguageClient | undefined;
let serverDescription = '';
let output: vscode.OutputChannel;
let status: vscode.LanguageStatusItem;
let extensionContext: vscode.ExtensionContext;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Json | undefined, over: Json): Json {
  if (isObject(base) && isObject(over)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(over)) {
      out[k] = merge(out[k], v);
    }
    return out;
  }
  return over;
}

/**
 * The settings the user has actually set (user, workspace, folder), without VS Code's
 * defaults, so that values in `.briefing-ls.toml` keep working for keys left unset here.
 */
export function explicitSettings(scope?: vscode.ConfigurationScope | null): JsonObject {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const out: JsonObject = {};
  for (const key of SERVER_KEYS) {
    const info = config.inspect<Json>(key);
    if (!info) {
      continue;
    }
    let value: Json | undefined;
    for (const layer of [info.globalValue, info.workspaceValue, info.workspaceFolderValue]) {
      if (layer !== undefined) {
        value = merge(value, layer);
      }
    }
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

function expandPath(p: string): string {
  let result = p.trim();
  if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
    result = path.join(os.homedir(), result.slice(1));
  }
  result = result.replace(/\$\{workspaceFolder\}/g, vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '');
  if (!path.isAbsolute(result)) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    result = folder ? path.join(folder.uri.fsPath, result) : path.resolve(result);
  }
  return result;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext.toLowerCase());
      if (isExecutable(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

interface ServerLocation {
  command: string;
  /** Where it was found: `setting`, `bundled` or `PATH`. */
  source: string;
}

class ServerNotFound extends Error {}

/** The server executable: the `briefing-ls.server.path` setting, the bundled binary, then PATH. */
export function findServer(context: vscode.ExtensionContext): ServerLocation {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '').trim();
  if (configured) {
    const file = expandPath(configured);
    if (isExecutable(file)) {
      return { command: file, source: 'setting' };
    }
    const shown = file === configured ? file : `${configured} (${file})`;
    throw new ServerNotFound(
      `The setting "briefing-ls.server.path" points to ${shown}, which is not an executable file.`,
    );
  }
  const exe = process.platform === 'win32' ? 'briefing-ls.exe' : 'briefing-ls';
  const bundled = context.asAbsolutePath(path.join('server', exe));
  if (fs.existsSync(bundled)) {
    if (!isExecutable(bundled)) {
      try {
        fs.chmodSync(bundled, 0o755);
      } catch {
        // fall through to PATH
      }
    }
    if (isExecutable(bundled)) {
      return { command: bundled, source: 'bundled' };
    }
  }
  const onPath = findOnPath('briefing-ls');
  if (onPath) {
    return { command: onPath, source: 'PATH' };
  }
  throw new ServerNotFound(
    'The briefing-ls language server was not found: no "briefing-ls.server.path" setting, ' +
      'no binary bundled with the extension, and no briefing-ls on PATH.',
  );
}

async function reportMissingServer(message: string): Promise<void> {
  output.appendLine(message);
  status.severity = vscode.LanguageStatusSeverity.Error;
  status.text = 'briefing-ls: no server';
  status.detail = message;
  const install = 'Install instructions';
  const settings = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`briefing-ls: ${message}`, install, settings);
  if (choice === install) {
    const homepage = (extensionContext.extension.packageJSON as { homepage?: string }).homepage;
    if (homepage) {
      await vscode.env.openExternal(vscode.Uri.parse(`${homepage}#installing-the-server`));
    } else {
      await vscode.commands.executeCommand(
        'markdown.showPreview',
        vscode.Uri.file(extensionContext.asAbsolutePath('README.md')),
      );
    }
  } else if (choice === settings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'briefing-ls.server.path');
  }
}

function documentSelector(): { scheme: string; language: string }[] {
  return LANGUAGES.flatMap((language) => [
    { scheme: 'file', language },
    { scheme: 'untitled', language },
  ]);
}

async function startClient(): Promise<void> {
  let location: ServerLocation;
  try {
    location = findServer(extensionContext);
  } catch (e) {
    if (e instanceof ServerNotFound) {
      void reportMissingServer(e.message);
      return;
    }
    throw e;
  }
  serverDescription = `${location.command} (${location.source})`;
  output.appendLine(`Starting ${serverDescription}`);
  const serverOptions: ServerOptions = {
    command: location.command,
    args: [],
    options: { env: { ...process.env } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: explicitSettings(),
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    diagnosticCollectionName: SECTION,
    markdown: { isTrusted: false, supportHtml: false },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for `briefing-ls` with the explicit settings only.
        configuration: async (params, token, next) => {
          const fallback = await next(params, token);
          if (!Array.isArray(fallback)) {
            return fallback;
          }
          return params.items.map((item, i) => {
            if (item.section === SECTION || item.section?.startsWith(`${SECTION}.`)) {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const settings = explicitSettings(scope);
              if (item.section === SECTION) {
                return settings;
              }
              return settings[item.section.slice(SECTION.length + 1)] ?? null;
            }
            return fallback[i] as unknown;
          });
        },
        didChangeConfiguration: async () => {
          await client?.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { [SECTION]: explicitSettings() },
          });
        },
      },
    },
  };
  const newClient = new LanguageClient(SECTION, 'briefing-ls', serverOptions, clientOptions);
  client = newClient;
  newClient.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      const info = newClient.initializeResult?.serverInfo;
      status.severity = vscode.LanguageStatusSeverity.Information;
      status.text = `briefing-ls ${info?.version ?? ''}`.trim();
      status.detail = serverDescription;
    } else if (e.newState === State.Starting) {
      status.text = 'briefing-ls: starting';
      status.busy = true;
      return;
    } else {
      status.severity = vscode.LanguageStatusSeverity.Warning;
      status.text = 'briefing-ls: stopped';
    }
    status.busy = false;
  });
  try {
    await newClient.start();
  } catch (e) {
    output.appendLine(`The server failed to start: ${String(e)}`);
    void vscode.window.showErrorMessage(`briefing-ls: the server ${serverDescription} failed to start. See the output.`);
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old) {
    try {
      await old.stop(2000);
    } catch (e) {
      output.appendLine(`Stopping the server: ${String(e)}`);
    }
  }
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

function activeDocument(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !(LANGUAGES as readonly string[]).includes(doc.languageId)) {
    void vscode.window.showWarningMessage('briefing-ls: open a Markdown or plain-text briefing first.');
    return undefined;
  }
  return doc;
}

async function runningClient(): Promise<LanguageClient | undefined> {
  if (!client) {
    await startClient();
  }
  if (!client) {
    return undefined;
  }
  if (client.state === State.Starting) {
    await new Promise<void>((resolve) => {
      const sub = client?.onDidChangeState((e) => {
        if (e.newState !== State.Starting) {
          sub?.dispose();
          resolve();
        }
      });
    });
  }
  if (client.state !== State.Running) {
    void vscode.window.showErrorMessage('briefing-ls: the server is not running. Try "briefing-ls: Restart server".');
    return undefined;
  }
  return client;
}

function isCodeAction(a: Command | CodeAction): a is CodeAction {
  return typeof (a as Command).command !== 'string';
}

/** Runs one of the server's source actions (`Tag all figures`, `Remove all tags`) on the active document. */
async function runSourceAction(title: string, nothingToDo: string): Promise<void> {
  const doc = activeDocument();
  const c = doc && (await runningClient());
  if (!doc || !c) {
    return;
  }
  const whole = doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0));
  const request = async (only?: string[]): Promise<(Command | CodeAction)[]> => {
    const params: CodeActionParams = {
      textDocument: c.code2ProtocolConverter.asTextDocumentIdentifier(doc),
      range: c.code2ProtocolConverter.asRange(whole),
      context: { diagnostics: [], only, triggerKind: CodeActionTriggerKind.Invoked },
    };
    return (await c.sendRequest(CodeActionRequest.type, params)) ?? [];
  };
  const wanted = title.toLowerCase();
  const pick = (actions: (Command | CodeAction)[]): Command | CodeAction | undefined =>
    actions.find((a) => a.title.toLowerCase() === wanted) ??
    actions.find((a) => a.title.toLowerCase().startsWith(wanted));
  let action = pick(await request([CodeActionKind.Source]));
  action ??= pick(await request());
  if (!action) {
    void vscode.window.showInformationMessage(`briefing-ls: ${nothingToDo}`);
    return;
  }
  if (isCodeAction(action)) {
    let full: CodeAction = action;
    const provider = c.initializeResult?.capabilities.codeActionProvider;
    const canResolve = typeof provider === 'object' && provider.resolveProvider === true;
    if (!full.edit && canResolve) {
      full = await c.sendRequest(CodeActionResolveRequest.type, full);
    }
    if (full.edit) {
      const edit = await c.protocol2CodeConverter.asWorkspaceEdit(full.edit);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showErrorMessage(`briefing-ls: "${title}" could not be applied (the document changed?).`);
        return;
      }
    }
    if (full.command) {
      await c.sendRequest(ExecuteCommandRequest.type, {
        command: full.command.command,
        arguments: full.command.arguments,
      });
    }
  } else {
    await c.sendRequest(ExecuteCommandRequest.type, { command: action.command, arguments: action.arguments });
  }
}

/** Executes the server's `briefing-ls.exportFigures` and opens the JSON in a new editor. */
async function exportFigures(): Promise<void> {
  const doc = activeDocument();
  const c = doc && (await runningClient());
  if (!doc || !c) {
    return;
  }
  let result: unknown;
  try {
    result = await c.sendRequest(ExecuteCommandRequest.type, {
      command: EXPORT_COMMAND,
      arguments: [c.code2ProtocolConverter.asUri(doc.uri)],
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`briefing-ls: exporting the figures failed: ${String(e)}`);
    return;
  }
  const json = JSON.stringify(result, null, 2);
  const out = await vscode.workspace.openTextDocument({ language: 'json', content: `${json}\n` });
  await vscode.window.showTextDocument(out, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  let count = 0;
  if (isObject(result) && Array.isArray(result.files)) {
    for (const file of result.files) {
      if (isObject(file) && Array.isArray(file.figures)) {
        count += file.figures.length;
      }
    }
  }
  vscode.window.setStatusBarMessage(`briefing-ls: exported ${count} figure${count === 1 ? '' : 's'}`, 5000);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel('briefing-ls');
  status = vscode.languages.createLanguageStatusItem('briefing-ls.status', documentSelector());
  status.name = 'briefing-ls';
  status.text = 'briefing-ls';
  status.command = { title: 'Restart', command: 'briefing-ls.restartServer' };
  context.subscriptions.push(output, status);
  await vscode.commands.executeCommand('setContext', 'briefing-ls.languages', [...LANGUAGES]);

  context.subscriptions.push(
    vscode.commands.registerCommand('briefing-ls.restartServer', restartClient),
    vscode.commands.registerCommand('briefing-ls.tagAllFigures', () =>
      runSourceAction('Tag all figures', 'no untagged figures in this document.'),
    ),
    vscode.commands.registerCommand('briefing-ls.removeAllTags', () =>
      runSourceAction('Remove all tags', 'no tags in this document.'),
    ),
    vscode.commands.registerCommand('briefing-ls.exportFiguresJson', exportFigures),
    vscode.commands.registerCommand('briefing-ls.showOutput', () => { output.show(true); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        output.appendLine('briefing-ls.server.path changed: restarting the server');
        void restartClient();
      }
    }),
    { dispose: () => void stopClient() },
  );
  await startClient();
}

export function deactivate(): Thenable<void> | undefined {
  return stopClient();
}
