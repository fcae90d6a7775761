// Kiosk and online ticket page: choose a service, optionally leave a phone number where
// the service collects one, and get a ticket with its tracker QR code.
import { api, countText, el, problemText, role, showStep, waitText } from './hall-common.js';

const root = document.getElementById('kiosk');
const branchId = root.dataset.branchId;
const channel = root.dataset.channel === 'online' ? 'online' : 'kiosk';
const status = role(root, 'status');
// A kiosk returns to its first screen by itself so the next customer starts clean.
const kioskResetMs = 60_000;
let resetTimer = 0;
let chosenService = null;
let branchName = '';
let busy = false;

function setStatus(text) {
  status.textContent = text ?? '';
}

function scheduleReset() {
  window.clearTimeout(resetTimer);
  if (channel === 'kiosk') {
    resetTimer = window.setTimeout(() => loadServices(), kioskResetMs);
  }
}

function showProblem(title, detail) {
  role(root, 'problem-title').textContent = title;
  role(root, 'problem-detail').textContent = detail;
  showStep(root, 'problem');
  scheduleReset();
}

async function loadBranches() {
  setStatus('Loading…');
  const result = await api('/api/v1/branches');
  setStatus('');
  if (!result.ok) {
    showProblem('Sorry', problemText(result.problem, 'The branches cannot be shown right now.'));
    return;
  }
  const branches = Array.isArray(result.data) ? result.data : [];
  const base = channel === 'online' ? '/online/' : '/kiosk/';
  if (branches.length === 1) {
    window.location.replace(base + encodeURIComponent(branches[0].id));
    return;
  }
  const list = role(root, 'branches');
  list.replaceChildren(...branches.map((branch) => {
    const link = el('a', 'btn btn-outline-primary btn-touch kiosk-choice', null, { href: base + encodeURIComponent(branch.id) });
    link.append(el('span', 'kiosk-choice-name', branch.name));
    if (branch.isOpenNow === false) {
      link.append(el('span', 'kiosk-choice-note', 'Closed now'));
    }
    return link;
  }));
  if (branches.length === 0) {
    list.append(el('p', 'kiosk-problem-detail', 'No branch is set up yet.'));
  }
  showStep(root, 'branches');
}

async function loadBranchName() {
  const result = await api('/api/v1/branches');
  if (result.ok && Array.isArray(result.data)) {
    const branch = result.data.find((b) => String(b.id).toLowerCase() === branchId.toLowerCase());
    if (branch) {
      branchName = branch.name;
      role(root, 'branch-name').textContent = branch.name;
    }
  }
}

function serviceButton(service) {
  const open = service.isOpenNow !== false;
  const button = el('button', 'btn btn-touch kiosk-choice kiosk-service ' + (open ? 'btn-primary' : 'btn-outline-secondary'), null, {
    type: 'button',
    'data-service-id': service.id,
    disabled: !open,
    'aria-disabled': open ? null : 'true',
  });
  if (service.prefix) {
    button.append(el('span', 'kiosk-service-prefix', service.prefix));
  }
  button.append(el('span', 'kiosk-choice-name', service.name));
  if (open) {
    const waiting = countText(service.waiting, service.waitingAtLeast);
    button.append(el('span', 'kiosk-choice-note', `${waiting} waiting · ${waitText(service.estimatedWaitMinutes, service.waitingAtLeast)}`));
  } else {
    button.append(el('span', 'kiosk-choice-note kiosk-closed', 'Closed at this time'));
  }
  button.addEventListener('click', () => chooseService(service));
  return button;
}

function clearTicket() {
  // The next customer must not find the previous ticket in the page.
  for (const name of ['ticket-service', 'ticket-number', 'ticket-ahead', 'ticket-wait', 'ticket-issued']) {
    role(root, name).textContent = '';
  }
  role(root, 'ticket-qr').removeAttribute('src');
  role(root, 'ticket-tracker').removeAttribute('href');
}

async function loadServices() {
  window.clearTimeout(resetTimer);
  chosenService = null;
  clearTicket();
  setStatus('Loading…');
  const result = await api(`/api/v1/branches/${encodeURIComponent(branchId)}/services`);
  setStatus('');
  if (!result.ok) {
    showProblem('Sorry', problemText(result.problem, 'The services cannot be shown right now.'));
    return;
  }
  const services = Array.isArray(result.data) ? result.data : [];
  const list = role(root, 'services');
  list.replaceChildren(...services.map(serviceButton));
  if (services.length === 0) {
    list.append(el('p', 'kiosk-problem-detail', 'No service is offered here.'));
  }
  showStep(root, 'services');
}

function chooseService(service) {
  if (busy) {
    return;
  }
  chosenService = service;
  if (service.collectsPhone) {
    role(root, 'phone-service').textContent = service.name;
    role(root, 'phone-purpose').textContent = service.phonePurpose
      ? `Why we ask: ${service.phonePurpose}`
      : '';
    const input = root.querySelector('#kiosk-phone');
    input.value = '';
    role(root, 'phone-error').hidden = true;
    showStep(root, 'phone');
    input.focus();
    scheduleReset();
    return;
  }
  takeTicket(null);
}

async function takeTicket(phone) {
  if (busy || !chosenService) {
    return;
  }
  busy = true;
  setStatus('Printing your ticket…');
  const result = await api(`/api/v1/branches/${encodeURIComponent(branchId)}/tickets`, {
    method: 'POST',
    body: { serviceId: chosenService.id, channel, phone },
  });
  busy = false;
  setStatus('');
  if (result.ok && result.data) {
    showTicket(result.data);
    return;
  }
  if (result.status === 400 && phone) {
    // A phone number the server refuses: say why and let the customer fix it or skip it.
    const error = role(root, 'phone-error');
    error.textContent = problemText(result.problem, 'This number cannot be used.');
    error.hidden = false;
    root.querySelector('#kiosk-phone').focus();
    return;
  }
  const title = result.status === 429 ? 'Please wait a moment' : 'No ticket issued';
  showProblem(title, problemText(result.problem, 'The ticket could not be issued. Please ask at the reception.'));
}

function showTicket(ticket) {
  role(root, 'ticket-branch').textContent = branchName;
  role(root, 'ticket-service').textContent = ticket.serviceName ?? chosenService?.name ?? '';
  role(root, 'ticket-number').textContent = ticket.number;
  role(root, 'ticket-ahead').textContent = countText(ticket.peopleAhead, ticket.peopleAheadAtLeast);
  role(root, 'ticket-wait').textContent = waitText(ticket.estimatedWaitMinutes, ticket.peopleAheadAtLeast);
  const issued = ticket.issuedAt ? new Date(ticket.issuedAt) : null;
  role(root, 'ticket-issued').textContent = issued && !Number.isNaN(issued.getTime()) ? issued.toLocaleString() : '';
  const token = encodeURIComponent(ticket.trackerToken);
  role(root, 'ticket-qr').src = `/t/${token}/qr.png`;
  const tracker = role(root, 'ticket-tracker');
  tracker.href = `/t/${token}`;
  showStep(root, 'ticket');
  scheduleReset();
}

root.addEventListener('click', (event) => {
  const action = event.target.closest('[data-action]')?.dataset.action;
  switch (action) {
    case 'back':
    case 'done':
      loadServices();
      break;
    case 'without-phone':
      takeTicket(null);
      break;
    case 'print':
      window.print();
      break;
    default:
      break;
  }
});

role(root, 'phone-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = root.querySelector('#kiosk-phone').value.trim();
  takeTicket(value === '' ? null : value);
});

if (branchId) {
  loadBranchName();
  loadServices();
} else {
  loadBranches();
}
