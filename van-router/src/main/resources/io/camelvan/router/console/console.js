// Camel VAN network console: reads the admin API of the router that serves it and draws the
// network. Read only; no library, no external asset. Every value from the API is written as text.
'use strict';

(function () {
  const NETWORK_EVERY_MS = 2000;
  const FLOWS_EVERY_MS = 4000;
  const SVG = 'http://www.w3.org/2000/svg';
  // the routing protocol and this console's own polling keep a few hundred bytes a second on every link
  const BUSY_BYTES_PER_SECOND = 10 * 1024;
  const previousBytes = new Map(); // link key -> {bytes, at}
  const seenFlows = new Set();
  let token = sessionStorage.getItem('van-admin-token');

  // a token given as #token=... is kept for the session and taken out of the address bar
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    token = decodeURIComponent(fromHash[1]);
    sessionStorage.setItem('van-admin-token', token);
    history.replaceState(null, '', location.pathname + location.search);
  }

  const $ = (id) => document.getElementById(id);

  async function api(path) {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    const response = await fetch(path, { headers, cache: 'no-store' });
    if (response.status === 401) {
      $('token-form').hidden = false;
      throw new Error('the admin port wants its token');
    }
    const body = await response.json();
    if (!response.ok) {
      throw new Error(response.status + ' ' + (body.description || response.statusText));
    }
    return body;
  }

  function setState(text, ok) {
    const state = $('state');
    state.textContent = text;
    state.className = 'state ' + (ok ? 'ok' : 'error');
  }

  function el(name, attributes, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined || text === '' ? '–' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function bytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = Number(n) || 0;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return (u === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
  }

  function duration(seconds) {
    const s = Number(seconds) || 0;
    if (s >= 86400) return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
    if (s >= 3600) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
    return s >= 60 ? Math.floor(s / 60) + 'm ' + (s % 60) + 's' : s + 's';
  }

  function places(list, detail) {
    if (!list || list.length === 0) return '';
    return list.map((p) => p.site + '/' + p.router + (p[detail] !== null && p[detail] !== undefined ? ' (' + p[detail] + ')' : ''))
      .join(', ');
  }

  /** Listeners or connectors: where, which port, and whether they can reach the other side (false: cannot). */
  function endpoints(list) {
    if (!list || list.length === 0) return '';
    return list.map((p) => p.site + '/' + p.router + ' (' + p.name + ' ' + p.host + ':' + p.port
      + (p.reachable === false ? ', unreachable' : '') + ')').join(', ');
  }

  // ----- the graph: sites on an ellipse, each site's routers around its centre

  function layout(network) {
    const sites = network.sites;
    const positions = new Map();
    const boxes = [];
    const cx = 400, cy = 260;
    const rx = sites.length > 1 ? 270 : 0, ry = sites.length > 1 ? 170 : 0;
    sites.forEach((site, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / sites.length;
      const sx = cx + rx * Math.cos(angle);
      const sy = cy + ry * Math.sin(angle);
      const n = site.routers.length;
      const r = n > 1 ? 36 : 0;
      site.routers.forEach((id, j) => {
        const a = -Math.PI / 2 + (2 * Math.PI * j) / n;
        positions.set(id, { x: sx + r * Math.cos(a), y: sy + 8 + r * Math.sin(a) });
      });
      const w = n > 1 ? 170 : 130, h = n > 1 ? 140 : 96;
      boxes.push({ site: site.name, x: sx - w / 2, y: sy - h / 2, w, h });
    });
    return { positions, boxes };
  }

  function drawGraph(network) {
    const svg = $('graph');
    const { positions, boxes } = layout(network);
    const now = Date.now();
    const routersById = new Map(network.routers.map((r) => [r.id, r]));
    svg.replaceChildren();

    boxes.forEach((b) => {
      const g = el('g', { class: 'site', 'data-site': b.site });
      g.appendChild(el('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: 10 }));
      g.appendChild(el('text', { class: 'site-name', x: b.x + 10, y: b.y + 20 }, b.site));
      svg.appendChild(g);
    });

    network.links.forEach((link) => {
      const a = positions.get(link.from), b = positions.get(link.to);
      if (!a || !b) return;
      const key = link.from + '|' + link.to;
      const before = previousBytes.get(key);
      const rate = before && now > before.at ? Math.max(0, (link.bytes - before.bytes) * 1000 / (now - before.at)) : 0;
      previousBytes.set(key, { bytes: link.bytes, at: now });
      const g = el('g', { class: 'link ' + link.kind + (rate > BUSY_BYTES_PER_SECOND ? ' busy' : ''), 'data-link': key });
      g.appendChild(el('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y }));
      g.appendChild(el('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 6, 'text-anchor': 'middle' },
        'cost ' + link.cost + ' · ' + bytes(rate) + '/s'));
      svg.appendChild(g);
    });

    positions.forEach((p, id) => {
      const r = routersById.get(id) || {};
      const g = el('g', { class: 'router' + (r.mode === 'edge' ? ' edge' : '') + (r.answered ? '' : ' silent'),
        'data-router': id });
      g.appendChild(el('circle', { cx: p.x, cy: p.y, r: 11 }));
      g.appendChild(el('text', { x: p.x, y: p.y + 26, 'text-anchor': 'middle' }, id));
      const title = el('title', {}, id + ' (' + (r.mode || '?') + ')' + (r.answered ? '' : ': not answering — ' + (r.error || '')));
      g.appendChild(title);
      svg.appendChild(g);
    });

    $('summary').textContent = '— ' + network.sites.length + ' sites, ' + network.routers.length + ' routers, '
      + network.links.length + ' links, ' + network.services.length + ' services';
  }

  // ----- tables

  function drawServices(network) {
    const body = $('services').tBodies[0];
    body.replaceChildren();
    network.services.forEach((s) => {
      const row = body.insertRow();
      row.dataset.service = s.address;
      cell(row, s.address);
      cell(row, s.distribution);
      cell(row, places(s.consumers, 'count'));
      cell(row, places(s.producers, 'count'));
      cell(row, endpoints(s.listeners));
      cell(row, endpoints(s.connectors));
    });
  }

  function drawRouters(network) {
    const body = $('routers').tBodies[0];
    body.replaceChildren();
    network.routers.forEach((r) => {
      const status = r.status || {};
      const row = body.insertRow();
      row.dataset.router = r.id;
      cell(row, r.site);
      cell(row, r.id);
      cell(row, r.mode);
      cell(row, r.cost);
      cell(row, status.version);
      cell(row, r.answered ? duration(status.uptimeSeconds) : 'not answering', r.answered ? '' : 'failed');
      cell(row, (status.links || []).map((l) => l.name + ' ' + l.state + ' (cost ' + l.cost + ')').join(', '));
    });
  }

  function drawFlows(reply) {
    const body = $('flows').tBodies[0];
    body.replaceChildren();
    if (reply.flows.length === 0) {
      const row = body.insertRow();
      const td = cell(row, 'No TCP flow or HTTP request yet: they appear here as the listeners carry them.', 'muted');
      td.colSpan = 9;
    }
    reply.flows.forEach((f) => {
      const row = body.insertRow();
      if (!seenFlows.has(f.id)) row.className = 'fresh';
      seenFlows.add(f.id);
      cell(row, new Date(f.startMs).toLocaleTimeString());
      cell(row, f.protocol);
      cell(row, f.routingKey);
      cell(row, f.sourceSite + '/' + f.listener);
      cell(row, f.destinationSite ? f.destinationSite + '/' + (f.connector || f.destinationRouter) : '');
      cell(row, f.durationMs + ' ms');
      cell(row, bytes(f.bytesFromClient));
      cell(row, bytes(f.bytesFromServer));
      cell(row, f.outcome + (f.httpStatus ? ' ' + f.httpStatus : ''), f.outcome === 'completed' ? 'completed' : 'failed');
    });
  }

  // ----- polling

  async function refreshNetwork() {
    try {
      const network = await api('api/network');
      drawGraph(network);
      drawServices(network);
      drawRouters(network);
      setState('router ' + network.router + ' · updated ' + new Date().toLocaleTimeString(), true);
    } catch (e) {
      setState(e.message, false);
    } finally {
      setTimeout(refreshNetwork, NETWORK_EVERY_MS);
    }
  }

  async function refreshFlows() {
    try {
      drawFlows(await api('api/networkFlow?limit=25'));
    } catch (e) {
      // the network poll reports the state; flows simply wait for the next round
    } finally {
      setTimeout(refreshFlows, FLOWS_EVERY_MS);
    }
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('token').value;
    sessionStorage.setItem('van-admin-token', token);
    $('token-form').hidden = true;
  });

  refreshNetwork();
  refreshFlows();
})();
