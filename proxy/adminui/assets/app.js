// ociedge OCI Integration page. It polls GET /admin/api/oci/status every
// 2 s and builds every element with createElement and textContent: nothing
// from the API is ever parsed as HTML.
'use strict';
(function () {
  const API = '/admin/api/oci/';
  const POLL_MS = 2000;
  const LABELS = {
    COMMERCE_PLATFORM: 'Commerce Platform Inventory',
    OCI_CACHE_ENABLED: 'OCI Cache Enabled',
    OMNICHANNEL_INVENTORY: 'Omnichannel Inventory',
  };
  let timer = null;
  let busy = false;

  function $(id) { return document.getElementById(id); }

  // el builds an element; children are nodes or strings (text nodes).
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

  // api calls the admin API with the session cookie and the header that
  // proves the call comes from this page (not a cross-site form).
  async function api(method, path, body) {
    const opt = { method, credentials: 'same-origin', cache: 'no-store',
      headers: { 'X-OCIEdge-Admin': '1', 'Accept': 'application/json' } };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(API + path, opt);
    if (r.status === 401) {
      location.assign('/admin/oci');
      throw new Error('the session ended; log in again');
    }
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { status: r.status, ok: r.ok, data };
  }

  function problem(r) {
    if (r.data && r.data.detail) return r.data.detail;
    if (r.data && r.data.title) return r.data.title;
    return 'HTTP ' + r.status;
  }

  function fmtInt(n) { return typeof n === 'number' ? n.toLocaleString('en-US') : '—'; }

  function fmtMs(ms) {
    if (typeof ms !== 'number' || ms < 0) return '—';
    if (ms < 1000) return ms + ' ms';
    if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
    return Math.round(ms / 60000) + ' min';
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    const ago = Math.max(0, Date.now() - d.getTime());
    return d.toLocaleString() + ' (' + fmtMs(ago) + ' ago)';
  }

  function setConn(ok, text) {
    const c = $('conn');
    c.textContent = ok ? 'updated ' + new Date().toLocaleTimeString() : 'not updated: ' + text;
    c.classList.toggle('down', !ok);
  }

  function renderMode(st) {
    const m = $('mode');
    m.textContent = st.modeLabel || LABELS[st.mode] || st.mode;
    m.dataset.mode = st.mode;
    $('mode-since').textContent = st.modeSince ? 'since ' + new Date(st.modeSince).toLocaleString() : '';
    for (const b of document.querySelectorAll('.mode-btn')) {
      const cur = b.dataset.mode === st.mode;
      b.classList.toggle('current', cur);
      b.setAttribute('aria-pressed', cur ? 'true' : 'false');
      b.disabled = cur || busy;
    }
  }

  function renderWarnings(ws) {
    const ul = $('warnings');
    ul.replaceChildren(...(ws || []).map((w) => el('li', '', w)));
    $('no-warnings').hidden = (ws || []).length > 0;
  }

  function stateClass(s) {
    if (!s) return '';
    if (s.startsWith('error')) return 'state-error';
    return s === 'streaming' ? 'state-streaming' : '';
  }

  function renderLists(lists) {
    const rows = (lists || []).map((l) => {
      const tr = el('tr', '',
        el('td', '', l.id),
        el('td', '', l.locationType),
        el('td', 'num', fmtInt(l.itemsCached)),
        el('td', '', fmtTime(l.lastCacheUpdate)),
        el('td', '', l.stream || '—'),
        el('td', stateClass(l.state), l.state || '—'),
        el('td', 'num', fmtMs(l.lagMs)),
        el('td', 'num', l.imported ? fmtInt(l.importRecords) + ' in ' + fmtMs(l.importDurationMs) : '—'));
      tr.dataset.list = l.id;
      return tr;
    });
    $('cache-status').tBodies[0].replaceChildren(...rows);
  }

  function renderReservations(st) {
    $('circuit').textContent = st.circuit || '—';
    const o = st.openReservations || { orders: {}, baskets: {} };
    const systems = new Set([...Object.keys(o.orders || {}), ...Object.keys(o.baskets || {}), 'B2C', 'OCI']);
    const rows = [...systems].sort().map((s) => el('tr', '',
      el('td', '', s === 'OCI' ? 'Omnichannel Inventory (core)' : s === 'B2C' ? 'Commerce Platform (edge)' : s),
      el('td', 'num', fmtInt((o.orders || {})[s] || 0)),
      el('td', 'num', fmtInt((o.baskets || {})[s] || 0))));
    $('open-reservations').tBodies[0].replaceChildren(...rows);
  }

  function checkKey(step) { return 'ociedge-checklist-' + step; }

  function renderChecklist(items) {
    const lis = (items || []).map((it) => {
      const box = el('input');
      box.type = 'checkbox';
      box.dataset.step = it.step;
      if (it.auto) {
        box.checked = !!it.done;
        box.disabled = true;
      } else {
        box.checked = localStorage.getItem(checkKey(it.step)) === '1';
        box.addEventListener('change', () => localStorage.setItem(checkKey(it.step), box.checked ? '1' : '0'));
      }
      const label = el('label', '', box, ' ' + it.step + '. ', it.text);
      if (it.auto) label.append(el('span', 'badge', 'auto'));
      const li = el('li', it.done ? 'done' : '', label);
      if (it.detail) li.append(el('span', 'detail', it.detail));
      li.dataset.step = it.step;
      li.dataset.done = it.done ? 'true' : 'false';
      return li;
    });
    $('checklist').replaceChildren(...lis);
  }

  function render(st) {
    renderMode(st);
    renderWarnings(st.warnings);
    $('streams').textContent = st.streamsRunning ? 'running' : 'not running';
    renderLists(st.lists);
    renderReservations(st);
    renderChecklist(st.checklist);
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const r = await api('GET', 'status');
      if (r.ok && r.data) {
        render(r.data);
        setConn(true);
      } else {
        setConn(false, problem(r));
      }
    } catch (e) {
      setConn(false, e.message || String(e));
    }
    timer = setTimeout(refresh, POLL_MS);
  }

  async function switchMode(mode) {
    busy = true;
    show('mode-error', '');
    show('mode-ok', '');
    for (const b of document.querySelectorAll('.mode-btn')) b.disabled = true;
    try {
      const r = await api('POST', 'mode', { mode, force: $('force').checked });
      if (r.ok && r.data) {
        show('mode-ok', 'Switched to ' + (LABELS[r.data.mode] || r.data.mode) + '.');
        $('force').checked = false;
        busy = false;
        render(r.data);
      } else {
        show('mode-error', 'The switch to ' + (LABELS[mode] || mode) + ' was refused: ' + problem(r));
      }
    } catch (e) {
      show('mode-error', 'The switch failed: ' + (e.message || String(e)));
    } finally {
      busy = false;
      refresh();
    }
  }

  function cell(v) { return v === undefined || v === null ? '—' : String(v); }

  function compareRow(c) {
    const o = c.oci || null;
    const a = c.ociAsB2C || null;
    const i = c.internal || null;
    const fut = o ? (o.Futures ? cell(o.Futures) + (o.EarliestFuture ? ' by ' + new Date(o.EarliestFuture).toLocaleDateString() : '') : '0') : '—';
    const match = c.match === true ? 'yes' : c.match === false ? 'NO' : '—';
    const tr = el('tr', '',
      el('td', '', c.list), el('td', '', c.cache),
      el('td', 'num', o ? cell(o.OnHand) : '—'), el('td', 'num', o ? cell(o.Reserved) : '—'),
      el('td', 'num', o ? cell(o.SafetyStock) : '—'), el('td', 'num', o ? cell(o.ATF) : '—'),
      el('td', 'num', o ? cell(o.ATO) : '—'), el('td', 'num', fut),
      el('td', '', o && o.EffectiveDate ? new Date(o.EffectiveDate).toLocaleString() : '—'),
      el('td', 'num', a ? cell(a.ats) : '—'), el('td', 'num', a ? cell(a.stockLevel) : '—'),
      el('td', 'num', i ? cell(i.allocation) : '—'), el('td', 'num', i ? cell(i.ats) : '—'),
      el('td', 'num', i ? cell(i.stockLevel) : '—'),
      el('td', c.match === true ? 'match-yes' : c.match === false ? 'match-no' : '', match));
    tr.dataset.list = c.list;
    return tr;
  }

  async function compare(ev) {
    ev.preventDefault();
    const sku = $('compare-sku').value.trim();
    show('compare-error', '');
    if (!sku) return;
    try {
      const r = await api('GET', 'compare?sku=' + encodeURIComponent(sku));
      if (!r.ok || !r.data) {
        show('compare-error', problem(r));
        return;
      }
      $('compare-title').textContent = 'Product ' + r.data.sku + ':';
      $('compare').tBodies[0].replaceChildren(...(r.data.lists || []).map(compareRow));
      $('compare').hidden = false;
    } catch (e) {
      show('compare-error', e.message || String(e));
    }
  }

  function start() {
    for (const b of document.querySelectorAll('.mode-btn')) {
      b.addEventListener('click', () => switchMode(b.dataset.mode));
    }
    $('compare-form').addEventListener('submit', compare);
    refresh();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
