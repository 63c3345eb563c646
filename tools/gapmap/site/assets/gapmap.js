/* Open Gap Map: draws the page's charts (plotly figure specs in data-figure), the graph
   explorer (data-graph) and the filterable catalogue (data-src). Record text is only ever
   inserted with textContent; figure strings were HTML-escaped at build time. */
(function () {
  "use strict";
  var CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"]};

  function drawCharts() {
    document.querySelectorAll(".gm-chart[data-figure]").forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-figure"));
      Plotly.newPlot(el, spec.data, spec.layout, CONFIG);
    });
  }

  // ---- graph explorer -------------------------------------------------------------------
  var SYMBOL = {field: "square", gap: "circle", capability: "diamond"};
  var COLOR = {field: "#2ca02c", gap: "#d62728", capability: "#1f77b4"};
  var LABEL = {field: "fields", gap: "gaps", capability: "capabilities"};

  function graphFigure(data, field) {
    var shown = data.nodes.map(function (n) { return !field || n.fields.indexOf(field) >= 0; });
    var ex = [], ey = [];
    data.edges.forEach(function (e) {
      if (shown[e[0]] && shown[e[1]]) {
        var a = data.nodes[e[0]], b = data.nodes[e[1]];
        ex.push(a.x, b.x, null); ey.push(a.y, b.y, null);
      }
    });
    var traces = [{x: ex, y: ey, mode: "lines", line: {width: 0.5, color: "#bbb"}, hoverinfo: "skip", showlegend: false}];
    ["field", "gap", "capability"].forEach(function (kind) {
      var t = {x: [], y: [], customdata: [], hovertext: [], mode: "markers", name: LABEL[kind], hoverinfo: "text",
               marker: {symbol: SYMBOL[kind], color: COLOR[kind], size: kind === "field" ? 14 : 8}};
      data.nodes.forEach(function (n, i) {
        if (n.kind === kind && shown[i]) {
          t.x.push(n.x); t.y.push(n.y); t.customdata.push(n.url); t.hovertext.push(n.title);
        }
      });
      traces.push(t);
    });
    var axis = {visible: false};
    return {data: traces, layout: {xaxis: axis, yaxis: axis, margin: {l: 0, r: 0, t: 0, b: 0}, hovermode: "closest",
                                   legend: {orientation: "h"}, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"}};
  }

  function drawGraph(el) {
    var root = el.getAttribute("data-root");
    fetch(el.getAttribute("data-graph")).then(function (r) { return r.json(); }).then(function (data) {
      var select = document.getElementById("gm-graph-field");
      function draw() {
        var fig = graphFigure(data, select ? select.value : "");
        Plotly.react(el, fig.data, fig.layout, CONFIG);
      }
      draw();
      if (select) select.addEventListener("change", draw);
      el.on("plotly_click", function (ev) {
        var url = ev.points[0] && ev.points[0].customdata;
        if (url) window.location.href = root + url;
      });
    });
  }

  // ---- catalogue --------------------------------------------------------------------------
  function matches(row, f) {
    if (f.kind && row.kind !== f.kind) return false;
    if (f.field && (row.fields || []).indexOf(f.field) < 0) return false;
    if (f.maturity && row.maturity !== f.maturity) return false;
    if (f.category && row.category !== f.category) return false;
    if (f.tag && row.tags.indexOf(f.tag) < 0) return false;
    if (f.cost && row.cost !== f.cost) return false;
    if (f.text) {
      var hay = (row.title + " " + row.summary + " " + row.id).toLowerCase();
      if (hay.indexOf(f.text.toLowerCase()) < 0) return false;
    }
    return true;
  }

  function cell(tr, text) {
    var td = document.createElement("td");
    td.textContent = text || "";
    tr.appendChild(td);
    return td;
  }

  function drawCatalogue(table) {
    var root = table.getAttribute("data-root");
    var body = table.querySelector("tbody");
    var count = document.querySelector(".gm-count");
    var controls = document.querySelectorAll("[data-filter]");
    fetch(table.getAttribute("data-src")).then(function (r) { return r.json(); }).then(function (rows) {
      var tag = /[#&]tag=([a-z0-9-]+)/.exec(window.location.hash);
      if (tag) document.querySelector('[data-filter="tag"]').value = tag[1];
      function render() {
        var f = {};
        controls.forEach(function (c) { f[c.getAttribute("data-filter")] = c.value; });
        var frag = document.createDocumentFragment(), n = 0;
        rows.forEach(function (row) {
          if (!matches(row, f)) return;
          n += 1;
          var tr = document.createElement("tr");
          var a = document.createElement("a");
          a.href = root + row.url;
          a.textContent = row.title;
          cell(tr, "").appendChild(a);
          cell(tr, row.kind + (row.category ? " (" + row.category + ")" : ""));
          cell(tr, (row.fields || []).join(", "));
          cell(tr, row.maturity);
          cell(tr, row.cost);
          cell(tr, row.summary);
          frag.appendChild(tr);
        });
        body.replaceChildren(frag);
        count.textContent = n + " of " + rows.length + " records";
      }
      controls.forEach(function (c) { c.addEventListener("input", render); c.addEventListener("change", render); });
      render();
    });
  }

  function start() {
    if (window.Plotly) drawCharts();
    document.querySelectorAll(".gm-graph[data-graph]").forEach(drawGraph);
    document.querySelectorAll("table.gm-catalogue[data-src]").forEach(drawCatalogue);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
