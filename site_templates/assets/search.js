/* The catalog's search, shared by the page (catalog.js) and the benchmark and tests (in node):
   relayIndex(lunr, data) -> lunr.Index, from the compact index that builder/search.py writes;
   relaySearch(lunr, index, q, names) -> [{ref, score, exact, strong, matched}], best first.
   It ranks as registry/search/index.py does: the query's words as plain lunr terms through the
   index's pipeline (trimmer, stop words, stemmer), lunr's syntax only when typed, prefixes when
   no word matches, a skill whose name is the query first, ties by catalog order. */
(function (root) {
  "use strict";

  /* The compact index holds each (term, skill) weight once: per field, per skill (its ref, the
     card's position), a list [term number, weight x scale, ...] with each term number written as
     the difference from the one before, and the terms themselves, sorted as lunr sorts them.
     lunr.Index.load wants every posting and every field vector as objects up front; at 10,000
     skills making them was most of the time to first results. A query reads postings only for
     its own terms and field vectors only for the skills those match, so both are made on first
     use (behind a Proxy), from one pass that lists each (field, term)'s refs in typed arrays. */
  function relayIndex(lunr, data) {
    var fields = data.fields, terms = data.terms, vectors = data.vectors, scale = data.scale;
    var nFields = fields.length, nTerms = terms.length, nRefs = nFields ? vectors[0].length : 0;
    if (data.version !== lunr.version) {
      lunr.utils.warn("search index for lunr " + data.version + ", running lunr " + lunr.version);
    }
    // refs of (field f, term t) are refs[starts[f * nTerms + t] .. starts[f * nTerms + t + 1]], ascending
    var starts = new Int32Array(nFields * nTerms + 1), f, i, k, t, v;
    for (f = 0; f < nFields; f++) {
      for (i = 0; i < nRefs; i++) {
        for (v = vectors[f][i], t = 0, k = 0; k < v.length; k += 2) { t += v[k]; starts[f * nTerms + t + 1] += 1; }
      }
    }
    for (k = 1; k < starts.length; k++) { starts[k] += starts[k - 1]; }
    var refs = new Int32Array(starts[starts.length - 1]), fill = starts.slice(0, -1);
    for (f = 0; f < nFields; f++) {
      for (i = 0; i < nRefs; i++) {
        for (v = vectors[f][i], t = 0, k = 0; k < v.length; k += 2) { t += v[k]; refs[fill[f * nTerms + t]++] = i; }
      }
    }

    var none = {};  // lunr copies a posting's metadata and never changes it: one empty object for all
    function posting(t) {
      var out = { _index: t };
      for (var f = 0; f < nFields; f++) {
        var byRef = {};
        for (var k = starts[f * nTerms + t]; k < starts[f * nTerms + t + 1]; k++) { byRef[refs[k]] = none; }
        out[fields[f]] = byRef;
      }
      return out;
    }
    function lowerBound(word) {  // the first term >= word: terms are sorted by UTF-16 code units, as < compares
      var lo = 0, hi = nTerms;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (terms[mid] < word) { lo = mid + 1; } else { hi = mid; }
      }
      return lo;
    }
    function termNumber(term) {
      var t = lowerBound(term);
      return terms[t] === term ? t : -1;
    }
    /* lunr's TokenSet, a trie of every term, takes about 20 microseconds a term to build: a second
       at the tens of thousands of terms of a real 10,000-skill catalog. lunr asks it only to expand
       a query term (tokenSet.intersect(termSet).toArray()); a word or a prefix (all relaySearch
       sends unless lunr syntax is typed) is read off the sorted terms by binary search, and the
       trie is built only for other patterns (fuzzy `~1`, a leading or inner `*`), on first use. */
    function found(words) { return { toArray: function () { return words; } }; }
    var trie = null;
    var tokenSet = {
      intersect: function (query) {
        var word = "", node = query, keys;
        for (;;) {  // follow a chain of single characters: a word, or a prefix ending in `*`
          keys = Object.keys(node.edges);
          if (node.final && keys.length === 0) { return found(termNumber(word) < 0 ? [] : [word]); }
          if (node.final && keys.length === 1 && keys[0] === "*" && node.edges["*"] === node) {
            var out = [];
            for (var t = lowerBound(word); t < nTerms && terms[t].slice(0, word.length) === word; t++) { out.push(terms[t]); }
            return found(out);
          }
          if (node.final || keys.length !== 1 || keys[0] === "*") { break; }
          word += keys[0];
          node = node.edges[keys[0]];
        }
        trie = trie || lunr.TokenSet.fromArray(terms);
        return trie.intersect(query);
      }
    };
    function vector(key) {  // "field/ref", as lunr.FieldRef writes it
      var slash = key.indexOf("/"), f = fields.indexOf(key.slice(0, slash)), ref = +key.slice(slash + 1);
      var raw = f < 0 ? null : vectors[f][ref];
      if (!raw || key.slice(slash + 1) !== String(ref)) { return undefined; }
      var elements = new Array(raw.length);
      for (var k = 0, t = 0; k < raw.length; k += 2) { t += raw[k]; elements[k] = t; elements[k + 1] = raw[k + 1] / scale; }
      return new lunr.Vector(elements);
    }
    function lazy(make, keys) {
      var made = new Map();
      function get(key) {
        if (typeof key !== "string") { return undefined; }
        if (!made.has(key)) { made.set(key, make(key)); }
        return made.get(key);
      }
      return new Proxy({}, {
        get: function (target, key) { return get(key); },
        has: function (target, key) { return get(key) !== undefined; },
        ownKeys: keys,  // lunr lists every field vector only for a query of nothing but -terms
        getOwnPropertyDescriptor: function (target, key) {
          var value = get(key);
          return value === undefined ? undefined : { value: value, writable: true, enumerable: true, configurable: true };
        }
      });
    }
    var index = new lunr.Index({
      fields: fields,
      pipeline: lunr.Pipeline.load(data.pipeline),
      tokenSet: tokenSet,
      invertedIndex: lazy(function (term) { var t = termNumber(term); return t < 0 ? undefined : posting(t); },
                          function () { return terms.slice(); }),
      fieldVectors: lazy(vector, function () {
        var keys = [];
        fields.forEach(function (field) { for (var i = 0; i < nRefs; i++) { keys.push(field + "/" + i); } });
        return keys;
      })
    });
    index.relay = data.relay;
    return index;
  }

  function nameKey(text) { return text.toLowerCase().replace(/[^a-z0-9]+/g, ""); }

  // refs by name key, made once per list of names (10,000 names took 10-15 ms a query)
  var named = { names: null, count: -1, refs: null };
  function refsNamed(names, key) {
    if (named.names !== names || named.count !== names.length) {
      var refs = new Map();
      names.forEach(function (name, ref) {
        var k = nameKey(name);
        if (!refs.has(k)) { refs.set(k, []); }
        refs.get(k).push(ref);
      });
      named = { names: names, count: names.length, refs: refs };
    }
    return named.refs.get(key) || [];
  }

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

  // The last query's lunr results, kept on the index: the page runs a query as soon as the index
  // is in and draws it when the cards arrive; keystrokes queued meanwhile repeat the same query.
  function ranked(lunr, index, q) {
    if (!index.relayLast || index.relayLast.q !== q) { index.relayLast = { q: q, results: run(lunr, index, q) }; }
    return index.relayLast.results;
  }

  function relaySearch(lunr, index, q, names) {
    if (!q.trim()) { return []; }  // no words: the page lists the catalog itself
    var strongShare = (index.relay && index.relay.strong) || 0.5;
    var key = nameKey(q);
    var out = ranked(lunr, index, q).map(function (r) {
      var terms = {};
      Object.keys(r.matchData.metadata).forEach(function (t) { terms[t] = true; });
      return { ref: parseInt(r.ref, 10), score: Math.round(r.score * 1e6) / 1e6, exact: false,
               strong: false, matched: Object.keys(terms).length };
    });
    var seen = {};
    out.forEach(function (r) { seen[r.ref] = r; });
    if (key) {
      refsNamed(names, key).forEach(function (ref) {
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

  root.relayIndex = relayIndex;
  root.relaySearch = relaySearch;
})(typeof window !== "undefined" ? window : globalThis);
