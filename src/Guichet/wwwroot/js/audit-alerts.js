// Security auditors' alerts page: follows /audit/alerts/events (Server-Sent Events) and lists
// each new alert at the top of the "Just raised" table. Alerts carry ids and ledger sequence
// numbers only; everything is inserted as text.
const table = document.querySelector('#live-alerts tbody');
const status = document.getElementById('alerts-live');

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
}

function show(alert) {
  const row = document.createElement('tr');
  row.dataset.alert = String(alert.alertId ?? '').replaceAll('-', '');
  cell(row, String(alert.raisedAt ?? '').replace('T', ' ').slice(0, 19));
  cell(row, alert.rule ?? '');
  cell(row, alert.severity ?? '');
  cell(row, `${alert.actorKind ?? ''} ${alert.actorId ?? ''}`);
  cell(row, alert.response ?? '');
  const evidence = Array.isArray(alert.evidence) ? alert.evidence : [];
  cell(row, evidence.slice(-10).join(', ') + (evidence.length > 10 ? ' …' : ''));
  table.prepend(row);
}

if (table && 'EventSource' in window) {
  const source = new EventSource('/audit/alerts/events');
  source.addEventListener('open', () => { status.textContent = 'Live.'; status.dataset.state = 'live'; });
  source.addEventListener('error', () => { status.textContent = 'Reconnecting…'; status.dataset.state = 'reconnecting'; });
  source.addEventListener('alert', (event) => {
    try {
      show(JSON.parse(event.data));
    } catch {
      // A malformed event is skipped; the next reload lists every alert anyway.
    }
  });
}
