// local-cloud's console: every view reads /_admin/* with the admin token from the address's #token= fragment
// (kept in this tab's sessionStorage, then dropped from the address bar). Values are only ever set as text
// (textContent, attributes), never parsed as HTML, and the page's Content-Security-Policy runs no other script.
'use strict';

const TOKEN_KEY = 'local-cloud-admin-token';
const PAGE_SIZE = 20;
const LOG_KEEP = 500;
const LOG_WAIT_SECONDS = 25;

const token = takeToken();
const $ = (id) => document.getElementById(id);
const state = {
  view: 'users',
  users: [],
  data: { table: '', uid: '', starts: [null], index: 0, open: null },
  files: { uid: '', starts: [null], index: 0 },
  tables: { declared: [], next: null, last: null },
  log: { last: 0, entries: [], stopped: false },
};

/** The token from #token=… (then removed from the address, so it is in no history entry or bookmark). */
function takeToken() {
  const match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** One admin call; resolves to the answer (JSON, or a Blob when `blob`), rejects with the server's message. */
async function api(method, path, { body, blob = false, timeoutMs = 15000 } = {}) {
  const headers = { 'X-Local-Cloud-Token': token };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) {
    let message = `${method} ${path} answered ${res.status}`;
    let code = '';
    try {
      const e = await res.json();
      message = e.ErrorMessage || e.Message || (e.error && e.error.message) || message;
      code = e.ErrorCode || e.Code || '';
    } catch (ignored) {
      // not JSON: keep the status line
    }
    // the admin origin's own refusal (token, host); a db function's PERMISSION_DENIED is a query's answer
    if (res.status === 403 && code !== 'PERMISSION_DENIED') {
      banner('local-cloud refused the console: open the consoleUrl that local-cloud printed after READY '
        + '(the token changes at every start). ' + message);
    }
    throw new ApiError(res.status, message);
  }
  return blob ? res.blob() : res.json();
}

const enc = encodeURIComponent;

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'onclick' || name === 'onchange') node[name] = value;
    else node.setAttribute(name, String(value));
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

function fill(id, rows, emptyText) {
  const body = $(id);
  const columns = body.closest('table').querySelectorAll('thead th').length;
  body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: columns, class: 'empty' }, emptyText))]));
}

function banner(text) {
  $('banner').textContent = text;
  $('banner').hidden = !text;
}

/** Runs an action, showing its failure in `errorId` (or the banner). */
async function guarded(action, errorId) {
  const target = errorId ? $(errorId) : null;
  if (target) target.textContent = '';
  try {
    await action();
  } catch (e) {
    if (target) target.textContent = e.message;
    else if (!(e instanceof ApiError && e.status === 403)) banner(e.message);
  }
}

const userName = (uid) => {
  const user = state.users.find((u) => u.uid === uid);
  return user && user.name ? `${user.name} (${uid})` : uid;
};

// ---- views

const VIEWS = {
  users: showUsers, data: showData, tables: showTables, files: showFiles, log: showLog, faults: showFaults, functions: showFunctions,
  instances: showInstances,
};

function show(view) {
  state.view = VIEWS[view] ? view : 'users';
  for (const name of Object.keys(VIEWS)) $(`view-${name}`).hidden = name !== state.view;
  document.querySelectorAll('nav button').forEach((b) => {
    b.classList.toggle('current', b.dataset.view === state.view);
  });
  if (window.location.hash !== `#${state.view}`) history.replaceState(null, '', `#${state.view}`);
  return guarded(VIEWS[state.view]);
}

async function loadUsers() {
  const answer = await api('GET', '/_admin/users');
  state.users = answer.users;
  state.usersTable = answer.usersTable ?? [];
  state.usersTableName = answer.usersTableName ?? '';
  return state.users;
}

async function showUsers() {
  const users = await loadUsers();
  $('users-table-name').textContent = state.usersTableName;
  fill('users-table-body', state.usersTable.map((u) => el('tr', { 'data-testid': 'users-table-row', 'data-uid': u.uid },
    el('td', {}, u.name ?? '—'),
    el('td', { class: 'mono' }, u.uid),
    el('td', { class: 'mono', 'data-testid': 'users-table-phone' }, u.phone ?? '—'),
    el('td', { class: 'num' }, u.liveSessions),
    el('td', { 'data-testid': 'users-table-deleting' }, u.deletionPendingSince ?? '—'))),
  'The users table has no row yet.');
  fill('users-body', users.map((u) => el('tr', {
    'data-testid': 'user-row', 'data-uid': u.uid, class: 'clickable', title: 'Show this user\'s rows',
    onclick: () => { state.data.uid = u.uid; resetPages(state.data); show('data'); },
  },
  el('td', {}, u.name ?? '—'),
  el('td', { class: 'mono' }, u.uid),
  el('td', {}, u.sessions.length ? u.sessions.map((s) => s.expiresAt).join(', ') : 'none'),
  el('td', { class: 'num' }, u.rowCount),
  el('td', { class: 'num' }, u.fileCount))), 'No user has logged in yet.');
}

