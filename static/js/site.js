/* Progressive enhancements: sortable tables, clickable rows, auto-submitting selects. */
(function () {
  "use strict";
  function cellValue(row, index, numeric) {
    var cell = row.children[index];
    if (!cell) return numeric ? -Infinity : "";
    var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    if (!numeric) return raw.toLowerCase();
    var n = parseFloat(String(raw).replace(/[^0-9.\-]/g, ""));
    return isNaN(n) ? -Infinity : n;
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var numeric = th.dataset.type === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
          var r = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }
  function init() {
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.classList.add("clickable");
      row.addEventListener("click", function (ev) {
        if (ev.target.closest("a, button")) return;
        window.location.href = row.dataset.href;
      });
    });
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
