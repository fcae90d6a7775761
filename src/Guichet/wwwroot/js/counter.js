// Counter console. All state lives on the server: the console renders the counter state it
// reads at start and on every live "counter" event, so a reload or a restarted browser resumes
// exactly where the counter was. An action answers with what the counter now holds; the waiting
// list and warnings follow on the live stream, which sends them at once after the counter's own
// actions.
import { api, countText, el, follow, isPriority, priorityText, problemText, role, showStep } from './hall-common.js';

const root = document.getElementById('counter');
const counterId = root.dataset.counterId;
const rememberKey = 'guichet.counter';
const errorBox = role(root, 'error');
let state = null;
let stateReceivedAt = 0;
let source = null;
let busy = false;

function showError(text) {
  errorBox.textContent = text ?? '';
  errorBox.hidden = !text;
}

function signIn() {
  const back = window.location.pathname + window.location.search;
  role(root, 'signin-link').href = '/account/login?ReturnUrl=' + encodeURIComponent(back);
  showStep(root, 'signin');
}

/** Handles the answers every staff call can get; true when the caller should stop. */
function handleAccess(result) {
  if (result.status === 401) {
    signIn();
    return true;
  }
  if (result.status === 403) {
    showError('Your account may not use the counter console.');
    return true;
  }
  return false;
}

// ---- picker (/counter) ----

function counterLabel(counter) {
  const window = counter.windowNumber !== undefined && counter.windowNumber !== null ? `Window ${counter.windowNumber}` : '';
  const name = String(counter.name ?? '').trim();
  if (!window || name.toLowerCase() === window.toLowerCase()) {
    return name || window;
  }
  return name ? `${window} — ${name}` : window;
}

async function loadPicker() {
  const branches = await api('/api/v1/branches');
  if (!branches.ok) {
    showError(problemText(branches.problem, 'The branches cannot be shown right now.'));
    return;
  }
  const picker = role(root, 'picker');
  const groups = [];
  for (const branch of branches.data ?? []) {
    const counters = await api(`/api/v1/branches/${encodeURIComponent(branch.id)}/counters`);
    if (handleAccess(counters)) {
      return;
    }
    if (!counters.ok) {
      continue; // outside the staff member's branches
    }
    const group = el('section', 'counter-picker-branch');
    group.append(el('h3', null, branch.name));
    const list = el('div', 'counter-picker-list');
    for (const counter of counters.data ?? []) {
      const link = el('a', 'btn btn-outline-primary btn-touch', counterLabel(counter), { href: '/counter/' + encodeURIComponent(counter.id) });
      link.addEventListener('click', () => remember(counter));
      list.append(link);
    }
    group.append(list);
    groups.push(group);
  }
  picker.replaceChildren(...groups);
  if (groups.length === 0) {
    picker.append(el('p', null, 'No counter is set up in your branches.'));
  }
  const last = recalled();
  if (last) {
    const resume = role(root, 'resume');
    resume.replaceChildren(el('a', 'btn btn-primary btn-touch', `Continue at ${last.label}`, { href: '/counter/' + encodeURIComponent(last.id) }));
    resume.hidden = false;
  }
  showStep(root, 'picker');
}

function remember(counter) {
  try {
    window.localStorage.setItem(rememberKey, JSON.stringify({ id: counter.id, label: counterLabel(counter) }));
  } catch {
    // Storage may be off (private mode); the picker still works.
  }
}

function recalled() {
  try {
    const value = JSON.parse(window.localStorage.getItem(rememberKey) ?? 'null');
    return value && typeof value.id === 'string' && typeof value.label === 'string' ? value : null;
  } catch {
    return null;
  }
}

// ---- console (/counter/{id}) ----

function minutesSince(ticket) {
  const elapsed = stateReceivedAt ? Math.floor((Date.now() - stateReceivedAt) / 60_000) : 0;
  const base = typeof ticket.waitingMinutes === 'number' ? ticket.waitingMinutes : 0;
  return Math.max(0, Math.round(base + elapsed));
}

function setCommand(name, enabled, visible = true) {
  for (const button of root.querySelectorAll(`[data-command="${name}"]`)) {
    button.disabled = !enabled;
    button.hidden = !visible;
  }
}