function resetPages(view) {
  view.starts = [null];
  view.index = 0;
}

/** Fills a user filter select: every user, then "all users". */
function userOptions(select, selected) {
  select.replaceChildren(el('option', { value: '' }, 'All users'),
    ...state.users.map((u) => el('option', { value: u.uid, selected: u.uid === selected }, userName(u.uid))));
  select.value = selected;
}

async function showData() {
  const [{ tables }] = await Promise.all([api('GET', '/_admin/tables'), loadUsers()]);
  const data = state.data;
  if (!tables.includes(data.table)) data.table = tables[0] || '';
  $('table-select').replaceChildren(...tables.map((t) => el('option', { value: t }, t)));
  $('table-select').value = data.table;
  userOptions($('user-filter'), data.uid);
  await loadRows();
}

async function loadRows() {
  const data = state.data;
  if (!data.table) {
    fill('rows-body', [], 'The db function serves no table.');
    return;
  }
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (data.uid) query.set('uid', data.uid);
  if (data.starts[data.index]) query.set('next', data.starts[data.index]);
  const { rows, next } = await api('GET', `/_admin/tables/${enc(data.table)}/rows?${query}`);
  data.starts[data.index + 1] = next;
  $('page-prev').disabled = data.index === 0;
  $('page-next').disabled = !next;
  fill('rows-body', rows.map((row) => el('tr', {
    'data-testid': 'data-row', 'data-uid': row.uid, 'data-id': row.id, class: 'clickable',
    onclick: () => guarded(() => openRow(row.uid, row.id), 'row-error'),
  },
  el('td', {}, userName(row.uid)),
  el('td', { class: 'mono' }, row.id),
  el('td', { class: 'num' }, row.version),
  el('td', {}, row.updatedAt),
  el('td', { class: 'mono preview' }, JSON.stringify(row.item)))), 'No rows.');
}

function rowPath(uid, id) {
  return `/_admin/tables/${enc(state.data.table)}/rows/${enc(uid)}/${enc(id)}`;
}

async function openRow(uid, id) {
  const row = await api('GET', rowPath(uid, id));
  state.data.open = { uid, id, version: row.version };
  $('editor-title').textContent = `${state.data.table} · ${userName(uid)} · ${id} · version ${row.version}`;
  $('row-json').value = JSON.stringify(row.item, null, 2);
  $('row-error').textContent = '';
  $('editor').hidden = false;
  $('row-json').focus();
}

async function saveRow() {
  const { uid, id, version } = state.data.open;
  let item;
  try {
    item = JSON.parse($('row-json').value);
  } catch (e) {
    throw new Error(`Not valid JSON: ${e.message}`);
  }
  // only over the version opened: a change made meanwhile (by the app) is refused, not overwritten
  const row = await api('PUT', rowPath(uid, id), { body: { item, version } });
  state.data.open.version = row.version;
  $('editor-title').textContent = `${state.data.table} · ${userName(uid)} · ${id} · version ${row.version} (saved)`;
  $('row-json').value = JSON.stringify(row.item, null, 2);
  await loadRows();
}

async function deleteRow() {
  const { uid, id } = state.data.open;
  if (!window.confirm(`Delete row "${id}" of ${userName(uid)} from ${state.data.table}?`)) return;
  await api('DELETE', rowPath(uid, id));
  closeEditor();
  await loadRows();
}

function closeEditor() {
  $('editor').hidden = true;
  state.data.open = null;
}

// ---- tables: each declared table's mode, rules and indexes; a query run as a chosen user

/** One line per key of an object: `read: doc._owner == auth.uid`. */
function lines(object, format) {
  const entries = Object.entries(object || {});
  return entries.length ? entries.map(([k, v]) => el('span', { class: 'field mono' }, format(k, v))) : ['—'];
}

