// gongkai: progressive enhancement only. Every page works without this file; with it, the
// report page links cells and their places in the source both ways and gets a keyboard
// review flow, and the upload page refreshes its progress. No inline script anywhere
// (the Content-Security-Policy is script-src 'self').
"use strict";
(function () {
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // ---- report page: cell <-> source
  function clearHl() { all(".hl").forEach(function (e) { e.classList.remove("hl"); }); }
  function highlightKey(key, from) {
    clearHl();
    var first = null;
    all('[data-key="' + CSS.escape(key) + '"]').forEach(function (e) {
      e.classList.add("hl");
      if (from !== "source" && e.closest(".source") && !first) first = e;
      if (from === "source" && e.closest(".tables") && !first) first = e;
    });
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    var form = document.getElementById("correct-key");
    if (form) {
      form.value = key;
      var cell = document.querySelector('.tables [data-key="' + CSS.escape(key) + '"]');
      var label = document.getElementById("correct-label");
      if (label && cell) label.textContent = cell.getAttribute("data-label") || key;
    }
    history.replaceState(null, "", "#cell=" + encodeURIComponent(key));
  }
  function highlightFinding(li) {
    clearHl();
    all(".findings li.current").forEach(function (e) { e.classList.remove("current"); });
    li.classList.add("current");
    var keys = (li.getAttribute("data-cells") || "").split(" ").filter(Boolean);
    var first = null;
    keys.forEach(function (k) {
      all('[data-key="' + CSS.escape(k) + '"]').forEach(function (e) { e.classList.add("hl"); if (!first && e.closest(".tables")) first = e; });
    });
    li.scrollIntoView({ block: "nearest" });
    if (first) first.scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest("[data-key]") : null;
    if (t && t.closest(".report")) {
      ev.preventDefault();
      highlightKey(t.getAttribute("data-key"), t.closest(".source") ? "source" : "tables");
      return;
    }
    var f = ev.target.closest ? ev.target.closest(".findings li[data-cells]") : null;
    if (f && !ev.target.closest("form")) highlightFinding(f);
  });
  // j/k: next/previous finding; n: next absent (or derived/repaired) cell; Esc: clear
  var absentAt = -1;
  document.addEventListener("keydown", function (ev) {
    if (!document.querySelector(".report")) return;
    if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var items = all(".findings li[data-cells]:not(.dismissed)");
    var cur = items.indexOf(document.querySelector(".findings li.current"));
    if (ev.key === "j" || ev.key === "k") {
      if (!items.length) return;
      var i = ev.key === "j" ? (cur + 1) % items.length : (cur - 1 + items.length) % items.length;
      highlightFinding(items[i]);
      ev.preventDefault();
    } else if (ev.key === "n") {
      var cells = all(".tables td.st-absent, .tables td.st-derived, .tables td.st-repaired");
      if (!cells.length) return;
      absentAt = (absentAt + 1) % cells.length;
      highlightKey(cells[absentAt].getAttribute("data-key"), "tables");
      ev.preventDefault();
    } else if (ev.key === "e") {
      var input = document.getElementById("correct-value");
      if (input) { input.focus(); ev.preventDefault(); }
    } else if (ev.key === "Escape") {
      clearHl();
    }
  });
  var m = /#cell=([^&]+)/.exec(location.hash);
  if (m && document.querySelector(".report")) highlightKey(decodeURIComponent(m[1]), "tables");

  // ---- uploads: refresh progress while something is queued or parsing
  var prog = document.querySelector("[data-refresh]");
  if (prog) setTimeout(function () { location.reload(); }, parseInt(prog.getAttribute("data-refresh"), 10) || 2000);
})();
