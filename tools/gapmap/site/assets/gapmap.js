/* Open Gap Map: interactive charts on request (plotly.js is fetched only when a reader presses
   "Interactive chart"; every chart is drawn as SVG at build time), the graph explorer (SVG,
   no library) and the catalogue (sort, pages, facets with counts, state in the URL).
   Record text is only ever inserted with textContent; figure strings were HTML-escaped at
   build time. */
(function () {
  "use strict";
  var script = document.currentScript;
  var PLOTLY = script && script.getAttribute("data-plotly");
  var plotly = null;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = PLOTLY;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return plotly;
  }

  function narrow() { return window.matchMedia("(max-width: 700px)").matches; }

  function interactive(box) {
    var button = box.querySelector(".gm-interactive");
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading the interactive chart…";
      var src = box.getAttribute("data-figure-src");
      var spec$ = src ? fetch(src).then(function (r) { return r.json(); }) : Promise.resolve(JSON.parse(box.getAttribute("data-figure")));
      Promise.all([loadPlotly(), spec$]).then(function (both) {
        var Plotly = both[0], spec = both[1];
        var div = document.createElement("div");
        div.className = "gm-plotly";
        div.style.height = box.getAttribute("data-height") + "px";
        div.setAttribute("role", "figure");
        div.setAttribute("aria-label", box.getAttribute("data-label") + " (interactive; the data table below has the same numbers)");
        var svg = box.querySelector("svg.gm-svg");
        if (svg) svg.replaceWith(div); else box.prepend(div);
        var config = {displaylogo: false, responsive: true, displayModeBar: narrow() ? false : "hover",
                      modeBarButtonsToRemove: ["lasso2d", "select2d", "sendDataToCloud"],
                      toImageButtonOptions: {format: "svg", filename: "chart"}};
        if (narrow()) spec.layout.showlegend = false;  /* the HTML legend below says the same */
        Plotly.newPlot(div, spec.data, spec.layout, config);
        button.remove();
      }, function () {
        button.textContent = "The interactive chart could not load";
      });
    });
  }

  // ---- graph explorer -------------------------------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  var SIZE = 1000;

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVGNS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  function shape(n, x, y, parent) {
    var r = n.kind === "field" ? 11 : n.kind === "gap" ? 6 : 6;
    if (n.kind === "field") return el("rect", {x: x - r, y: y - r, width: 2 * r, height: 2 * r}, parent);
    if (n.kind === "gap") return el("circle", {cx: x, cy: y, r: r}, parent);
    return el("path", {d: "M" + x + " " + (y - r - 1) + "l" + (r + 1) + " " + (r + 1) + "l" + (-r - 1) + " " + (r + 1) +
                          "l" + (-r - 1) + " " + (-r - 1) + "z"}, parent);
  }

  function drawGraph(box) {
    var root = box.getAttribute("data-root");
    var status = document.getElementById("gm-graph-status");
    var select = document.getElementById("gm-graph-field");
    var find = document.getElementById("gm-graph-find");
    var list = document.getElementById("gm-graph-list");
    fetch(box.getAttribute("data-graph")).then(function (r) { return r.json(); }).then(function (data) {
      var nodes = data.nodes, adj = nodes.map(function () { return []; });
      data.edges.forEach(function (e) { adj[e[0]].push(e[1]); adj[e[1]].push(e[0]); });
      var pad = 30;
      nodes.forEach(function (n) {
        n.px = pad + (n.x + 1) / 2 * (SIZE - 2 * pad);
        n.py = pad + (1 - (n.y + 1) / 2) * (SIZE - 2 * pad);
      });
      var svg = el("svg", {viewBox: "0 0 " + SIZE + " " + SIZE, class: "gm-graph-svg", "aria-hidden": "true"});
      var edgePath = el("path", {class: "gm-edges", d: ""}, svg);
      var hiPath = el("path", {class: "gm-edges-hi", d: ""}, svg);
      var layer = el("g", {}, svg), labels = el("g", {class: "gm-labels"}, svg);
      nodes.forEach(function (n, i) {
        n.el = shape(n, n.px, n.py, layer);
        n.el.setAttribute("class", "gm-node gm-" + n.kind);
        n.el.setAttribute("data-i", i);
      });
      box.appendChild(svg);
      var shown = nodes.map(function () { return true; }), current = -1, view = [0, 0, SIZE, SIZE];

      function segs(pairs) {
        return pairs.map(function (e) {
          var a = nodes[e[0]], b = nodes[e[1]];
          return "M" + a.px.toFixed(1) + " " + a.py.toFixed(1) + "L" + b.px.toFixed(1) + " " + b.py.toFixed(1);
        }).join("");
      }
      function label(n, cls) {
        var right = n.px > SIZE * 0.7;  /* labels near the right edge run leftwards, never off the graph */
        var t = el("text", {x: right ? n.px - 12 : n.px + 12, y: n.py + 4, class: cls || "",
                            "text-anchor": right ? "end" : "start"}, labels);
        t.textContent = n.titleText;
      }
      nodes.forEach(function (n) { var d = document.createElement("textarea"); d.innerHTML = n.title; n.titleText = d.value; });

      function redraw() {
        edgePath.setAttribute("d", segs(data.edges.filter(function (e) { return shown[e[0]] && shown[e[1]]; })));
        nodes.forEach(function (n, i) { n.el.style.display = shown[i] ? "" : "none"; });
        highlight(current >= 0 && shown[current] ? current : -1);
      }
      function highlight(i) {
        current = i;
        labels.replaceChildren();
        nodes.forEach(function (n) { n.el.classList.remove("gm-on", "gm-sel"); });
        svg.classList.toggle("gm-dim", i >= 0);
        nodes.forEach(function (n, j) { if (n.kind === "field" && shown[j] && i < 0) label(n, "gm-field-label"); });
        if (i < 0) { hiPath.setAttribute("d", ""); box.removeAttribute("aria-activedescendant"); return; }
        var n = nodes[i], near = adj[i].filter(function (j) { return shown[j]; });
        n.el.classList.add("gm-sel");
        near.forEach(function (j) { nodes[j].el.classList.add("gm-on"); label(nodes[j]); });
        label(n, "gm-sel-label");
        hiPath.setAttribute("d", segs(near.map(function (j) { return [i, j]; })));
        status.textContent = n.kind + ": " + n.titleText + " — linked to " + near.length +
          ". Enter opens it; arrow keys move; N steps through its links.";
      }
      function open(i) { window.location.href = root + nodes[i].url; }

      layer.addEventListener("pointerover", function (ev) {
        var i = ev.target.getAttribute("data-i");
        if (i !== null && ev.pointerType === "mouse") highlight(+i);
      });
      layer.addEventListener("click", function (ev) {
        var i = ev.target.getAttribute("data-i");
        if (i === null) return;
        if (+i === current) open(+i); else highlight(+i);  /* a tap selects; a second tap opens */
      });
      svg.addEventListener("click", function (ev) { if (ev.target === svg) highlight(-1); });

      function move(dx, dy) {
        if (current < 0) { current = nodes.findIndex(function (n, j) { return shown[j] && n.kind === "field"; }); highlight(current); return; }
        var a = nodes[current], best = -1, score = Infinity;
        nodes.forEach(function (n, j) {
          if (!shown[j] || j === current) return;
          var ex = n.px - a.px, ey = n.py - a.py, along = ex * dx + ey * dy, across = Math.abs(ex * dy - ey * dx);
          if (along <= 0) return;
          var s = along + 2 * across;
          if (s < score) { score = s; best = j; }
        });
        if (best >= 0) highlight(best);
      }
      var step = 0;
      box.addEventListener("keydown", function (ev) {
        var k = ev.key;
        if (k === "ArrowRight") move(1, 0); else if (k === "ArrowLeft") move(-1, 0);
        else if (k === "ArrowUp") move(0, -1); else if (k === "ArrowDown") move(0, 1);
        else if (k === "Enter" && current >= 0) open(current);
        else if (k === "Escape") highlight(-1);
        else if ((k === "n" || k === "N") && current >= 0) {
          var near = adj[current].filter(function (j) { return shown[j]; });
          if (near.length) { step = (step + 1) % near.length; highlight(near[step]); }
        } else if (k === "+" || k === "=") zoom(0.8); else if (k === "-") zoom(1.25);
        else return;
        ev.preventDefault();
        ev.stopPropagation();  /* mkdocs-material binds n, p, s, f, / to page-wide shortcuts */
      });
      box.addEventListener("focus", function () { if (current < 0) move(1, 0); });

      function setView() { svg.setAttribute("viewBox", view.map(function (v) { return v.toFixed(1); }).join(" ")); }
      function zoom(f, cx, cy) {
        cx = cx === undefined ? view[0] + view[2] / 2 : cx; cy = cy === undefined ? view[1] + view[3] / 2 : cy;
        var w = Math.min(SIZE, Math.max(60, view[2] * f));
        view = [cx - (cx - view[0]) * w / view[2], cy - (cy - view[1]) * w / view[3], w, w];
        setView();
      }
      box.addEventListener("wheel", function (ev) {
        ev.preventDefault();
        var r = svg.getBoundingClientRect();
        zoom(ev.deltaY > 0 ? 1.2 : 1 / 1.2, view[0] + (ev.clientX - r.left) / r.width * view[2],
             view[1] + (ev.clientY - r.top) / r.height * view[3]);
      }, {passive: false});
      var drag = null;
      svg.addEventListener("pointerdown", function (ev) { if (ev.target === svg || ev.target.tagName === "path") drag = [ev.clientX, ev.clientY]; });
      window.addEventListener("pointerup", function () { drag = null; });
      svg.addEventListener("pointermove", function (ev) {
        if (!drag) return;
        var r = svg.getBoundingClientRect();
        view[0] -= (ev.clientX - drag[0]) / r.width * view[2]; view[1] -= (ev.clientY - drag[1]) / r.height * view[3];
        drag = [ev.clientX, ev.clientY];
        setView();
      });
      document.querySelectorAll("[data-zoom]").forEach(function (b) {
        b.addEventListener("click", function () {
          var z = b.getAttribute("data-zoom");
          if (z === "reset") { view = [0, 0, SIZE, SIZE]; setView(); } else zoom(+z);
        });
      });

      function filter() {
        var f = select ? select.value : "";
        shown = nodes.map(function (n) { return !f || n.fields.indexOf(f) >= 0; });
        redraw();
        buildList(f);
      }
      if (select) select.addEventListener("change", filter);
      if (find) {
        find.addEventListener("input", function () {
          var q = find.value.trim().toLowerCase();
          if (!q) { highlight(-1); status.textContent = ""; return; }
          var hits = [];
          nodes.forEach(function (n, j) { if (shown[j] && n.titleText.toLowerCase().indexOf(q) >= 0) hits.push(j); });
          if (hits.length) { highlight(hits[0]); status.textContent = hits.length + " match(es); showing " + nodes[hits[0]].titleText + ". Press Enter to open it."; }
          else { highlight(-1); status.textContent = "No node matches “" + find.value + "”."; }
        });
        find.addEventListener("keydown", function (ev) { if (ev.key === "Enter" && current >= 0) { ev.preventDefault(); open(current); } });
      }

      function buildList(f) {
        if (!list) return;
        var frag = document.createDocumentFragment();
        nodes.forEach(function (n, i) {
          if (n.kind !== "field" || !shown[i]) return;
          var h = document.createElement("h3"), a = document.createElement("a");
          a.href = root + n.url; a.textContent = n.titleText; h.appendChild(a); frag.appendChild(h);
          var ul = document.createElement("ul");
          adj[i].forEach(function (g) {
            if (nodes[g].kind !== "gap" || !shown[g]) return;
            var li = document.createElement("li"), ga = document.createElement("a");
            ga.href = root + nodes[g].url; ga.textContent = nodes[g].titleText; li.appendChild(ga);
            var caps = adj[g].filter(function (c) { return nodes[c].kind === "capability"; });
            if (caps.length) {
              li.appendChild(document.createTextNode(" — needs: "));
              caps.forEach(function (c, k) {
                if (k) li.appendChild(document.createTextNode(", "));
                var ca = document.createElement("a"); ca.href = root + nodes[c].url; ca.textContent = nodes[c].titleText;
                li.appendChild(ca);
              });
            }
            ul.appendChild(li);
          });
          frag.appendChild(ul);
        });
        list.replaceChildren(frag);
      }
      box.setAttribute("data-ready", "1");
      filter();
    });
  }

  // ---- catalogue --------------------------------------------------------------------------
  var PAGE = 50;
  var FACETS = ["kind", "field", "maturity", "category", "tag", "cost"];

  function has(row, name, value) {
    if (name === "field") return (row.fields || []).indexOf(value) >= 0;
    if (name === "tag") return (row.tags || []).indexOf(value) >= 0;
    return row[name] === value;
  }

  function matches(row, f, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var name = FACETS[i];
      if (name !== skip && f[name] && !has(row, name, f[name])) return false;
    }
    if (f.text) {
      var hay = (row.title + " " + (row.summary || "") + " " + row.id).toLowerCase();
      if (hay.indexOf(f.text.toLowerCase()) < 0) return false;
    }
    return true;
  }

  function cell(tr, text, label) {
    var td = document.createElement("td");
    td.textContent = text || "";
    if (label) td.setAttribute("data-label", label);
    tr.appendChild(td);
    return td;
  }

  function readHash() {
    var out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var p = kv.split("=");
      if (p[0]) out[decodeURIComponent(p[0])] = decodeURIComponent((p[1] || "").replace(/\+/g, " "));
    });
    return out;
  }

  function drawCatalogue(table) {
    var root = table.getAttribute("data-root");
    var body = table.querySelector("tbody");
    var count = document.querySelector(".gm-count");
    var pager = document.querySelector(".gm-pager");
    var controls = document.querySelectorAll("[data-filter]");
    var sortSelect = document.getElementById("gm-sort");
    var fieldNames = {};
    document.querySelectorAll('[data-filter="field"] option').forEach(function (o) {
      if (o.value) fieldNames[o.value] = o.getAttribute("data-text") || o.textContent;
    });
    controls.forEach(function (c) {
      if (c.tagName === "SELECT") c.querySelectorAll("option").forEach(function (o) {
        if (!o.hasAttribute("data-text")) o.setAttribute("data-text", o.textContent);
      });
    });
    var state = {sort: "", dir: "asc", page: 1};
    // The first page and the facet counts were rendered at build time; the data file (every
    // record) is fetched only when the reader filters, sorts or pages, or arrives with a state.
    var loading = null, ready = false;
    function load() {
      if (!loading) loading = fetch(table.getAttribute("data-src")).then(function (r) { return r.json(); }).then(setup);
      return loading;
    }
    function trigger(el, type) {
      el.addEventListener(type, function () {
        if (ready) return;
        load().then(function () { if (type === "click") el.click(); else el.dispatchEvent(new Event(type)); });
      });
    }
    controls.forEach(function (c) { trigger(c, c.tagName === "SELECT" ? "change" : "input"); });
    if (sortSelect) trigger(sortSelect, "change");
    table.querySelectorAll("th[data-sort] button").forEach(function (b) { trigger(b, "click"); });
    pager.querySelectorAll("button").forEach(function (b) { trigger(b, "click"); });
    var form = document.querySelector("form.gm-filters");
    if (form) form.addEventListener("focusin", load);  /* about to filter: fetch ahead */
    table.setAttribute("data-ready", "1");
    if (window.location.hash.length > 1) load();

    function setup(rows) {
      ready = true;
      var h = readHash();
      controls.forEach(function (c) {
        var name = c.getAttribute("data-filter"), v = h[name === "text" ? "q" : name];
        if (v !== undefined) c.value = v;
      });
      if (sortSelect && sortSelect.value) {  /* chosen before the data arrived */
        state.sort = sortSelect.value.split(":")[0];
        state.dir = sortSelect.value.split(":")[1] || "asc";
      }
      if (h.sort) state.sort = h.sort;
      if (h.dir === "desc") state.dir = "desc";
      if (h.page) state.page = Math.max(1, parseInt(h.page, 10) || 1);

      function key(row, name) {
        if (name === "field") return (row.fields || []).map(function (f) { return fieldNames[f] || f; }).join(", ").toLowerCase();
        return String(row[name] || "").toLowerCase();
      }
      function render(keepPage) {
        var f = {};
        controls.forEach(function (c) { f[c.getAttribute("data-filter")] = c.value; });
        if (!keepPage) state.page = 1;
        var hits = rows.filter(function (r) { return matches(r, f); });
        if (state.sort) {
          var s = state.sort, d = state.dir === "desc" ? -1 : 1;
          hits = hits.slice().sort(function (a, b) { var x = key(a, s), y = key(b, s); return x < y ? -d : x > y ? d : 0; });
        }
        var pages = Math.max(1, Math.ceil(hits.length / PAGE));
        state.page = Math.min(state.page, pages);
        var frag = document.createDocumentFragment();
        hits.slice((state.page - 1) * PAGE, state.page * PAGE).forEach(function (row) {
          var tr = document.createElement("tr");
          var a = document.createElement("a");
          a.href = root + row.url;
          a.textContent = row.title;
          cell(tr, "", "Record").appendChild(a);
          cell(tr, row.kind + (row.category ? " (" + row.category + ")" : ""), "Type");
          cell(tr, (row.fields || []).map(function (x) { return fieldNames[x] || x; }).join(", "), "Field");
          cell(tr, row.maturity, "Maturity");
          cell(tr, row.cost, "Cost");
          cell(tr, row.summary, "Summary");
          frag.appendChild(tr);
        });
        body.replaceChildren(frag);
        count.textContent = hits.length + " of " + rows.length + " records" +
          (pages > 1 ? " · page " + state.page + " of " + pages : "");
        pager.querySelector("[data-page=prev]").disabled = state.page <= 1;
        pager.querySelector("[data-page=next]").disabled = state.page >= pages;
        // facet counts: how many records each option would leave, given the other filters
        controls.forEach(function (c) {
          if (c.tagName !== "SELECT") return;
          var name = c.getAttribute("data-filter"), base = rows.filter(function (r) { return matches(r, f, name); });
          c.querySelectorAll("option").forEach(function (o) {
            if (!o.value) { o.textContent = "any (" + base.length + ")"; return; }
            var n = base.filter(function (r) { return has(r, name, o.value); }).length;
            o.textContent = o.getAttribute("data-text") + " (" + n + ")";
          });
        });
        if (sortSelect) sortSelect.value = state.sort ? state.sort + ":" + state.dir : "";
        table.querySelectorAll("th[data-sort]").forEach(function (th) {
          var on = th.getAttribute("data-sort") === state.sort;
          th.setAttribute("aria-sort", on ? (state.dir === "asc" ? "ascending" : "descending") : "none");
        });
        var parts = [];
        controls.forEach(function (c) { if (c.value) parts.push((c.getAttribute("data-filter") === "text" ? "q" : c.getAttribute("data-filter")) + "=" + encodeURIComponent(c.value)); });
        if (state.sort) parts.push("sort=" + state.sort, "dir=" + state.dir);
        if (state.page > 1) parts.push("page=" + state.page);
        history.replaceState(null, "", parts.length ? "#" + parts.join("&") : window.location.pathname + window.location.search);
      }
      controls.forEach(function (c) { c.addEventListener(c.tagName === "SELECT" ? "change" : "input", function () { render(false); }); });
      table.querySelectorAll("th[data-sort] button").forEach(function (b) {
        b.addEventListener("click", function () {
          var s = b.parentNode.getAttribute("data-sort");
          state.dir = state.sort === s && state.dir === "asc" ? "desc" : "asc";
          state.sort = s;
          render(false);
        });
      });
      if (sortSelect) sortSelect.addEventListener("change", function () {
        var v = sortSelect.value.split(":");
        state.sort = v[0]; state.dir = v[1] || "asc";
        render(false);
      });
      pager.querySelector("[data-page=prev]").addEventListener("click", function () { state.page -= 1; render(true); });
      pager.querySelector("[data-page=next]").addEventListener("click", function () { state.page += 1; render(true); });
      render(true);
      table.setAttribute("data-loaded", "1");
    }
  }

  function start() {
    document.querySelectorAll("form.gm-filters").forEach(function (f) {
      f.addEventListener("submit", function (ev) { ev.preventDefault(); });
    });
    document.querySelectorAll(".gm-chart[data-figure], .gm-chart[data-figure-src]").forEach(interactive);
    document.querySelectorAll(".gm-graph[data-graph]").forEach(drawGraph);
    document.querySelectorAll("table.gm-catalogue[data-src]").forEach(drawCatalogue);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