function searchIndexCell(index) {
  if (!index) return el('td', { 'data-testid': 'table-search-index' }, 'none (queries on it fail)');
  return el('td', { 'data-testid': 'table-search-index' }, el('span', { class: 'field' }, index.name),
    ...index.fields.map((f) => el('span', { class: 'field mono' },
      `${f.name}: ${f.type}${f.array ? '[]' : ''}${f.sortable ? '' : ' (no sort)'}`)));
}

async function showTables() {
  const [declared, lag] = await Promise.all([api('GET', '/_admin/data-tables'), api('GET', '/_admin/search-lag'),
    loadUsers()]);
  state.tables.declared = declared.tables;
  $('tables-source').textContent = declared.source === 'invalid' ? `DATA_TABLES: ${declared.problem}`
    : declared.source === 'legacy' ? 'DATA_TABLES is a list of names: every table is private' : 'from DATA_TABLES';
  fill('tables-body', declared.tables.map((t) => el('tr', { 'data-testid': 'table-row', 'data-table': t.name },
    el('td', { class: 'mono' }, t.name),
    el('td', { 'data-testid': 'table-mode' }, t.mode),
    el('td', { 'data-testid': 'table-rules' }, ...lines(t.rules, (op, rule) => `${op}: ${rule}`)),
    el('td', { 'data-testid': 'table-indexes' }, ...lines(t.indexes, (field, type) => `${field}: ${type}`)),
    searchIndexCell(t.searchIndex))), 'The db function declares no table.');
  $('lag-ms').value = lag.ms;
  const table = $('query-table').value;
  $('query-table').replaceChildren(...declared.tables.map((t) => el('option', { value: t.name }, t.name)));
  if (declared.tables.some((t) => t.name === table)) $('query-table').value = table;
  const user = $('query-user').value;
  $('query-user').replaceChildren(...state.users.map((u) => el('option', { value: u.uid }, userName(u.uid))));
  if (state.users.some((u) => u.uid === user)) $('query-user').value = user;
}

