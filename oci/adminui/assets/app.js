// ocicore admin page. Polls GET /admin?view=data every 2 s with a bearer
// token kept in sessionStorage; every element is built with textContent.
'use strict';
(function () {
  const KEY = 'ocicore-admin-token';
  const POLL_MS = 2000;
  let timer = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, ...children) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const c of children) {
      e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
    }
    return e;
  }

  function show(id, text) {
    const e = $(id);
    e.textContent = text || '';
    e.hidden = !text;
  }

  function fmtInt(n) { return typeof n === 'number' ? n.toLocaleString('en-US') : '—'; }
  function fmtTime(iso) {
    if (!iso || iso.startsWith('0001-')) return '—';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString();
  }

  function signedIn(yes, why) {
    $('login').hidden = yes;
    $('content').hidden = !yes;
    $('logout').hidden = !yes;
    show('login-error', why || '');
  }

  async function getToken(ev) {
    ev.preventDefault();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: 'SALESFORCE_COMMERCE_API:' + $('tenant').value.trim() + ' sfcc.inventory.admin.rw',
    });
    try {
      const r = await fetch('/dwsso/oauth2/access_token', {
        method: 'POST', cache: 'no-store', body,
        headers: { 'Authorization': 'Basic ' + btoa($('client-id').value + ':' + $('client-secret').value) },
      });
      const data = await r.json().catch(() => null);
      if (!r.ok || !data || !data.access_token) {
        show('login-error', 'The token endpoint refused: ' + ((data && (data.error_description || data.error)) || 'HTTP ' + r.status));
        return;
      }
      $('client-secret').value = '';
      useToken(data.access_token);
    } catch (e) {
      show('login-error', e.message || String(e));
    }
  }

  function useToken(t) {
    sessionStorage.setItem(KEY, t);
    refresh();
  }

  function stat(label, value) {
    return el('div', 'stat', el('div', 'v', value), el('div', 'k', label));
  }

  function renderSummary(d) {
    const s = d.stats;
    $('summary').replaceChildren(
      stat('SKUs', fmtInt(s.skus)), stat('Availability records', fmtInt(s.records)),
      stat('Locations', fmtInt(s.locations)), stat('Location groups', fmtInt(s.groups)),
      stat('Open reservations', fmtInt(s.openReservations)),
      stat('Change sequence', fmtInt(s.changeSequence)), stat('Durable sequence', fmtInt(s.durableSequence)),
      stat('Changes not yet durable', fmtInt(d.notYetDurable)), stat('Tenants', (d.tenants || []).join(', ')));
    show('store-error', d.storeError ? 'The store cannot be written: ' + d.storeError : '');
  }

  function renderInvariants(inv) {
    const r = $('inv-result');
    r.textContent = inv.ok ? 'OK: every invariant holds and nothing is overcommitted'
      : inv.violationCount + ' violations, ' + inv.overcommittedCount + ' overcommitted';
    r.className = inv.ok ? 'ok' : 'match-no';
    $('inv-when').textContent = 'checked ' + fmtTime(inv.checkedAt) + ' in ' + inv.tookMs + ' ms';
    const items = [];
    for (const v of inv.violations || []) items.push(el('li', '', v.rule + (v.place ? ' at ' + v.place : '') + (v.sku ? ' sku ' + v.sku : '') + ': ' + v.message));
    for (const o of inv.overcommitted || []) items.push(el('li', '', 'overcommitted sku ' + o.sku + (o.place ? ' at ' + o.place : '') + ': ' + o.message));
    $('inv-list').replaceChildren(...items);
  }

  function chips(ids) { return el('td', '', ...(ids || []).map((id) => el('span', 'chip', id))); }

  function renderGraph(g, changing) {
    $('graph-epoch').textContent = String(g.epoch);
    $('graph-changing').textContent = changing ? ' · a graph change is being applied (imports wait)' : '';
    $('groups').tBodies[0].replaceChildren(...g.groups.map((gr) => el('tr', '', el('td', '', gr.id), chips(gr.locations))));
    $('locations').tBodies[0].replaceChildren(...g.locations.map((l) => el('tr', '',
      el('td', '', l.id), el('td', '', l.type || '—'), el('td', '', l.name || '—'), chips(l.groups),
      el('td', 'num', fmtInt(l.records)))));
  }

  function renderReservations(byState) {
    const rows = Object.keys(byState || {}).sort().map((k) => el('tr', '', el('td', '', k), el('td', 'num', fmtInt(byState[k]))));
    $('reservations').tBodies[0].replaceChildren(...rows);
    $('no-reservations').hidden = rows.length > 0;
  }

  function renderJobs(jobs) {
    $('jobs').tBodies[0].replaceChildren(...jobs.map((j) => el('tr', '',
      el('td', '', fmtTime(j.created)), el('td', '', j.kind), el('td', j.status === 'FAILED' ? 'state-error' : '', j.status),
      el('td', '', j.fileName || (j.places || []).join(', ') || '—'),
      el('td', 'num', fmtInt(j.recordsRead)), el('td', 'num', fmtInt(j.recordsProcessed)),
      el('td', 'num', fmtInt(j.recordsSkipped)), el('td', 'num', fmtInt(j.recordsFailed)),
      el('td', 'num', fmtInt(j.recordsExported)),
      el('td', '', j.result || (j.errors || []).join('; ') || '—'))));
    $('no-jobs').hidden = jobs.length > 0;
  }

  function render(d) {
    renderSummary(d);
    renderInvariants(d.invariants);
    renderGraph(d.graph, d.graphChanging);
    renderReservations(d.stats.reservationsByState);
    renderJobs(d.jobs || []);
  }

  async function refresh(check) {
    clearTimeout(timer);
    const t = sessionStorage.getItem(KEY);
    if (!t) {
      signedIn(false);
      return;
    }
    try {
      const r = await fetch('/admin?view=data' + (check ? '&check=1' : ''), {
        cache: 'no-store', headers: { 'Authorization': 'Bearer ' + t } });
      const d = await r.json().catch(() => null);
      if (r.status === 401 || r.status === 403) {
        sessionStorage.removeItem(KEY);
        signedIn(false, (d && d.message) || 'HTTP ' + r.status);
        return;
      }
      if (!r.ok || !d) throw new Error((d && d.message) || 'HTTP ' + r.status);
      signedIn(true);
      render(d);
      $('conn').textContent = 'updated ' + new Date().toLocaleTimeString();
      $('conn').classList.remove('down');
    } catch (e) {
      $('conn').textContent = 'not updated: ' + (e.message || String(e));
      $('conn').classList.add('down');
    }
    timer = setTimeout(() => refresh(false), POLL_MS);
  }

  function start() {
    $('creds-form').addEventListener('submit', getToken);
    $('token-form').addEventListener('submit', (ev) => { ev.preventDefault(); useToken($('token').value.trim()); $('token').value = ''; });
    $('inv-check').addEventListener('click', () => refresh(true));
    $('logout').addEventListener('click', () => { sessionStorage.removeItem(KEY); clearTimeout(timer); signedIn(false); });
    refresh(false);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
