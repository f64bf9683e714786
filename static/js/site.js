/* Progressive enhancements: sortable tables, clickable rows, auto-submitting selects, year
   steppers, and the dashboard's year switch without a full reload (the URL follows). */
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
  /* Fetch the page for the form's new state and swap <main>: the charts and tables update in
     place, the URL follows (history.replaceState); on any failure the form submits as usual. */
  function swap(select) {
    var form = select.form;
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = window.location.pathname + "?" + query;
    var main = document.getElementById("main");
    main.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.getElementById("main");
        if (!next) throw new Error("no main");
        main.innerHTML = next.innerHTML;
        document.title = fresh.title;
        window.history.replaceState(null, "", url);
        main.removeAttribute("aria-busy");
        init(main);
        if (window.NatoCharts) window.NatoCharts.init(main);
        var again = document.getElementById(select.id);
        if (again) again.focus();
      })
      .catch(function () { form.submit(); });
  }
  function init(root) {
    root = root || document;
    root.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    root.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.classList.add("clickable");
      row.addEventListener("click", function (ev) {
        if (ev.target.closest("a, button")) return;
        window.location.href = row.dataset.href;
      });
    });
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.dataset.swap && window.fetch && window.DOMParser) swap(select);
        else if (select.form.requestSubmit) select.form.requestSubmit();
        else select.form.submit();
      });
    });
    root.querySelectorAll("button.step[data-for]").forEach(function (button) {
      button.addEventListener("click", function () {
        var select = document.getElementById(button.dataset.for);
        var i = select.selectedIndex + Number(button.dataset.step);
        if (i < 0 || i >= select.options.length) return;
        select.selectedIndex = i;
        select.dispatchEvent(new Event("change"));
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
})();
