/* Draw every plotly figure embedded with json_script (data-figure="<id of the JSON>").
   Clicking a bar or a country opens the ally's page (its URL is the point's customdata). */
(function () {
  "use strict";
  function urlOf(point) {
    var c = point && point.customdata;
    if (Array.isArray(c)) c = c[0];
    return typeof c === "string" && c.charAt(0) === "/" ? c : null;
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.figure);
    if (!source || !window.Plotly) return;
    var fig = JSON.parse(source.textContent);
    var config = {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      toImageButtonOptions: { format: "png", filename: el.id, scale: 2 },
      topojsonURL: document.body.dataset.topojson
    };
    window.Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
      el.classList.add("drawn");
      el.on("plotly_click", function (ev) {
        var url = urlOf(ev.points && ev.points[0]);
        if (url) window.location.href = url + window.location.search.replace(/^\?.*$/, function (q) {
          var keep = new URLSearchParams(q), out = new URLSearchParams();
          ["edition", "as_of"].forEach(function (k) { if (keep.get(k)) out.set(k, keep.get(k)); });
          var s = out.toString();
          return s ? "?" + s : "";
        });
      });
    });
  }
  function init() {
    document.querySelectorAll("[data-figure]").forEach(draw);
    document.querySelectorAll("[data-download]").forEach(function (button) {
      button.addEventListener("click", function () {
        var el = document.getElementById(button.dataset.download);
        if (el && window.Plotly) {
          window.Plotly.downloadImage(el, { format: "png", filename: button.dataset.filename || "chart", scale: 2 });
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
