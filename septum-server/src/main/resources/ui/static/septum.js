// Septum's pages work without this file; it adds the CSRF header to htmx requests and drag-to-reorder.
document.addEventListener('htmx:configRequest', (event) => {
  event.detail.headers['X-CSRF-Token'] = document.body.dataset.csrf || '';
});

// Rules: dragging a row calls the REST rule route with ?before=, as any API client would.
function septumSortable(root) {
  root.querySelectorAll('tbody[data-rules]').forEach((body) => {
    if (body.dataset.sortableReady || typeof Sortable === 'undefined') return;
    body.dataset.sortableReady = 'yes';
    Sortable.create(body, {
      handle: '.grip',
      // mouse events rather than HTML5 drag and drop: works alike in every browser, and for keyboardless automation
      forceFallback: true,
      animation: 120,
      onEnd: async (event) => {
        if (event.oldIndex === event.newIndex) return;
        const rows = Array.from(body.querySelectorAll('tr[data-rule]'));
        const moved = event.item.dataset.rule;
        const next = rows[event.newIndex + 1];
        const status = document.getElementById('reorder-status');
        status.textContent = 'Moving ' + moved + ' ...';
        try {
          if (next) {
            await moveBefore(body.dataset.rules, moved, next.dataset.rule);
          } else {
            // no "after" in the route: put the moved rule before the last one, then that one before it
            const last = rows[rows.length - 2].dataset.rule;
            await moveBefore(body.dataset.rules, moved, last);
            await moveBefore(body.dataset.rules, last, moved);
          }
          window.location.reload();
        } catch (problem) {
          status.textContent = problem.message;
          status.classList.add('error');
        }
      },
    });
  });
}

async function moveBefore(rulesPath, rule, before) {
  const headers = {'X-CSRF-Token': document.body.dataset.csrf};
  const read = await fetch(rulesPath + '/' + encodeURIComponent(rule), {headers});
  if (!read.ok) throw new Error((await read.json()).error.problem);
  const found = await read.json();
  const write = await fetch(rulesPath + '/' + encodeURIComponent(rule) + '?before=' + encodeURIComponent(before), {
    method: 'PUT',
    headers: {...headers, 'Content-Type': 'application/json', 'If-Match': read.headers.get('ETag')},
    body: JSON.stringify(found.object),
  });
  if (!write.ok) {
    const error = (await write.json()).error;
    throw new Error(error.field + ' ' + error.problem + '. Fix: ' + error.fix);
  }
}

document.addEventListener('DOMContentLoaded', () => septumSortable(document));
document.addEventListener('htmx:load', (event) => septumSortable(event.detail.elt));

// Draws each element of root holding data-KEY (its data as JSON) once, with ECharts: draw(chart, data).
function septumDraw(root, key, draw) {
  if (typeof echarts === 'undefined') return;
  root.querySelectorAll('[data-' + key + ']').forEach((el) => {
    if (el.dataset.drawn) return;
    el.dataset.drawn = 'yes';
    draw(echarts.init(el, null, {renderer: 'svg'}), JSON.parse(el.dataset[key]));
  });
}

// Counter charts: each [data-chart] element holds its series as JSON in a data attribute.
function septumCharts(root) {
  septumDraw(root, 'chart', (chart, data) => {
    chart.setOption({
      animation: false,
      tooltip: {trigger: 'axis'},
      legend: {type: 'scroll', bottom: 0},
      grid: {left: 60, right: 20, top: 20, bottom: 60},
      xAxis: {type: 'category', data: data.at},
      yAxis: {type: 'value', name: 'packets'},
      series: data.series.map((s) => ({name: s.name, type: 'line', data: s.values, showSymbol: false})),
    });
  });
}
document.addEventListener('DOMContentLoaded', () => septumCharts(document));
document.addEventListener('htmx:load', (event) => septumCharts(event.detail.elt));

// Flow map: [data-graph] holds nodes and edges as JSON; an edge's colour is its verdict, a click opens its sessions.
function septumGraphs(root) {
  septumDraw(root, 'graph', (chart, data) => {
    const colour = (verdict) => verdict === 'forward' ? '#1c7c3c' : verdict === 'drop' ? '#b3261e'
      : verdict.startsWith('redirect') ? '#7a3fb0' : '#8a93a6';
    const most = Math.max(1, ...data.edges.map((e) => e.sessions));
    const text = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    chart.setOption({
      animation: false,
      // the tooltip is HTML: names from the policy and the flow store are escaped into it
      tooltip: {formatter: (p) => p.dataType === 'edge'
        ? `${text(p.data.source)} → ${text(p.data.target)}<br>${text(p.data.verdict)} by ${text(p.data.rule || '(no rule)')}<br>${p.data.sessions} sessions`
        : `${text(p.data.name)}<br>${p.data.value} sessions`},
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true,
        force: {repulsion: 260, edgeLength: [90, 220]},
        edgeSymbol: ['none', 'arrow'], edgeSymbolSize: 8,
        label: {show: true, position: 'right'},
        data: data.nodes.map((n) => ({name: n.name, value: n.sessions, symbolSize: 12 + 18 * Math.sqrt(n.sessions / Math.max(1, data.sessions))})),
        links: data.edges.map((e) => ({...e, lineStyle: {color: colour(e.verdict), width: 1 + 5 * e.sessions / most, curveness: 0.15}})),
      }],
    });
    chart.on('click', (p) => { if (p.dataType === 'edge') window.location.href = p.data.link; });
  });
}
document.addEventListener('DOMContentLoaded', () => septumGraphs(document));
document.addEventListener('htmx:load', (event) => septumGraphs(event.detail.elt));
