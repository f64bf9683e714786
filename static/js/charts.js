/* Chart widgets: draw each plotly figure embedded with json_script (data-figure="<id of the
   JSON>") when it comes near the screen, switch the widget's tabs (chart / map / table), and
   export PNG and SVG through plotly's own exporter. Clicking a bar or a country opens the ally's
   page (its customdata). plotly.js is loaded only when the first chart is about to be seen, so a
   page's first paint does not wait for it: the cartesian bundle (data-plotly on this script) for
   line and bar charts, the geo bundle (data-plotly-geo: the same Plotly with the map's code
   added) only for a map. Loading plotly, and drawing each chart, are separate tasks, so the
   page answers input between them. */
(function () {
  "use strict";
  var NARROW = 600;
  var script = document.currentScript;
  var BUNDLES = { cartesian: script && script.dataset.plotly, geo: script && script.dataset.plotlyGeo };
  var loading = {};
  /* The Plotly module for a figure: both bundles import one shared chunk, so loading the geo
     bundle after the cartesian one adds the map's code to the same Plotly. */
  function plotly(fig) {
    var kind = fig && fig.data.some(function (t) { return t.type === "choropleth"; }) ? "geo" : "cartesian";
    if (!loading[kind]) {
      loading[kind] = import(BUNDLES[kind]).then(function (module) { return module.default; });
    }
    return loading[kind];
  }
  function nextTask(value) {
    return new Promise(function (resolve) { setTimeout(function () { resolve(value); }, 0); });
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
    });
  }, { rootMargin: "100px 0px" }) : null;
  function watch(el) { if (observer) observer.observe(el); else draw(el); }
  function figureOf(el) {
    return JSON.parse(document.getElementById(el.dataset.figure).textContent);
  }
  function urlOf(point) {
    var c = point && point.customdata;
    if (Array.isArray(c)) c = c[0];
    return typeof c === "string" && c.charAt(0) === "/" ? c : null;
  }
  function vintageQuery() {
    var keep = new URLSearchParams(window.location.search), out = new URLSearchParams();
    ["edition", "as_of"].forEach(function (k) { if (keep.get(k)) out.set(k, keep.get(k)); });
    var s = out.toString();
    return s ? "?" + s : "";
  }
  /* On screen the source line, said under every chart, leaves the plot (exports keep it). On a
     phone the title wraps onto more lines (plotly does not wrap) and the legend onto more rows,
     with room made above the plot. */
  function forScreen(fig, width) {
    var layout = fig.layout, margin = layout.margin || {};
    // the source line is said under every chart (figcaption): on screen it leaves the plot
    var before = (layout.annotations || []).length;
    layout.annotations = (layout.annotations || []).filter(function (a) { return a.name !== "source"; });
    if (layout.annotations.length < before) {
      var old = layout.height || 450, shorter = old - 50;
      var keep = function (y) { return 1 - (1 - y) * old / shorter; }; // same px from the top
      if (layout.title && layout.title.yref === "container") layout.title.y = keep(layout.title.y);
      if (layout.legend && layout.legend.yref === "container") layout.legend.y = keep(layout.legend.y);
      layout.margin = Object.assign({}, margin, { b: Math.max(40, (margin.b || 100) - 50) });
      layout.height = shorter;
      margin = layout.margin;
    }
    if (width >= NARROW || !layout.title || !layout.title.text) return layout;
    var per = Math.max(24, Math.floor(width / 8.6)), words = layout.title.text.split(" ");
    var lines = [""];
    words.forEach(function (w) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + w).length > per) lines.push(w);
      else lines[lines.length - 1] = last ? last + " " + w : w;
    });
    var entries = fig.data.filter(function (t) { return t.showlegend !== false && t.name; }).length;
    var legendRows = layout.showlegend === false || entries < 2 ? 0 : Math.ceil(entries / 2);
    var lift = 8 * (lines.length - 1); // plotly lifts a wrapped title: put it back down
    var legendTop = lift + 19 * lines.length + 18;
    var top = legendTop + 22 * legendRows + 8;
    var height = (layout.height || 450) - (margin.t || 96) + top;
    layout.title.text = lines.join("<br>");
    layout.title.font = Object.assign({}, layout.title.font, { size: 15 });
    layout.title.y = 1 - (8 + lift) / height;
    if (layout.legend) {
      layout.legend.title = { text: "" };
      if (layout.legend.yref === "container") layout.legend.y = 1 - legendTop / height;
    }
    layout.margin = Object.assign({}, margin, { t: top });
    layout.height = height;
    return layout;
  }
  /* Room on the left for a category axis's labels (the ranking's ally names), measured with the
     chart's font. plotly's automargin stays on, but finds the margin wide enough and draws the
     chart once: widening it itself means a second full drawing, which was half the cost of the
     dashboard's first chart. LABEL_ROOM: the gap plotly leaves between labels and plot. */
  var LABEL_ROOM = 18, measurer = null;
  function widest(texts, font) {
    measurer = measurer || document.createElement("canvas").getContext("2d");
    measurer.font = (font.size || 12) + "px " + (font.family || "sans-serif");
    return texts.reduce(function (most, t) {
      return Math.max(most, measurer.measureText(String(t)).width);
    }, 0);
  }
  function roomForLabels(layout) {
    var axis = layout.yaxis;
    if (!axis || !axis.automargin || !Array.isArray(axis.categoryarray)) return;
    var font = Object.assign({}, layout.font, axis.tickfont);
    var margin = layout.margin || {};
    var need = Math.ceil(widest(axis.categoryarray, font)) + LABEL_ROOM;
    layout.margin = Object.assign({}, margin, { l: Math.max(margin.l || 0, need) });
  }
  function visible(el) { return el.offsetParent !== null; }
  function draw(el) {
    if (el.dataset.drawn || !visible(el)) return;
    el.dataset.drawn = "1";
    var fig = figureOf(el);
    plotly(fig).then(nextTask).then(function (Plotly) {
      roomForLabels(fig.layout);
      var config = {
        responsive: true,
        displaylogo: false,
        displayModeBar: false, // the widget has its own downloads; the toolbar covered titles
        topojsonURL: document.body.dataset.topojson
      };
      return Plotly.newPlot(el, fig.data, forScreen(fig, el.clientWidth), config);
    }).then(function () {
      el.classList.add("drawn");
      el.on("plotly_click", function (ev) {
        var url = urlOf(ev.points && ev.points[0]);
        if (url) window.location.href = url + vintageQuery();
      });
    });
  }
  /* PNG or SVG of the chart as built on the server (title and source line included), at a
     desktop width whatever the screen. */
  function download(button) {
    var widget = button.closest("[data-widget]");
    var el = widget.querySelector(".widget-panel:not([hidden]) [data-figure]") ||
      widget.querySelector("[data-figure]");
    if (!el) return;
    var fig = figureOf(el), format = button.dataset.format || "png";
    plotly(fig).then(function (Plotly) {
      return Plotly.downloadImage(
      { data: fig.data, layout: fig.layout, config: { topojsonURL: document.body.dataset.topojson } },
      { format: format, filename: el.dataset.filename || "chart", width: 1000,
        height: fig.layout.height || 450, scale: format === "png" ? 2 : 1 }
      );
    });
  }
  function select(widget, tab, focus, initial) {
    widget.querySelectorAll("[role=tab]").forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) tab.focus();
    var panel = document.getElementById(tab.getAttribute("aria-controls"));
    panel.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.classList.contains("drawn")) plotly(figureOf(el)).then(function (Plotly) { Plotly.Plots.resize(el); });
      else if (initial) watch(el); else draw(el);
    });
    var csv = widget.querySelector("[data-csv-link]");
    if (csv && tab.dataset.csv) csv.href = tab.dataset.csv;
    var share = widget.querySelector(".share-link");
    if (share && tab.dataset.share) share.value = new URL(tab.dataset.share, window.location.href).href;
  }
  function tabs(widget) {
    var list = widget.querySelector("[role=tablist]");
    if (!list) return;
    var all = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
    list.hidden = false;
    var wanted = all.filter(function (t) {
      return window.location.hash && t.dataset.share && t.dataset.share.split("#")[1] === window.location.hash.slice(1);
    })[0];
    select(widget, wanted || all[0], false, true);
    all.forEach(function (tab, i) {
      tab.addEventListener("click", function () { select(widget, tab, false); });
      tab.addEventListener("keydown", function (ev) {
        var step = { ArrowRight: 1, ArrowLeft: -1 }[ev.key];
        if (ev.key === "Home") step = -i; else if (ev.key === "End") step = all.length - 1 - i;
        if (step === undefined) return;
        ev.preventDefault();
        select(widget, all[(i + step + all.length) % all.length], true);
      });
    });
  }
  function init(root) {
    root = root || document;
    root.querySelectorAll("[data-widget]").forEach(tabs);
    root.querySelectorAll("[data-figure]").forEach(watch);
    root.querySelectorAll("[data-download]").forEach(function (button) {
      button.addEventListener("click", function () { download(button); });
    });
  }
  window.NatoCharts = { init: init };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
})();