/** The JSON of a textarea, or undefined when empty; a parse failure names the field. */
function jsonField(id, name) {
  const text = $(id).value.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${name} is not JSON: ${e.message}`);
  }
}

async function runQuery(next) {
  $('query-next').disabled = true;
  $('query-rows').textContent = '';
  $('query-count').textContent = '';
  const request = next ? { ...state.tables.last, next } : {
    user: $('query-user').value,
    where: jsonField('query-where', 'where'),
    orderBy: jsonField('query-order', 'orderBy'),
    limit: Number($('query-limit').value) || undefined,
  };
  if (!request.user) throw new Error('Pick a user: a query runs as one (log one in first).');
  state.tables.last = { ...request, next: undefined };
  const table = $('query-table').value;
  let answer;
  try {
    answer = await api('POST', `/_admin/data-tables/${enc(table)}/query`, { body: request });
  } catch (e) {
    throw new Error(e instanceof ApiError ? `${e.status}: ${e.message}` : e.message);
  }
  state.tables.next = answer.next;
  $('query-rows').textContent = JSON.stringify(answer.data, null, 2);
  $('query-count').textContent = `${answer.data.length} row${answer.data.length === 1 ? '' : 's'}`
    + (answer.next ? ', more after them' : '');
  $('query-next').disabled = !answer.next;
}

async function setLag() {
  const ms = Number($('lag-ms').value);
  $('lag-ms').value = (await api('POST', '/_admin/search-lag', { body: { ms } })).ms;
}

async function showFiles() {
  await loadUsers();
  userOptions($('file-user-filter'), state.files.uid);
  await loadFiles();
}

async function loadFiles() {
  const files = state.files;
  const query = new URLSearchParams();
  if (files.uid) query.set('uid', files.uid);
  if (files.starts[files.index]) query.set('next', files.starts[files.index]);
  const answer = await api('GET', `/_admin/files?${query}`);
  files.starts[files.index + 1] = answer.next;
  $('files-prev').disabled = files.index === 0;
  $('files-next').disabled = !answer.next;
  fill('files-body', answer.files.map((f) => el('tr', { 'data-testid': 'file-row', 'data-uid': f.uid, 'data-path': f.path },
    el('td', {}, userName(f.uid)),
    el('td', { class: 'mono' }, f.path),
    el('td', { class: 'num' }, f.size),
    el('td', {}, f.contentType ?? ''),
    el('td', {}, f.lastModified ?? ''),
    el('td', {},
      el('button', { type: 'button', 'data-testid': 'file-download', onclick: () => guarded(() => download(f), 'files-error') },
        'Download'),
      el('button', { type: 'button', 'data-testid': 'file-delete', class: 'danger',
        onclick: () => guarded(() => deleteFile(f), 'files-error') }, 'Delete')))), 'No files.');
}

async function download(file) {
  const blob = await api('GET', `/_admin/files/content?key=${enc(file.key)}`, { blob: true, timeoutMs: 60000 });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: file.path.split('/').pop() });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function deleteFile(file) {
  if (!window.confirm(`Delete ${file.path} of ${userName(file.uid)}?`)) return;
  await api('DELETE', `/_admin/files?key=${enc(file.key)}`);
  await loadFiles();
}

// ---- the invocation log: one long poll for all the console's tabs, always running, so the log is complete
// whichever view is shown. A browser opens at most 6 connections to one host: a long poll in every tab held them
// all, and a 7th tab (or any click in any tab) waited up to 25 s for one to end. So one tab, the holder of a Web
// Lock, polls and posts each page to the other tabs on a BroadcastChannel; when it closes (or its token is refused)
// the lock passes to another tab, which polls on from what it has seen. Without those APIs each tab asks every 2 s
// without waiting on the server, which holds no connection either.

const LOG_CHANNEL = 'local-cloud-invocations';
const LOG_LOCK = 'local-cloud-invocations-poll';
const SHORT_POLL_MS = 2000;

const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function showLog() {
  renderLog();
}

function logRow(entry) {
  const status = entry.error ? `${entry.status} ${entry.error}` : String(entry.status);
  const failed = entry.error || entry.status >= 400 ? ' failed' : '';
  return el('tr', {
    'data-testid': 'log-row', 'data-request-id': entry.requestId,
    class: `clickable${failed}${entry.unauthenticated ? ' unauthenticated' : ''}`,
    title: entry.unauthenticated ? 'Refused before local-cloud knew the caller: its body was not read' : undefined,
    onclick: () => showLines(entry),
  },
  el('td', {}, entry.time),
  el('td', { class: 'mono' }, entry.requestId),
  el('td', {}, `${entry.service ?? ''}/${entry.function}`),
  el('td', {}, entry.unauthenticated ? '(unauthenticated)' : entry.op ?? ''),
  el('td', {}, status),
  el('td', { class: 'num' }, `${entry.durationMs} ms`));
}

function renderLog() {
  fill('log-body', state.log.entries.map(logRow), 'No invocation yet: call a function and it shows here.');
}

function showLines(entry) {
  $('log-title').textContent = `${entry.requestId} · ${entry.service ?? ''}/${entry.function} ${entry.op ?? ''}`;
  $('log-lines').textContent = entry.logs.length ? entry.logs.join('\n') : '(this invocation logged nothing)';
}

/** Merges a page (from this tab's request or another tab's) by sequence number, newest first. */
function acceptLog(page) {
  const log = state.log;
  const seen = new Set(log.entries.map((e) => e.seq));
  const added = page.invocations.filter((e) => !seen.has(e.seq));
  log.last = Math.max(log.last, page.last);
  $('log-state').textContent = 'live';
  if (!added.length) return;
  log.entries = added.concat(log.entries).sort((a, b) => b.seq - a.seq).slice(0, LOG_KEEP);
  if (state.view === 'log') renderLog();
}

function stopLog() {
  state.log.stopped = true;
  $('log-state').textContent = 'stopped';
}

/** Asks once; false once local-cloud refused the token (a restart made a new one). */
async function askLog(waitSeconds, channel) {
  try {
    const page = await api('GET', `/_admin/invocations?after=${state.log.last}&waitSeconds=${waitSeconds}`,
      { timeoutMs: (waitSeconds + 10) * 1000 });
    acceptLog(page);
    if (channel) channel.postMessage(page);
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) {
      stopLog();
      return false;
    }
    $('log-state').textContent = 'reconnecting…';
    await pause(SHORT_POLL_MS);
    return true;
  }
}

/** The tab holding the lock: long polls until it closes or its token is refused, then the lock moves on. */
async function leadLog(channel) {
  while (!state.log.stopped && await askLog(LOG_WAIT_SECONDS, channel)) {
    // each answer is posted to the other tabs inside askLog
  }
}

async function pollLog() {
  if (typeof BroadcastChannel !== 'function' || !navigator.locks) {
    while (!state.log.stopped && await askLog(0, null)) await pause(SHORT_POLL_MS);
    return;
  }
  const channel = new BroadcastChannel(LOG_CHANNEL);
  channel.onmessage = (event) => acceptLog(event.data);
  // what happened before this tab opened, without waiting; then the leader's pages, or this tab leads
  if (await askLog(0, null)) navigator.locks.request(LOG_LOCK, () => leadLog(channel));
}

async function showFaults() {
  render((await api('GET', '/_admin/faults')));
  function render(modes) {
    fill('faults-body', Object.entries(modes).map(([service, mode]) => el('tr', {},
      el('td', {}, service),
      el('td', {}, el('select', {
        'data-testid': 'fault-select', 'data-service': service,
        onchange: (event) => guarded(async () => {
          render(await api('POST', '/_admin/faults', { body: { service, mode: event.target.value } }));
        }),
      }, ...['none', 'fail', 'stall'].map((m) => el('option', { value: m, selected: m === mode }, m)))))),
    'No stand-in.');
  }
}

async function showFunctions() {
  const { functions } = await api('GET', '/_admin/functions');
  fill('functions-body', functions.map((f) => el('tr', { 'data-testid': 'function-row', 'data-function': f.function },
    el('td', {}, f.service),
    el('td', {}, f.function),
    el('td', { class: 'mono' }, f.jar),
    el('td', { class: 'mono', title: f.build ? f.build.sha256 : '' }, f.build ? f.build.sha256.slice(0, 12) : 'missing'),
    el('td', { class: 'num' }, f.build ? f.build.size : ''),
    el('td', {}, f.build ? f.build.modified : ''),
    el('td', {}, f.loadedAt ?? 'not loaded yet'),
    el('td', {}, f.initialized ? 'yes' : 'no'),
    el('td', { 'data-testid': 'function-callable' }, f.callable === undefined ? '' : (f.callable ? 'yes' : 'no')))),
  'No function.');
}

async function showInstances() {
  const { functions } = await api('GET', '/_admin/instances');
  fill('instances-body', functions.map((f) => el('tr', { 'data-testid': 'instance-row', 'data-function': f.function },
    el('td', {}, f.service),
    el('td', {}, f.function),
    el('td', { class: 'num' }, f.calls),
    el('td', { class: 'num' }, f.running),
    el('td', { class: 'num', 'data-testid': 'instance-peak' }, f.peakConcurrent),
    el('td', { class: 'num' }, f.instanceConcurrency),
    el('td', { class: 'num', 'data-testid': 'instance-count' }, f.instances))),
  'No function.');
}

async function exportState() {
  $('export-result').textContent = 'exporting…';
  try {
    const { dir } = await api('POST', '/_admin/export', { body: {}, timeoutMs: 120000 });
    $('export-result').textContent = `Exported to ${dir}`;
  } catch (e) {
    $('export-result').textContent = `Export failed: ${e.message}`;
  }
}

// ---- wiring

function pager(view, prevId, nextId, load, errorId) {
  $(prevId).onclick = () => guarded(() => { view.index -= 1; return load(); }, errorId);
  $(nextId).onclick = () => guarded(() => { view.index += 1; return load(); }, errorId);
}

document.querySelectorAll('nav button').forEach((b) => { b.onclick = () => show(b.dataset.view); });
$('table-select').onchange = (e) => { state.data.table = e.target.value; resetPages(state.data); closeEditor(); guarded(loadRows); };
$('user-filter').onchange = (e) => { state.data.uid = e.target.value; resetPages(state.data); closeEditor(); guarded(loadRows); };
$('file-user-filter').onchange = (e) => { state.files.uid = e.target.value; resetPages(state.files); guarded(loadFiles, 'files-error'); };
pager(state.data, 'page-prev', 'page-next', loadRows);
pager(state.files, 'files-prev', 'files-next', loadFiles, 'files-error');
$('row-save').onclick = () => guarded(saveRow, 'row-error');
$('row-delete').onclick = () => guarded(deleteRow, 'row-error');
$('row-close').onclick = closeEditor;
$('export').onclick = exportState;
$('query-run').onclick = () => guarded(() => runQuery(null), 'query-error');
$('query-next').onclick = () => guarded(() => runQuery(state.tables.next), 'query-error');
$('lag-set').onclick = () => guarded(setLag, 'lag-error');

if (!token) {
  banner('No admin token: open the consoleUrl that local-cloud printed after READY (it ends in #token=…).');
} else {
  show(window.location.hash.slice(1));
  pollLog();
}
