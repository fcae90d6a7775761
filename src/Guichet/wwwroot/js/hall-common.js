// Shared helpers of the hall pages (kiosk, tracker, display board, counter console).
// Every text that comes from the server is put on the page with textContent, never as
// HTML: service names, numbers and problem details are data, not markup.

/** Creates an element with a class and text (set as textContent), plus plain attributes. */
export function el(tag, className, text, attributes) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (attributes) {
    for (const [name, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
  }
  return node;
}

/** The element with data-role="name" inside root. */
export function role(root, name) {
  return root.querySelector(`[data-role="${name}"]`);
}

/** Shows the section data-step="name" of root and hides its siblings. */
export function showStep(root, name) {
  for (const section of root.querySelectorAll('[data-step]')) {
    section.hidden = section.dataset.step !== name;
  }
}

function antiforgery() {
  const meta = document.querySelector('meta[name="guichet-antiforgery"]');
  const token = meta?.getAttribute('content');
  const header = meta?.dataset.header;
  return token && header ? { header, token } : null;
}

/**
 * Calls the HTTP API. Resolves to { ok, status, data, problem } and never throws for an
 * HTTP error: callers show problem details to people. Cookies go along (same origin) so
 * staff endpoints see the signed-in user; writes carry the antiforgery token when the page
 * provides one.
 */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') {
    const token = antiforgery();
    if (token) {
      headers[token.header] = token.token;
    }
  }

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: null, problem: { title: 'No connection', detail: 'The service cannot be reached. Please try again in a moment.' } };
  }

  let payload = null;
  const type = response.headers.get('Content-Type') ?? '';
  if (response.redirected && !type.includes('json')) {
    // Cookie sign-in sends signed-out callers to the sign-in page; for an API call that
    // means "not signed in".
    return { ok: false, status: 401, data: null, problem: { title: 'Sign in required' } };
  }
  if (type.includes('json')) {
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
  }
  if (response.ok) {
    return { ok: true, status: response.status, data: payload, problem: null };
  }
  return { ok: false, status: response.status, data: null, problem: payload ?? { title: response.statusText } };
}

/** A sentence for people from a problem+json answer. */
export function problemText(problem, fallback) {
  if (!problem) {
    return fallback;
  }
  if (typeof problem.detail === 'string' && problem.detail.trim()) {
    return problem.detail;
  }
  if (problem.errors && typeof problem.errors === 'object') {
    const messages = Object.values(problem.errors).flat().filter((m) => typeof m === 'string');
    if (messages.length > 0) {
      return messages.join(' ');
    }
  }
  if (typeof problem.title === 'string' && problem.title.trim()) {
    return problem.title;
  }
  return fallback;
}

/**
 * "about 12 min", "less than a minute", or "—" when unknown; "at least 3 h" when the estimate
 * is a floor (the queue is longer than the hall counts, see countText).
 */
export function waitText(minutes, atLeast = false) {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
    return '—';
  }
  if (minutes < 1 && !atLeast) {
    return 'less than a minute';
  }
  const rounded = Math.max(1, Math.round(minutes));
  const prefix = atLeast ? 'at least' : 'about';
  if (rounded < 60) {
    return `${prefix} ${rounded} min`;
  }
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  return rest === 0 ? `${prefix} ${hours} h` : `${prefix} ${hours} h ${rest} min`;
}

/** A count of waiting people: "12", or "1000 or more" where the hall stopped counting. */
export function countText(count, atLeast = false) {
  const value = typeof count === 'number' && Number.isFinite(count) ? count : 0;
  return atLeast ? `${value} or more` : String(value);
}

/** Ticket status in one canonical lower-case spelling: "noshow", "called", ... */
export function statusKey(status) {
  return String(status ?? '').toLowerCase().replace(/[^a-z]/g, '');
}

/** True for priority tickets, whatever shape the API gives the priority in. */
export function isPriority(priority) {
  if (priority === null || priority === undefined) {
    return false;
  }
  if (typeof priority === 'object') {
    return isPriority(priority.level ?? priority.kind ?? priority.value);
  }
  const key = String(priority).toLowerCase();
  return key !== '' && key !== 'normal' && key !== '0' && key !== 'none';
}

/** The reason of a priority ticket ("elderly", ...), if the API gives one. */
export function priorityText(priority) {
  if (!isPriority(priority)) {
    return '';
  }
  if (typeof priority === 'object') {
    return priority.reason ? `Priority (${priority.reason})` : 'Priority';
  }
  const key = String(priority);
  return key.toLowerCase() === 'priority' ? 'Priority' : `Priority (${key})`;
}

/**
 * Follows a Server-Sent Events stream. EventSource reconnects by itself after a network
 * drop; the status element tells people whether the screen is live. Returns the source.
 */
export function follow(url, eventName, onData, statusElement) {
  const source = new EventSource(url);
  const setStatus = (text, live) => {
    if (statusElement) {
      statusElement.textContent = text;
      statusElement.classList.toggle('is-live', live);
      statusElement.classList.toggle('is-offline', !live);
    }
  };
  source.addEventListener('open', () => setStatus('Live', true));
  source.addEventListener('error', () => {
    setStatus(source.readyState === EventSource.CLOSED ? 'Not updating — reload the page' : 'Reconnecting…', false);
  });
  source.addEventListener(eventName, (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    onData(data);
  });
  return source;
}

/** Replaces all children of a node. */
export function replaceChildren(node, children) {
  node.replaceChildren(...children);
}
