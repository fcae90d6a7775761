// Ticket tracker: the customer's own view of one ticket, reached by its unguessable link.
// It shows the public view only (number, service, state, place, estimate, window).
import { api, countText, follow, role, statusKey, waitText } from './hall-common.js';

const root = document.getElementById('tracker');
const token = root.dataset.token ?? '';
const finished = new Set(['done', 'completed', 'served', 'noshow', 'cancelled', 'canceled']);
let source = null;

function windowText(ticket) {
  if (ticket.windowNumber !== undefined && ticket.windowNumber !== null) {
    return `window ${ticket.windowNumber}`;
  }
  return ticket.counterName ? String(ticket.counterName) : 'the counter';
}

function stateText(ticket) {
  switch (statusKey(ticket.status)) {
    case 'waiting':
      return ticket.peopleAhead === 0 ? 'You are next.' : 'Waiting for your turn.';
    case 'called':
      return `It's your turn: please go to ${windowText(ticket)}.`;
    case 'serving':
      return `Being served at ${windowText(ticket)}.`;
    case 'done':
    case 'completed':
    case 'served':
      return 'Served. Thank you for your visit.';
    case 'noshow':
      return 'Your ticket was called but you were not there. Please ask at the reception.';
    case 'transferred':
      return 'Your ticket was transferred. Please keep waiting; you keep your place.';
    case 'suspended':
      return 'Your ticket is on hold at the counter. You will be called back.';
    case 'cancelled':
    case 'canceled':
      return 'This ticket was cancelled.';
    default:
      return String(ticket.status ?? '');
  }
}

function render(ticket) {
  const key = statusKey(ticket.status);
  role(root, 'service').textContent = ticket.serviceName ?? '';
  role(root, 'number').textContent = ticket.number ?? '';
  const state = role(root, 'state');
  state.textContent = stateText(ticket);
  root.dataset.status = key;
  const waiting = key === 'waiting' || key === 'transferred';
  role(root, 'facts').hidden = !waiting;
  role(root, 'ahead').textContent = countText(ticket.peopleAhead, ticket.peopleAheadAtLeast);
  role(root, 'wait').textContent = waitText(ticket.estimatedWaitMinutes, ticket.peopleAheadAtLeast);
  document.title = `${ticket.number} · ${state.textContent}`;
  if (finished.has(key) && source) {
    source.close();
    source = null;
    role(root, 'live').textContent = '';
  }
}

async function start() {
  const path = `/api/v1/tickets/${encodeURIComponent(token)}`;
  const result = await api(path);
  if (!result.ok) {
    role(root, 'state').textContent = result.status === 404
      ? 'This ticket link is not valid, or the ticket is from an earlier day.'
      : 'Your ticket cannot be shown right now. Please reload the page in a moment.';
    root.dataset.status = 'unknown';
    return;
  }
  render(result.data);
  if (!finished.has(statusKey(result.data.status))) {
    source = follow(`${path}/events`, 'ticket', render, role(root, 'live'));
  }
}

start();