function renderCurrent(current, paused) {
  const status = current ? String(current.status ?? '').toLowerCase() : '';
  role(root, 'current-number').textContent = current ? current.number : '—';
  const meta = [];
  if (current) {
    meta.push(current.serviceName);
    meta.push(status === 'serving' ? 'serving' : 'called, waiting for the customer');
    const priority = priorityText(current.priority);
    if (priority) {
      meta.push(priority);
    }
    // Masked basics only (the server never sends more to a counter).
    if (current.maskedName) {
      meta.push(`customer ${current.maskedName}`);
    }
    if (current.maskedPhone) {
      meta.push(`phone ${current.maskedPhone}`);
    }
  } else {
    meta.push(paused ? 'The counter is paused.' : 'No ticket at this counter.');
  }
  role(root, 'current-meta').textContent = meta.filter(Boolean).join(' · ');
  root.dataset.currentStatus = status || 'none';

  const called = status === 'called';
  const serving = status === 'serving';
  setCommand('call-next', !current && !paused);
  setCommand('recall', called);
  setCommand('start', called);
  setCommand('complete', serving);
  setCommand('no-show', called);
  setCommand('return-to-queue', called || serving);
  setCommand('suspend', called || serving);
  setCommand('show-transfer', called || serving);
  setCommand('pause', true, !paused);
  setCommand('resume-counter', true, paused);
  if (!current) {
    role(root, 'transfer-form').hidden = true;
  }
}

function renderSuspended(suspended, hasCurrent) {
  const list = role(root, 'suspended');
  list.replaceChildren(...suspended.map((ticket) => {
    const item = el('li', 'counter-suspended-item');
    item.append(el('span', 'counter-suspended-number', ticket.number));
    item.append(el('span', 'counter-suspended-service', ticket.serviceName));
    const button = el('button', 'btn btn-sm btn-outline-primary', 'Call back', {
      type: 'button',
      'data-command': 'resume-ticket',
      'data-ticket-id': ticket.ticketId,
      disabled: hasCurrent,
    });
    item.append(button);
    return item;
  }));
  role(root, 'suspended-empty').hidden = suspended.length > 0;
}

function renderWaiting(waiting) {
  const body = role(root, 'waiting');
  body.replaceChildren(...waiting.map((ticket) => {
    const row = el('tr', isPriority(ticket.priority) ? 'counter-waiting-priority' : null, null, { 'data-number': ticket.number });
    row.append(el('td', 'counter-waiting-number', ticket.number));
    row.append(el('td', null, ticket.serviceName));
    row.append(el('td', null, `${minutesSince(ticket)} min`));
    row.append(el('td', null, priorityText(ticket.priority) || 'Normal'));
    return row;
  }));
  role(root, 'waiting-count').textContent = String(waiting.length);
  role(root, 'waiting-empty').hidden = waiting.length > 0;
}

function renderWarnings(warnings) {
  role(root, 'warnings').replaceChildren(...warnings.map((warning) =>
    el('div', 'alert alert-warning counter-warning', `${warning.serviceName}: ${countText(warning.waiting, warning.atLeast)} waiting (warning level ${warning.warningLevel}).`, { role: 'status' })));
}

// receivedAt: when the waiting times in next were computed (a merged state keeps its list's time).
function render(next, receivedAt = Date.now()) {
  state = next;
  stateReceivedAt = receivedAt;
  const label = counterLabel(next) || 'Counter';
  role(root, 'title').textContent = label;
  document.title = `${label} · Counter console`;
  const paused = Boolean(next.isPaused);
  role(root, 'paused').hidden = !paused;
  root.dataset.paused = paused ? 'true' : 'false';
  renderCurrent(next.currentTicket ?? null, paused);
  renderSuspended(Array.isArray(next.suspended) ? next.suspended : [], Boolean(next.currentTicket));
  renderWaiting(Array.isArray(next.waiting) ? next.waiting : []);
  renderWarnings(Array.isArray(next.warnings) ? next.warnings : []);
  showStep(root, 'console');
}

