/* The catalog: search (lunr.js, index loaded on first focus), facets with live counts, sorting,
   and all of it in the URL query string so a search can be shared. The list works without it. */
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("cards");
  if (!input || !list) { return; }
  var form = document.getElementById("search-form");
  var sortSelect = document.getElementById("sort");
  var status = document.getElementById("status");
  var empty = document.getElementById("empty");
  var more = document.getElementById("more");
  var clear = document.getElementById("clear-filters");
  var FACETS = ["tag", "category", "owner", "license"];
  var PAGE = 60;
  var limit = PAGE;
  var index = null;
  var loading = false;
  var focusAt = null;
  var timed = false;

  var cards = Array.prototype.map.call(list.children, function (el, order) {
    var link = el.querySelector(".card-title a");
    var desc = el.querySelector(".card-desc");
    return {
      el: el, order: order, ref: el.dataset.i, name: link.textContent, link: link,
      descText: desc.textContent, desc: desc,
      tag: el.dataset.tag ? el.dataset.tag.split("|") : [],
      category: [el.dataset.category].filter(Boolean), owner: [el.dataset.owner].filter(Boolean),
      license: [el.dataset.license].filter(Boolean),
      updated: el.dataset.updated || "", uses: parseInt(el.dataset.uses || "0", 10)
    };
  });
  var boxes = {};
  FACETS.forEach(function (key) {
    boxes[key] = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][name="' + key + '"]'));
  });

  function readState() {
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var sort = params.get("sort") || "relevance";
    sortSelect.value = ["relevance", "popularity", "recency", "name"].indexOf(sort) >= 0 ? sort : "relevance";
    FACETS.forEach(function (key) {
      var chosen = params.getAll(key);
      boxes[key].forEach(function (box) { box.checked = chosen.indexOf(box.value) >= 0; });
    });
  }

  function selected() {
    var out = {};
    FACETS.forEach(function (key) {
      out[key] = boxes[key].filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    });
    return out;
  }

  function writeState(sel) {
    var params = new URLSearchParams();
    var q = input.value.trim();
    if (q) { params.set("q", q); }
    FACETS.forEach(function (key) { sel[key].forEach(function (v) { params.append(key, v); }); });
    if (sortSelect.value !== "relevance") { params.set("sort", sortSelect.value); }
    var query = params.toString();
    var target = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    try { window.history.replaceState(null, "", target); } catch (e) { /* file:// in some browsers */ }
  }

  function words(q) {
    return q.toLowerCase().split(/[^a-z0-9\u00c0-\uffff]+/).filter(function (w) { return w.length > 0; });
  }

  // lunr's query syntax (fields, ~, ^, *, +/-) is useful but throws on odd input; never let it
  // reach the user: fall back to the plain words, matched exactly and as prefixes.
  function search(q) {
    var results = null;
    try { results = index.search(q); } catch (e) { results = null; }
    if (!results || results.length === 0) {
      var terms = words(q);
      if (!terms.length) { return []; }
      try {
        results = index.query(function (query) {
          terms.forEach(function (t) {
            query.term(t, { boost: 10 });
            query.term(t, { usePipeline: false, wildcard: window.lunr.Query.wildcard.TRAILING });
          });
        });
      } catch (e) { results = []; }
    }
    return results;
  }

  function matchesFacets(card, sel, skip) {
    for (var k = 0; k < FACETS.length; k++) {
      var key = FACETS[k];
      if (key === skip || !sel[key].length) { continue; }
      var ok = false;
      for (var j = 0; j < sel[key].length; j++) {
        if (card[key].indexOf(sel[key][j]) >= 0) { ok = true; break; }
      }
      if (!ok) { return false; }
    }
    return true;
  }

  function highlight(el, text, re) {
    el.textContent = "";
    if (!re) { el.textContent = text; return; }
    var last = 0;
    text.replace(re, function (match, offset) {
      if (offset > last) { el.appendChild(document.createTextNode(text.slice(last, offset))); }
      var mark = document.createElement("mark");
      mark.textContent = match;
      el.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) { el.appendChild(document.createTextNode(text.slice(last))); }
  }

  function termRegex(q) {
    var terms = words(q).filter(function (t) { return t.length > 1; });
    if (!terms.length) { return null; }
    var escaped = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("\\b(?:" + escaped.join("|") + ")[\\w-]*", "gi");
  }

  function apply() {
    var q = input.value.trim();
    var sel = selected();
    writeState(sel);
    if (q && !index) { ensureIndex(); }
    var scores = null;
    if (q && index) {
      scores = {};
      search(q).forEach(function (r) { scores[r.ref] = r.score; });
    }
    var inQuery = cards.filter(function (c) { return !scores || scores[c.ref] !== undefined; });
    var shown = inQuery.filter(function (c) { return matchesFacets(c, sel, null); });
    var sort = sortSelect.value;
    shown.sort(function (a, b) {
      if (sort === "popularity" && a.uses !== b.uses) { return b.uses - a.uses; }
      if (sort === "recency" && a.updated !== b.updated) { return a.updated < b.updated ? 1 : -1; }
      if (sort === "relevance" && scores && scores[a.ref] !== scores[b.ref]) { return scores[b.ref] - scores[a.ref]; }
      return a.order - b.order;
    });
    var re = scores ? termRegex(q) : null;
    var visible = shown.slice(0, limit);
    visible.forEach(function (c) { highlight(c.link, c.name, re); highlight(c.desc, c.descText, re); });
    list.replaceChildren.apply(list, visible.map(function (c) { return c.el; }));
    FACETS.forEach(function (key) {
      var counts = {};
      inQuery.forEach(function (c) {
        if (!matchesFacets(c, sel, key)) { return; }
        c[key].forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      boxes[key].forEach(function (box) {
        var n = counts[box.value] || 0;
        var li = box.closest("li");
        li.querySelector(".count").textContent = String(n);
        li.classList.toggle("zero", n === 0 && !box.checked);
      });
    });
    var pending = q && !index;
    status.textContent = pending ? "Loading search…" :
      shown.length.toLocaleString("en") + (shown.length === 1 ? " skill" : " skills") + (q ? " match" + (shown.length === 1 ? "es" : "") + " \u201c" + q + "\u201d" : "");
    empty.hidden = shown.length > 0 || pending;
    more.hidden = shown.length <= limit;
    clear.hidden = !FACETS.some(function (k) { return sel[k].length; });
    if (scores && focusAt !== null && !timed) {
      timed = true;
      window.relayFirstResultsMs = performance.now() - focusAt;
    }
    document.body.dataset.searchState = pending ? "loading" : "ready";
  }

  function safeApply() {
    try { apply(); } catch (e) { status.textContent = "Search is unavailable; showing every skill."; }
  }

  function loadScript(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    s.onerror = function () { loading = false; status.textContent = "Search index failed to load."; };
    document.head.appendChild(s);
  }

  // lunr.js and the index are fetched side by side; the index is built once both are in.
  function ensureIndex() {
    if (index || loading) { return; }
    loading = true;
    var waiting = 2;
    function ready() {
      waiting -= 1;
      if (waiting > 0) { return; }
      try { index = window.lunr.Index.load(window.RELAY_SEARCH_INDEX); } catch (e) { index = null; }
      window.RELAY_SEARCH_INDEX = null;
      loading = false;
      safeApply();
    }
    loadScript(input.dataset.lunr, ready);
    loadScript(input.dataset.index, ready);
  }

  input.addEventListener("focus", function () {
    if (focusAt === null) { focusAt = performance.now(); }
    ensureIndex();
  });
  input.addEventListener("input", function () {
    limit = PAGE;
    if (input.value.trim() && !index) {
      // Until the index is in, filtering would show every card again: just say so, and let
      // the index's arrival run the search once (keystrokes must not delay its loading).
      ensureIndex();
      status.textContent = "Loading search…";
      document.body.dataset.searchState = "loading";
      return;
    }
    safeApply();
  });
  sortSelect.addEventListener("change", safeApply);
  FACETS.forEach(function (key) {
    boxes[key].forEach(function (box) { box.addEventListener("change", function () { limit = PAGE; safeApply(); }); });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); safeApply(); });
  more.addEventListener("click", function () { limit += PAGE * 4; safeApply(); });
  clear.addEventListener("click", function () {
    FACETS.forEach(function (key) { boxes[key].forEach(function (b) { b.checked = false; }); });
    safeApply();
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });
  window.addEventListener("popstate", function () { readState(); safeApply(); });
  readState();
  safeApply();
})();
