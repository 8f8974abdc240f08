/* The catalog: search (lunr.js and the index's head, a few KB, run with the page; then for each
   query the term shards its words need, see search.js), facets with live counts, sorting,
   and all of it in the URL query string so a search can be shared. The list works without it.
   The page holds only its own cards (the first page of the catalog, or another one). On first
   use this script loads every card's lean data (assets/cards/keys.js: names, facet values,
   dates, usage); from then on it searches, filters, sorts and pages the
   whole catalog, building card elements only for what it shows. Descriptions and zip links come
   in blocks by position (assets/cards/<n>.js), those of the cards shown first: a card drawn
   before its block is in gets them when it arrives (builder/cards.py). */
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
  var FACETS = ["kind", "tag", "category", "owner", "license"];
  var noun = list.dataset.noun || "skill";
  var facetsPanel = document.getElementById("facets");
  var filtersToggle = document.getElementById("filters-toggle");
  var PAGE = 60;
  var limit = PAGE;
  var head = null;  // assets/search-index.js: fields, pipeline, the list of term shards
  var early = null;  // the head as soon as it is in, lunr.js maybe not yet (see prefetch)
  var loading = false;
  var shards = {};  // shard id -> its data once loaded (null while loading)
  var shardFailed = false;
  var indexes = { key: null, index: null };  // the index over the last query's shards
  var focusAt = null;
  var timed = false;
  var completing = false;  // the first search is drawn, some of its descriptions are not in yet
  var shownCards = [];  // the cards of the list as last drawn

  var pager = document.getElementById("pager");
  var root = input.dataset.root || "";
  var firstPage = !pager || list.dataset.page === "1";
  var data = null;  // window.RELAY_CARDS, once assets/cards/keys.js is in (builder/cards.py)
  var blocks = {};  // block number -> its rows [description, zip id], once in
  var asked = {};  // block numbers requested
  var backgroundAsked = false;  // every block asked for (after a first draw)
  var made = [];  // card objects by ref (a card's position in the catalog, its ref in the index)
  var cardsLoading = false;
  var names = [];  // skill names by ref
  var lastRe = null;  // the highlighted words of the last list drawn
  var drawn = null;  // what the list shows: {key: drawnKey(...), shown, strong}, null if not known
  var urlTimer = null;  // a URL update waiting for the typing to pause
  var URL_DELAY = 400;  // ms without a keystroke before the URL follows the search box
  var valueAt = {};  // facet -> Map of value -> its number in keys.js

  function values(key, i) {
    var v = data.columns[key][i], table = data.values[key];
    if (key === "tag") { return v.map(function (n) { return table[n]; }); }
    return v < 0 ? [] : [table[v]];
  }

  function href(i) {
    var own = data.hrefs[i];
    return own !== undefined ? own : "skills/" + data.names[i] + (data.pretty ? "/" : "/index.html");
  }

  // A card's description and zip, from its block once that is in.
  function fill(c) {
    var rows = blocks[Math.floor(c.order / data.block)];
    if (c.filled || !rows) { return false; }
    var row = rows[c.order % data.block];
    c.descText = row[0];
    c.zip = row[1] ? root + "zips/" + c.name + "-" + row[1] + ".zip" : "";
    c.filled = true;
    return true;
  }

  // A search draws only the cards it matches: objects for all 10,000 cards cost tens of ms.
  function card(i) {
    if (made[i]) { return made[i]; }
    var uses = data.uses[i], hours = data.hours[i];  // a list, or {position: value} (cards.py)
    var c = {
      el: null, order: i, ref: String(i), name: data.names[i], href: root + href(i), descText: "", zip: "",
      filled: false, kind: values("kind", i), tag: values("tag", i), category: values("category", i),
      owner: values("owner", i), license: values("license", i), updated: data.values.updated[data.columns.updated[i]],
      versions: data.versions[i], uses: uses || 0, usage: uses != null, hours: hours == null ? null : hours
    };
    fill(c);
    made[i] = c;
    return c;
  }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  // The same markup as catalog.html's cards.
  function element(c) {
    if (c.el) { return c.el; }
    var li = node("li", "card");
    var title = li.appendChild(node("h3", "card-title"));
    c.link = title.appendChild(node("a", "", c.name));
    c.link.href = c.href;
    if (c.kind[0] !== "skill") {
      title.appendChild(document.createTextNode(" "));
      title.appendChild(node("span", "tag kind", c.kind[0]));
    }
    c.desc = li.appendChild(node("p", "card-desc", c.descText));
    var tags = li.appendChild(node("p", "card-tags"));
    c.tag.forEach(function (t) { tags.appendChild(node("span", "tag", t)); });
    var meta = li.appendChild(node("p", "card-meta"));
    var owner = meta.appendChild(node("span", "", c.owner[0] || "no owner"));
    owner.title = "Owner";
    if (c.updated) {
      var updated = meta.appendChild(node("span", "", "Updated "));
      var time = updated.appendChild(node("time", "", c.updated));
      time.setAttribute("datetime", c.updated);
    }
    meta.appendChild(node("span", "", c.versions + " version" + (c.versions === 1 ? "" : "s")));
    if (c.usage) {
      meta.appendChild(node("span", "", thousands(c.uses) + (c.uses === 1 ? " use" : " uses")));
      if (c.hours !== null) { meta.appendChild(node("span", "", c.hours.toFixed(1) + " h saved")); }
    }
    c.actions = c.kind[0] === "skill" ? li.appendChild(node("p", "card-actions")) : null;
    if (c.actions) {
      var install = c.actions.appendChild(node("a", "card-install", "Install"));
      install.href = c.href + "#install";
      install.setAttribute("aria-label", "Install " + c.name);
    }
    addZip(c);
    li.classList.toggle("pending", !c.filled);
    c.el = li;
    return li;
  }

  function addZip(c) {
    if (!c.actions || !c.zip) { return; }
    c.actions.appendChild(document.createTextNode(" "));
    var zip = c.actions.appendChild(node("a", "", "Zip"));
    zip.href = c.zip;
    zip.setAttribute("download", "");
    zip.setAttribute("aria-label", "Download " + c.name + " as a zip");
  }

  var boxes = {};
  FACETS.forEach(function (key) {
    boxes[key] = Array.prototype.slice.call(document.querySelectorAll('input[type=checkbox][name="' + key + '"]'));
  });

  // Each checkbox's list item and count, found once; a count is written only when it changes.
  var counters = {};
  FACETS.forEach(function (key) {
    counters[key] = boxes[key].map(function (box) {
      var li = box.closest("li"), count = li.querySelector(".count");
      return { box: box, li: li, count: count, text: count.textContent };
    });
  });

  /* Each facet's counts over the query's cards that match every other facet's selection, in
     one pass over the cards for all facets (five passes and a DOM lookup for each checkbox
     took a few ms of the first search, before its list could be painted). */
  function countFacets(inQuery, ids) {
    var counts = FACETS.map(function (key) { return new Int32Array(data.values[key].length); });
    var columns = FACETS.map(function (key) { return data.columns[key]; });
    var filtered = FACETS.some(function (key) { return ids[key].any; });
    for (var n = 0; n < inQuery.length; n++) {
      var i = inQuery[n];
      for (var k = 0; k < FACETS.length; k++) {
        if (filtered && !matchesFacets(i, ids, FACETS[k])) { continue; }
        var v = columns[k][i], c = counts[k];
        if (FACETS[k] !== "tag") { if (v >= 0) { c[v] += 1; } continue; }
        for (var j = 0; j < v.length; j++) { c[v[j]] += 1; }
      }
    }
    FACETS.forEach(function (key, k) {
      counters[key].forEach(function (counter) {
        var at = valueAt[key].get(counter.box.value), number = at === undefined ? 0 : counts[k][at];
        var text = String(number);
        if (counter.text !== text) { counter.count.textContent = text; counter.text = text; }
        counter.li.classList.toggle("zero", number === 0 && !counter.box.checked);
      });
    });
  }

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
    if (target === window.location.pathname + window.location.search + window.location.hash) { return; }
    try { window.history.replaceState(null, "", target); } catch (e) { /* file:// in some browsers */ }
  }

  /* The URL follows the page's state. While typing, once the typing pauses and the search
     typed is drawn (or at once when focus leaves the box or the page is left): a history
     update took the main thread several ms each (tens under load), and Chromium fetched the
     favicon again after each, while the first search waited. A filter, sort or submit
     updates it at once. */
  function urlSoon() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { if (awaited()) { urlSoon(); } else { urlNow(); } }, URL_DELAY);
  }

  function urlNow() {
    clearTimeout(urlTimer);
    urlTimer = null;
    writeState(selected());
  }

  function urlPending() {
    if (urlTimer !== null) { urlNow(); }
  }

  // What decides the list's content: a state drawn already is not drawn again (one more letter
  // of a one-letter query, or an arrival that changes nothing, only updates the status line).
  function drawnKey(q, sel) {
    return JSON.stringify([q, sel, sortSelect.value, limit]);
  }

  function showStatus(typed, q) {
    var weaker = drawn.shown - drawn.strong;
    status.textContent = !q ? count(drawn.shown, noun) + (typed ? " \u00b7 type another letter to search" : "") :
      count(drawn.strong, "strong match", "strong matches") + " for \u201c" + q + "\u201d" +
      (weaker > 0 ? " \u00b7 " + count(weaker, "weaker match", "weaker matches") + " (fewer words in common)" : "");
  }

  function words(q) {
    return q.toLowerCase().split(/[^a-z0-9\u00c0-\uffff]+/).filter(function (w) { return w.length > 0; });
  }

  // The selected facet values as the numbers keys.js writes them (a value no card has: none).
  function selectedIds(sel) {
    var out = {};
    FACETS.forEach(function (key) {
      out[key] = sel[key].filter(function (v) { return valueAt[key].has(v); })
        .map(function (v) { return valueAt[key].get(v); });
      out[key].any = sel[key].length > 0;
    });
    return out;
  }

  // Card i has one of the selected values of every facet but `skip`: read off the columns, so
  // a search or filter over 10,000 cards makes no object for the cards it does not show.
  function matchesFacets(i, ids, skip) {
    for (var k = 0; k < FACETS.length; k++) {
      var key = FACETS[k];
      if (key === skip || !ids[key].any) { continue; }
      var v = data.columns[key][i], chosen = ids[key], ok = false;
      for (var j = 0; j < chosen.length && !ok; j++) {
        ok = key === "tag" ? v.indexOf(chosen[j]) >= 0 : v === chosen[j];
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

  // One character is no search yet: as a prefix it matches nearly every skill (at 10,000 skills,
  // a second or more of lunr on a loaded machine, for no ranking worth showing), so the list
  // stays the catalog's until a second character comes.
  function query() {
    var typed = input.value.trim();
    return typed.length > 1 ? typed : "";
  }

  function apply() {
    var typed = input.value.trim();
    var q = query();
    var sel = selected();
    if (!data) {
      ensureCards();
      status.textContent = "Loading the catalog…";
      document.body.dataset.searchState = "loading";
      return;
    }
    if (pager) { pager.hidden = true; }
    var key = drawnKey(q, sel);
    if (drawn && drawn.key === key) {
      if (drawn.shown === null) { drawn.shown = drawn.strong = data.count; }  // the page as built
      showStatus(typed, q);
      document.body.dataset.searchState = "ready";
      return;
    }
    drawn = null;  // until this draw is done
    if (q && !head) { ensureIndex(); }
    var index = q && head ? indexFor(q) : null;
    if (q && !index) {  // the index or this query's shards are on their way: keep the list as it is
      status.textContent = shardFailed ? "Search index failed to load." : "Loading search…";
      document.body.dataset.searchState = shardFailed ? "ready" : "loading";
      return;
    }
    // Ranked by search.js, as the MCP service ranks. Strong matches score at least a share of
    // the best one; the rest share fewer or commoner words and are set apart, not counted as equals.
    var scores = null;
    var rank = null;  // by ref: a result's place in the ranking, -1 when it does not match
    var strongRefs = null;
    if (q && index) {
      scores = window.relaySearch(window.lunr, index, q, names);
      rank = new Int32Array(data.count).fill(-1);
      strongRefs = new Uint8Array(data.count);
      scores.forEach(function (r, i) {
        if (r.ref < data.count) { rank[r.ref] = i; strongRefs[r.ref] = r.strong ? 1 : 0; }
      });
    }
    var inQuery = [];
    for (var i = 0; i < data.count; i++) { if (!rank || rank[i] >= 0) { inQuery.push(i); } }
    var ids = selectedIds(sel);
    var shown = inQuery.filter(function (i) { return matchesFacets(i, ids, null); });
    var sort = sortSelect.value;
    var updated = data.columns.updated, dates = data.values.updated;
    shown.sort(function (a, b) {
      var used = sort === "popularity" ? (data.uses[b] || 0) - (data.uses[a] || 0) : 0;
      if (used !== 0) { return used; }
      if (sort === "recency" && updated[a] !== updated[b]) { return dates[updated[a]] < dates[updated[b]] ? 1 : -1; }
      if (sort === "relevance" && rank) { return rank[a] - rank[b]; }
      return a - b;
    });
    var re = scores ? termRegex(q) : null;
    lastRe = re;
    var visible = shown.slice(0, limit).map(card);
    var strong = scores ? shown.filter(function (i) { return strongRefs[i]; }).length : shown.length;
    visible.forEach(function (c) {
      element(c); highlight(c.link, c.name, re); highlight(c.desc, c.descText, re);
      c.el.classList.toggle("weak", scores !== null && sort === "relevance" && !strongRefs[c.order]);
    });
    list.replaceChildren.apply(list, visible.map(function (c) { return c.el; }));
    shownCards = visible;
    countFacets(inQuery, ids);
    drawn = { key: key, shown: shown.length, strong: strong };
    showStatus(typed, q);
    empty.hidden = shown.length > 0;
    more.hidden = shown.length <= limit;
    var filtered = FACETS.some(function (k) { return sel[k].length; });
    clear.hidden = !filtered;
    if (filtersToggle) {
      var n = FACETS.reduce(function (sum, k) { return sum + sel[k].length; }, 0);
      filtersToggle.textContent = filtered ? "Filters (" + n + ")" : "Filters";
    }
    if (scores && focusAt !== null && !timed) {
      timed = true;
      window.relayFirstResultsMs = performance.now() - focusAt;
      mark("first-results");
      completing = true;
    }
    askBlocks(visible);
    completed();
    document.body.dataset.searchState = "ready";
  }

  // User Timing marks (DevTools shows them; bench/site.py reads them to say where the time goes)
  function mark(name) {
    try { performance.mark("relay:" + name); } catch (e) { /* marks are optional */ }
  }

  function count(n, one, many) {
    return thousands(n) + " " + (n === 1 ? one : (many || one + "s"));
  }

  // 12,345: toLocaleString("en") first loads the browser's locale data (20-70 ms on first results)
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // Loaded on a hover or a bare focus, the index and cards change nothing on the page (a catalog
  // page other than the first keeps its cards); a search, filter or sort waiting for them is drawn.
  function awaited() { return document.body.dataset.searchState === "loading"; }

  function safeApply() {
    try { apply(); } catch (e) { status.textContent = "Search is unavailable; showing every skill."; }
  }

  function loadScript(src, done, failed) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = done;
    s.onerror = failed || function () { loading = false; status.textContent = "Search index failed to load."; };
    document.head.appendChild(s);
  }

  function ensureCards() {
    if (data || cardsLoading) { return; }
    cardsLoading = true;
    loadScript(input.dataset.cards, function () {
      var loaded = window.RELAY_CARDS;
      data = loaded && Array.isArray(loaded.names) ? loaded : null;
      names = data ? data.names : [];
      FACETS.forEach(function (key) {
        valueAt[key] = new Map((data ? data.values[key] : []).map(function (v, n) { return [v, n]; }));
      });
      mark("cards");
      window.RELAY_CARDS = null;
      cardsLoading = false;
      if (!data) { status.textContent = "The catalog failed to load; use the page links."; } else if (awaited()) { safeApply(); }
    }, function () {
      cardsLoading = false;
      status.textContent = "The catalog failed to load; use the page links.";
    });
  }

  // Descriptions and zips: the blocks of the cards shown first, then every other one in the
  // background (a filter or "Show more" may show any card next).
  function askBlocks(shown) {
    shown.forEach(function (c) { askBlock(Math.floor(c.order / data.block)); });
    if (backgroundAsked) { return; }
    backgroundAsked = true;
    // after the list is on screen: each request costs the main thread a little
    requestAnimationFrame(function () {
      setTimeout(function () {
        for (var n = 0; n * data.block < data.count; n++) { askBlock(n); }
      }, 0);
    });
  }

  function askBlock(n) {
    if (asked[n]) { return; }
    asked[n] = true;
    loadScript(input.dataset.cards.replace(/keys\.js$/, n + ".js"), function () { blockIn(n); }, function () {
      asked[n] = false;  // asked again by the next search, filter or sort
      backgroundAsked = false;
    });
  }

  function blockIn(n) {
    var loaded = window.RELAY_CARD_BLOCKS || {};
    if (!Array.isArray(loaded[n])) { asked[n] = false; return; }
    blocks[n] = loaded[n];
    delete loaded[n];
    var end = Math.min((n + 1) * data.block, data.count);
    for (var i = n * data.block; i < end; i++) {
      var c = made[i];
      if (c && fill(c) && c.el) {
        highlight(c.desc, c.descText, lastRe);
        addZip(c);
        c.el.classList.remove("pending");
      }
    }
    completed();
  }

  // The first search's cards all complete (descriptions in): bench/site.py reports it too.
  function completed() {
    if (!completing || !shownCards.every(function (c) { return c.filled; })) { return; }
    completing = false;
    window.relayFirstCompleteMs = performance.now() - focusAt;
    mark("first-complete");
  }

  /* lunr.js and the index's head are fetched side by side; then the query's shards, if any.
     The head alone is enough to ask for the shards of the words typed (relayShardsGuess): they
     download while lunr.js and the card keys are still on their way, and while the next
     keystrokes come (the first search waited for the second letter after the index was in). */
  function ensureIndex() {
    if (head || loading) { return; }
    loading = true;
    var waiting = 2;
    function ready() {
      waiting -= 1;
      if (waiting > 0) { return; }
      head = window.RELAY_SEARCH_INDEX || null;
      loading = false;
      mark("index");
      var q = query();
      if (q) { indexFor(q); }  // start loading the query's shards now
      if (head && awaited()) { safeApply(); }
      setTimeout(warmUp, 0);
    }
    loadScript(input.dataset.lunr, ready);
    loadScript(input.dataset.index, function () {
      early = window.RELAY_SEARCH_INDEX || null;
      prefetch();
      ready();
    });
  }

  // Before lunr.js is in: ask for the shards the words typed so far will need.
  function prefetch() {
    var q = query();
    if (head || !early || !q) { return; }
    window.relayShardsGuess(early, q).forEach(loadShard);
  }

  /* lunr's and search.js's code is compiled on its first run: once lunr and the head are in
     (with the page), a word and a prefix are searched over a made-up shard of one term, so the
     first real search runs compiled code, scoring included. Only once: it blocks the page (and
     keystrokes) for as long as it runs. */
  var warmed = false;
  function warmUp() {
    if (!head || !window.lunr || warmed) { return; }
    warmed = true;
    var made = { terms: ["warm"], postings: [[0, head.scale, 0]] };  // ref 0, weight 1, first field
    try {
      var index = window.relayIndex(window.lunr, head, { wa: made });
      window.relaySearch(window.lunr, index, "warming", []);
      window.relaySearch(window.lunr, index, "wa", []);  // no such word: the prefix fallback
    } catch (e) { /* the search will say */ }
  }

  /* The index for query `q`: built from the shards its terms need (search.js's relayShardsFor),
     or null while some are loading (each a script tag, so file:// works; their arrival draws
     the search). Shards stay loaded; the index of the last set of shards is kept. */
  function indexFor(q) {
    var index = indexOver(window.relayShardsFor(window.lunr, head, q));
    var more = index ? window.relayPrefixShards(window.lunr, head, q, index) : [];
    return more.length ? indexOver(more) : index;
  }

  function indexOver(ids) {
    var missing = 0;
    ids.forEach(function (id) {
      loadShard(id);
      if (shards[id] === null) { missing += 1; }
    });
    if (missing) { return null; }
    var key = ids.join(" ");
    if (indexes.key !== key) {
      var picked = {};
      ids.forEach(function (id) { picked[id] = shards[id]; });
      indexes = { key: key, index: window.relayIndex(window.lunr, head, picked) };
    }
    return indexes.index;
  }

  // Ask for shard `id` unless it is loaded or on its way (null).
  function loadShard(id) {
    if (shards[id] !== undefined) { return; }
    shards[id] = null;
    var folder = input.dataset.index.replace(/search-index\.js$/, "search/");
    loadScript(folder + id + ".js", function () {
      var all = window.RELAY_SEARCH_SHARDS || {};
      shards[id] = all[id] || { terms: [], postings: [] };
      all[id] = null;
      // The cards may still be on their way: run the search now (search.js keeps the last
      // result), so their arrival only has to draw it.
      var q = query(), index = q && head && !data ? indexFor(q) : null;
      if (index) { try { window.relaySearch(window.lunr, index, q, names); } catch (e) { /* apply says */ } }
      if (awaited()) { safeApply(); }
    }, function () {
      shardFailed = true;
      delete shards[id];
      if (awaited()) { safeApply(); }
    });
  }

  input.addEventListener("focus", function () {
    if (focusAt === null) { focusAt = performance.now(); mark("focus"); }
    ensureIndex();
    ensureCards();
  });
  // A pointer over the search box usually means a search is coming: start loading then, a few
  // hundred ms before the click that focuses it (a page that is only read loads nothing).
  form.addEventListener("pointerenter", function () { ensureIndex(); ensureCards(); });
  input.addEventListener("input", function () {
    limit = PAGE;
    urlSoon();
    if (input.value.trim() && (!head || !data)) {
      // Until the index is in, filtering would show every card again: just say so, and let
      // the index's arrival run the search once (keystrokes must not delay its loading).
      ensureIndex();
      ensureCards();
      var q = query();
      if (q && head) { indexFor(q); } else { prefetch(); }  // the shards need no card
      status.textContent = "Loading search…";
      document.body.dataset.searchState = "loading";
      return;
    }
    safeApply();
  });
  input.addEventListener("blur", urlPending);
  window.addEventListener("pagehide", urlPending);
  sortSelect.addEventListener("change", function () { urlNow(); safeApply(); });
  FACETS.forEach(function (key) {
    boxes[key].forEach(function (box) { box.addEventListener("change", function () { limit = PAGE; urlNow(); safeApply(); }); });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); urlNow(); safeApply(); });
  more.addEventListener("click", function () { limit += PAGE * 4; safeApply(); });
  clear.addEventListener("click", function () {
    FACETS.forEach(function (key) { boxes[key].forEach(function (b) { b.checked = false; }); });
    urlNow();
    safeApply();
  });
  // On narrow screens the filters fold behind a button (the stylesheet shows it there only).
  if (filtersToggle && facetsPanel) {
    filtersToggle.addEventListener("click", function () {
      var open = !facetsPanel.classList.contains("open");
      facetsPanel.classList.toggle("open", open);
      filtersToggle.setAttribute("aria-expanded", String(open));
    });
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });
  window.addEventListener("popstate", function () {
    clearTimeout(urlTimer);  // the URL is the state now
    urlTimer = null;
    readState();
    safeApply();
  });
  readState();
  if (window.location.search) {
    safeApply();  // a shared search or filter: needs every card
  } else {
    more.hidden = !(pager && firstPage);  // the page as built is right; more on demand
    // the first page as built is the catalog unsearched: a one-letter query leaves it as it is
    if (firstPage) { drawn = { key: drawnKey("", selected()), shown: null, strong: null }; }
    document.body.dataset.searchState = "ready";
  }
  // lunr.js and the index's head came with the page (catalog.html preloads them): run them now,
  // so a search waits only for its term shards and the card keys (loaded on first use).
  ensureIndex();
})();
