// Display board: the branch's last calls (number → window), the newest highlighted, each
// new call chimed and spoken once sound is on.
import { Announcer } from './announcer.js';
import { api, el, follow, role, showStep } from './hall-common.js';

const root = document.getElementById('display');
const branchId = root.dataset.branchId;
const maxCalls = 10;
const announcer = new Announcer();
let calls = [];

function callKey(call) {
  return `${call.number}|${call.calledAt}|${call.windowNumber}`;
}

function windowLabel(call) {
  return call.windowNumber !== undefined && call.windowNumber !== null ? String(call.windowNumber) : String(call.counterName ?? '');
}

function render() {
  const list = role(root, 'calls');
  list.replaceChildren(...calls.map((call, index) => {
    const item = el('li', 'display-call' + (index === 0 ? ' is-newest' : ''), null, { 'data-number': call.number });
    item.append(el('span', 'display-call-number', call.number));
    item.append(el('span', 'display-call-arrow', '→', { 'aria-hidden': 'true' }));
    item.append(el('span', 'display-call-window', windowLabel(call)));
    if (call.maskedName) {
      item.append(el('span', 'display-call-name', call.maskedName));
    }
    if (call.isRecall) {
      item.append(el('span', 'display-call-recall', 'again'));
    }
    return item;
  }));
  role(root, 'empty').hidden = calls.length > 0;
}

function spoken(call) {
  return call.windowNumber !== undefined && call.windowNumber !== null
    ? `${call.number}, window ${call.windowNumber}`
    : `${call.number}, ${call.counterName ?? ''}`;
}

function onCall(call) {
  const key = callKey(call);
  calls = [call, ...calls.filter((c) => callKey(c) !== key)].slice(0, maxCalls);
  render();
  announcer.announce(spoken(call));
}

async function loadBranches() {
  const result = await api('/api/v1/branches');
  const branches = result.ok && Array.isArray(result.data) ? result.data : [];
  if (branches.length === 1) {
    window.location.replace('/display/' + encodeURIComponent(branches[0].id));
    return;
  }
  role(root, 'branches').replaceChildren(...branches.map((branch) =>
    el('a', 'btn btn-outline-light btn-touch kiosk-choice', branch.name, { href: '/display/' + encodeURIComponent(branch.id) })));
  showStep(root, 'branches');
}

function loaded() {
  return document.readyState === 'complete'
    ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
}

async function start() {
  // A stream opened while the page is still loading can hold its load event open.
  await loaded();
  const base = `/api/v1/branches/${encodeURIComponent(branchId)}/display`;
  // Follow first, then read the recent calls, so that no call falls between the two.
  const live = [];
  let ready = false;
  follow(`${base}/events`, 'call', (call) => (ready ? onCall(call) : live.push(call)), role(root, 'live'));
  const result = await api(base);
  if (!result.ok) {
    role(root, 'branch-name').textContent = result.status === 404 ? 'Unknown branch' : 'Display unavailable';
    return;
  }
  role(root, 'branch-name').textContent = result.data.branchName ?? 'Now calling';
  calls = Array.isArray(result.data.recentCalls) ? result.data.recentCalls.slice(0, maxCalls) : [];
  render();
  showStep(root, 'board');
  soundButton.hidden = announcer.enabled;
  ready = true;
  const known = new Set(calls.map(callKey));
  for (const call of live) {
    if (!known.has(callKey(call))) {
      onCall(call);
    }
  }
}

const soundButton = root.querySelector('[data-action="start-sound"]');
soundButton.addEventListener('click', async () => {
  await announcer.enable();
  soundButton.hidden = true;
  role(root, 'sound-on').hidden = false;
});

if (branchId) {
  start();
} else {
  loadBranches();
}