async function act(path, body) {
  if (busy) {
    return;
  }
  busy = true;
  root.classList.add('is-busy');
  const result = await api(`/api/v1/counters/${encodeURIComponent(counterId)}/${path}`, { method: 'POST', body });
  busy = false;
  root.classList.remove('is-busy');
  if (handleAccess(result)) {
    return;
  }
  if (!result.ok) {
    const fallback = result.status === 409 ? 'That is not possible at this counter right now.' : 'The action failed.';
    showError(problemText(result.problem, fallback));
    // The server's state is the truth: show it again after a refused action.
    await refresh();
    return;
  }
  showError('');
  if (result.data) {
    render(afterAction(result.data), stateReceivedAt || Date.now());
    if (source?.readyState !== EventSource.OPEN) {
      // No live stream to bring the new waiting list: read it.
      await refresh();
    }
  }
}

/** The state after an action: what the counter holds from the answer, the rest as last received. */
function afterAction(held) {
  const taken = held.currentTicket?.ticketId;
  const waiting = Array.isArray(state?.waiting) ? state.waiting.filter((ticket) => ticket.ticketId !== taken) : [];
  return { ...state, ...held, waiting, warnings: state?.warnings ?? [] };
}

async function refresh() {
  const result = await api(`/api/v1/counters/${encodeURIComponent(counterId)}`);
  if (handleAccess(result)) {
    return false;
  }
  if (!result.ok) {
    showError(result.status === 404 ? 'This counter does not exist, or it is not in your branches.' : problemText(result.problem, 'The counter cannot be shown right now.'));
    return false;
  }
  render(result.data);
  return true;
}

async function findBranchOfCounter() {
  const branches = await api('/api/v1/branches');
  for (const branch of branches.ok ? branches.data ?? [] : []) {
    const counters = await api(`/api/v1/branches/${encodeURIComponent(branch.id)}/counters`);
    if (counters.ok && (counters.data ?? []).some((c) => String(c.id).toLowerCase() === counterId.toLowerCase())) {
      return { branch, counters: counters.data };
    }
  }
  return null;
}

async function showTransfer() {
  const form = role(root, 'transfer-form');
  const select = role(root, 'transfer-target');
  const found = await findBranchOfCounter();
  if (!found) {
    showError('The transfer targets cannot be shown right now.');
    return;
  }
  const services = await api(`/api/v1/branches/${encodeURIComponent(found.branch.id)}/services`);
  const options = [];
  const serviceGroup = el('optgroup', null, null, { label: 'Service (back to its queue)' });
  for (const service of services.ok ? services.data ?? [] : []) {
    serviceGroup.append(el('option', null, service.name, { value: `service:${service.id}` }));
  }
  options.push(serviceGroup);
  const counterGroup = el('optgroup', null, null, { label: 'Counter' });
  for (const counter of found.counters) {
    if (String(counter.id).toLowerCase() !== counterId.toLowerCase()) {
      counterGroup.append(el('option', null, counterLabel(counter), { value: `counter:${counter.id}` }));
    }
  }
  options.push(counterGroup);
  select.replaceChildren(...options);
  form.hidden = false;
  select.focus();
}

function wireConsole() {
  root.addEventListener('click', (event) => {
    const button = event.target.closest('[data-command]');
    if (!button || button.disabled) {
      return;
    }
    const command = button.dataset.command;
    switch (command) {
      case 'show-transfer':
        showTransfer();
        break;
      case 'hide-transfer':
        role(root, 'transfer-form').hidden = true;
        break;
      case 'resume-ticket':
        act(`resume/${encodeURIComponent(button.dataset.ticketId)}`);
        break;
      default:
        act(command);
        break;
    }
  });
  role(root, 'transfer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const [kind, id] = String(role(root, 'transfer-target').value).split(':');
    if (!id) {
      return;
    }
    role(root, 'transfer-form').hidden = true;
    act('transfer', kind === 'counter' ? { toCounterId: id } : { toServiceId: id });
  });
  // Waiting times grow while nothing changes; recompute them locally every half minute.
  window.setInterval(() => {
    if (state) {
      renderWaiting(Array.isArray(state.waiting) ? state.waiting : []);
    }
  }, 30_000);
}

async function startConsole() {
  wireConsole();
  if (!(await refresh())) {
    return;
  }
  remember(state);
  source = follow(`/api/v1/counters/${encodeURIComponent(counterId)}/events`, 'counter', render, role(root, 'live'));
  window.addEventListener('pagehide', () => source?.close());
}

if (counterId) {
  startConsole();
} else {
  loadPicker();
}
