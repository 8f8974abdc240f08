/* The catalog's search, shared by the page (catalog.js) and the benchmark and tests (in node):
   relaySearch(lunr, index, q, names) -> [{ref, score, exact, strong, matched}], best first.
   It ranks as registry/search/index.py does: the query's words as plain lunr terms through the
   index's pipeline (trimmer, stop words, stemmer), lunr's syntax only when typed, prefixes when
   no word matches, a skill whose name is the query first, ties by catalog order. */
(function (root) {
  "use strict";

  function nameKey(text) { return text.toLowerCase().replace(/[^a-z0-9]+/g, ""); }

  function trimmed(lunr, q) {
    return lunr.tokenizer(q).map(function (t) { return t.toString().replace(/^\W+/, "").replace(/\W+$/, ""); })
      .filter(function (t) { return t.length > 0; });
  }

  // lunr's syntax (name:x, x*, x~1, +x) throws on odd input: it never reaches the user.
  function run(lunr, index, q) {
    var results = null;
    if (/[:^~*+]/.test(q)) {
      try { results = index.search(q); } catch (e) { results = null; }
    }
    if (!results) {
      try {
        results = index.query(function (query) {
          lunr.tokenizer(q).forEach(function (t) { query.term(t.toString()); });
        });
      } catch (e) { results = []; }
    }
    if (results.length === 0) {
      var words = trimmed(lunr, q);
      try {
        results = words.length ? index.query(function (query) {
          words.forEach(function (t) { query.term(t, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING }); });
        }) : [];
      } catch (e) { results = []; }
    }
    return results;
  }

  function relaySearch(lunr, index, q, names) {
    if (!q.trim()) { return []; }  // no words: the page lists the catalog itself
    var strongShare = (index.relay && index.relay.strong) || 0.5;
    var key = nameKey(q);
    var out = run(lunr, index, q).map(function (r) {
      var terms = {};
      Object.keys(r.matchData.metadata).forEach(function (t) { terms[t] = true; });
      return { ref: parseInt(r.ref, 10), score: Math.round(r.score * 1e6) / 1e6, exact: false,
               strong: false, matched: Object.keys(terms).length };
    });
    var seen = {};
    out.forEach(function (r) { seen[r.ref] = r; });
    if (key) {
      names.forEach(function (name, ref) {
        if (nameKey(name) !== key) { return; }
        if (!seen[ref]) { seen[ref] = { ref: ref, score: 0, exact: false, strong: false, matched: 0 }; out.push(seen[ref]); }
        seen[ref].exact = true;
      });
    }
    var top = 0;
    out.forEach(function (r) { top = Math.max(top, r.score); });
    out.forEach(function (r) { r.strong = r.exact || r.score >= strongShare * top; });
    out.sort(function (a, b) {
      if (a.exact !== b.exact) { return a.exact ? -1 : 1; }
      if (a.score !== b.score) { return b.score - a.score; }
      return a.ref - b.ref;
    });
    return out;
  }

  root.relaySearch = relaySearch;
})(typeof window !== "undefined" ? window : globalThis);
