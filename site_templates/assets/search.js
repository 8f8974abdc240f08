/* The catalog's search, shared by the page (catalog.js) and the benchmark and tests (in node):
   relayShardsFor(lunr, head, q) -> the shard ids of a query's words (head: assets/search-index.js);
   relayShardsGuess(head, q) -> the same for plain words, without lunr.js (a prefetch, see below);
   relayPrefixShards(lunr, head, q, index) -> [] if the words match in `index` (over those shards),
     else the shards that the prefix fallback needs as well (see run());
   relayIndex(lunr, head, shards) -> lunr.Index over those shards ({id: data}, builder/search.py);
   relaySearch(lunr, index, q, names) -> [{ref, score, exact, strong, matched}], best first.
   It ranks as registry/search/index.py does: the query's words as plain lunr terms through the
   index's pipeline (trimmer, stop words, stemmer), lunr's syntax only when typed, prefixes when
   no word matches, a skill whose name is the query first, ties by catalog order. */
(function (root) {
  "use strict";

  /* Terms are split into shards by their first two UTF-16 code units, so a query loads only
     the shards of its own terms. An id is the key itself when it is lowercase ASCII letters or
     digits, else "x" and the code units in hex (builder/search.py's shard_id). */
  function shardId(term) {
    var key = term.slice(0, 2);
    if (/^[a-z0-9]{1,2}$/.test(key)) { return key; }
    var id = "x";
    for (var i = 0; i < key.length; i++) { id += ("000" + key.charCodeAt(i).toString(16)).slice(-4); }
    return id;
  }
  function shardKey(id) {
    if (id.length <= 2) { return id; }
    var key = "";
    for (var i = 1; i + 4 <= id.length; i += 4) { key += String.fromCharCode(parseInt(id.slice(i, i + 4), 16)); }
    return key;
  }

  /* The shards that a pattern (a term, maybe with `*` anywhere) can match: the literal part
     before the first `*` fixes the first two characters if it has two or more; one character
     means the shards whose key starts with it; none, or a fuzzy match (`~1` can change the
     first characters), means every shard. */
  function shardsOf(pattern, fuzzy, head, out) {
    var star = pattern.indexOf("*"), literal = star < 0 ? pattern : pattern.slice(0, star);
    if (!fuzzy && (star < 0 || literal.length >= 2)) {
      out[shardId(star < 0 ? pattern : literal)] = true;
      return;
    }
    var prefix = fuzzy ? "" : literal;
    head.shards.forEach(function (id) { if (shardKey(id).slice(0, prefix.length) === prefix) { out[id] = true; } });
  }

  // The shard ids of the words of `q`, as run() queries them first: lunr syntax, plain words.
  function relayShardsFor(lunr, head, q) {
    var out = {}, pipeline = lunr.Pipeline.load(head.pipeline);
    return wordShards(lunr, head, q, pipeline, out);
  }

  /* The shards of a query's plain words guessed before lunr.js is in, so the page can ask for
     them as soon as the index's head is: a word's shard is the first two characters of its
     term, and lunr's tokenizer (split on whitespace and hyphens, lowercase) and trimmer (no
     leading non-word characters) fix those, while the stemmer only changes a word's end (and
     leaves words under three letters alone). A stop word's shard is guessed too (the page
     asks for it once); a query with lunr syntax, or a one-letter word, guesses nothing. The
     page still asks relayShardsFor once lunr is in, which has the last word. */
  function relayShardsGuess(head, q) {
    if (/[:^~*+]/.test(q)) { return []; }
    var known = {}, out = {};
    head.shards.forEach(function (id) { known[id] = true; });
    q.toLowerCase().split(/[\s\-]+/).forEach(function (word) {
      var term = word.replace(/^\W+/, "").replace(/\W+$/, "");
      var id = term.length >= 2 ? shardId(term) : null;
      if (id && known[id]) { out[id] = true; }
    });
    return Object.keys(out).sort();
  }

  /* run() falls back to prefixes only when the words match nothing: the page asks this once
     the words' shards are in (`index`), so a query whose words match downloads nothing more. */
  function relayPrefixShards(lunr, head, q, index) {
    if (!q.trim()) { return []; }
    var last = index.relayLast;
    if (last && last.q === q && last.direct) { return []; }
    var results = direct(lunr, index, q);
    if (results.length) {  // what run() returns for q over this index: relaySearch need not run it again
      index.relayLast = { q: q, results: results, direct: true };
      return [];
    }
    var out = {};
    prefixWords(lunr, q).forEach(function (word) { shardsOf(word + "*", false, head, out); });
    return wordShards(lunr, head, q, lunr.Pipeline.load(head.pipeline), out);
  }

  function wordShards(lunr, head, q, pipeline, out) {
    if (!q.trim()) { return []; }
    if (/[:^~*+]/.test(q)) {
      try {
        var query = new lunr.Query(head.fields);
        new lunr.QueryParser(q, query).parse();
        query.clauses.forEach(function (clause) {
          var terms = clause.usePipeline ? pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
          var fuzzy = "editDistance" in clause && clause.editDistance > 0;
          terms.forEach(function (term) { shardsOf(term, fuzzy, head, out); });
        });
      } catch (e) { /* run() falls back to plain words */ }
    }
    lunr.tokenizer(q).forEach(function (token) {
      pipeline.runString(token.toString()).forEach(function (term) { shardsOf(term, false, head, out); });
    });
    var known = {};
    head.shards.forEach(function (id) { known[id] = true; });
    return Object.keys(out).filter(function (id) { return known[id]; }).sort();
  }

  /* A lunr.Index over the given shards' terms only. lunr scores a result by the dot product of
     the query vector and each field vector divided by the query vector's length, so a field
     vector needs only the entries of the query's terms: lunr reads a term's posting (its
     invertedIndex entry) before any field vector, so a vector is made, when asked for, from
     the terms read so far. Postings are decoded on first use. */
  function relayIndex(lunr, head, shards) {
    var fields = head.fields, scale = head.scale, nRefs = head.refs;
    if (head.version !== lunr.version) {
      lunr.utils.warn("search index for lunr " + head.version + ", running lunr " + lunr.version);
    }
    var ids = Object.keys(shards).filter(function (id) { return shards[id]; });
    ids.sort(function (a, b) { var ka = shardKey(a), kb = shardKey(b); return ka < kb ? -1 : ka > kb ? 1 : 0; });
    var terms = [], raw = [];  // each shard's terms are sorted and shards are ranges: sorted overall
    ids.forEach(function (id) {
      shards[id].terms.forEach(function (term, k) { terms.push(term); raw.push(shards[id].postings[k]); });
    });
    var nTerms = terms.length, decoded = new Array(nTerms), touched = [];

    function decode(t) {
      if (!decoded[t]) {
        var flat = raw[t], n = flat.length / 3, refs = new Int32Array(n), weights = new Float64Array(n),
          where = new Uint8Array(n), ref = 0;
        for (var k = 0; k < n; k++) { ref += flat[3 * k]; refs[k] = ref; weights[k] = flat[3 * k + 1] / scale; where[k] = flat[3 * k + 2]; }
        decoded[t] = { refs: refs, weights: weights, fields: where };
        touched.push(t);
        touched.sort(function (a, b) { return a - b; });
      }
      return decoded[t];
    }
    var none = {};  // lunr copies a posting's metadata and never changes it: one empty object for all
    function posting(t) {
      var d = decode(t), out = { _index: t }, f;
      for (f = 0; f < fields.length; f++) { out[fields[f]] = {}; }
      for (var k = 0; k < d.refs.length; k++) { out[fields[d.fields[k]]][d.refs[k]] = none; }
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
    /* lunr's TokenSet, a trie of every term, takes about 20 microseconds a term to build. lunr
       asks it only to expand a query term (tokenSet.intersect(termSet).toArray()); a word or a
       prefix (all relaySearch sends unless lunr syntax is typed) is read off the sorted terms by
       binary search, and the trie is built only for other patterns (fuzzy `~1`, a leading or
       inner `*`), on first use. */
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
      if (f < 0 || key.slice(slash + 1) !== String(ref) || ref < 0 || ref >= nRefs) { return undefined; }
      if (madeFrom !== touched.length) { madeFrom = touched.length; vectors = allVectors(); }
      return new lunr.Vector(vectors.get(f * nRefs + ref) || []);
    }
    /* Every field vector over the terms read so far, in one pass over their postings (a term
       has one entry per item, in its first field): lunr asks for the vector of each field of
       each match, and a search for each of them through every term read took most of a prefix
       search's time. Made again when more terms have been read (`touched` only grows). */
    var vectors = null, madeFrom = -1;
    function allVectors() {
      var out = new Map();
      touched.forEach(function (t) {
        var d = decoded[t];
        for (var k = 0; k < d.refs.length; k++) {
          var at = d.fields[k] * nRefs + d.refs[k], elements = out.get(at);
          if (!elements) { elements = []; out.set(at, elements); }
          elements.push(t, d.weights[k]);
        }
      });
      return out;
    }
    function lazy(make, keys, keep) {
      var made = new Map();
      function get(key) {
        if (typeof key !== "string") { return undefined; }
        if (!keep) { return make(key); }  // field vectors grow with the terms read: never kept
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
      pipeline: lunr.Pipeline.load(head.pipeline),
      tokenSet: tokenSet,
      invertedIndex: lazy(function (term) { var t = termNumber(term); return t < 0 ? undefined : posting(t); },
                          function () { return terms.slice(); }, true),
      fieldVectors: lazy(vector, function () {
        var keys = [];
        fields.forEach(function (field) { for (var i = 0; i < nRefs; i++) { keys.push(field + "/" + i); } });
        return keys;
      }, false)
    });
    index.relay = head.relay;
    index.query = function (fn) {
      var query = new lunr.Query(fields);
      fn.call(query, query);
      return plain(query) ? scored(query) : lunr.Index.prototype.query.call(index, fn);
    };

    /* lunr's own query, for the queries every search sends (clauses that are optional and over
       every field: plain words, prefixes, `^` boosts, `~` fuzzy matches), made in a few passes
       over the postings instead of objects for each match and field (lunr.FieldRef,
       lunr.MatchData, lunr.Set): a two-letter prefix matching 1,215 skills of 10,000 took
       20-30 ms in lunr on first use, most of the first search's own time. The same numbers:
       for each field, the dot product of the query vector (each term's summed boosts) and the
       field vector, in ascending term order, over the query vector's magnitude; each item's
       fields summed in the order lunr first meets them; the same order of results. A `+`, a
       `-` or a field (`name:x`) goes to lunr itself. */
    function plain(query) {
      return query.clauses.every(function (clause) {
        return clause.presence === lunr.Query.presence.OPTIONAL && clause.fields.length === fields.length &&
          clause.fields.every(function (field, f) { return field === fields[f]; });
      });
    }
    function scored(query) {
      var order = [], boost = new Map();  // term numbers as lunr first expands them; summed boosts
      query.clauses.forEach(function (clause) {
        var words = clause.usePipeline ? index.pipeline.runString(clause.term, { fields: clause.fields }) : [clause.term];
        words.forEach(function (word) {
          var expanded = index.tokenSet.intersect(lunr.TokenSet.fromClause(Object.assign({}, clause, { term: word })));
          expanded.toArray().forEach(function (term) {
            var t = termNumber(term);
            if (t < 0) { return; }
            if (!boost.has(t)) { order.push(t); boost.set(t, clause.boost); } else { boost.set(t, boost.get(t) + clause.boost); }
          });
        });
      });
      var ascending = order.slice().sort(function (a, b) { return a - b; }), squares = 0;
      ascending.forEach(function (t) { var b = boost.get(t); squares += b * b; });
      var magnitude = Math.sqrt(squares), nFields = fields.length;
      var dots = new Float64Array(nFields * nRefs);
      ascending.forEach(function (t) {
        var d = decode(t), b = boost.get(t);
        for (var k = 0; k < d.refs.length; k++) { dots[d.fields[k] * nRefs + d.refs[k]] += b * d.weights[k]; }
      });
      // lunr meets the fields of a term's items field by field, items in ref order
      var met = new Uint8Array(nFields * nRefs), fieldsOf = new Int8Array(nFields * nRefs), nMet = new Uint8Array(nRefs);
      var matched = new Map(), refs = [];
      order.forEach(function (t) {
        var d = decode(t);
        for (var f = 0; f < nFields; f++) {
          for (var k = 0; k < d.refs.length; k++) {
            if (d.fields[k] !== f) { continue; }
            var ref = d.refs[k], at = f * nRefs + ref;
            if (!matched.has(ref)) { matched.set(ref, {}); refs.push(ref); }
            matched.get(ref)[terms[t]] = none;
            if (!met[at]) { met[at] = 1; fieldsOf[ref * nFields + nMet[ref]] = f; nMet[ref] += 1; }
          }
        }
      });
      var results = refs.map(function (ref) {
        var score = 0;
        for (var i = 0; i < nMet[ref]; i++) {
          var part = dots[fieldsOf[ref * nFields + i] * nRefs + ref] / magnitude || 0;
          score += part;
        }
        var metadata = {};
        Object.keys(matched.get(ref)).forEach(function (term) { metadata[term] = {}; });
        return { ref: String(ref), score: score, matchData: { metadata: metadata } };
      });
      return results.sort(function (a, b) { return b.score - a.score; });
    }
    return index;
  }

  function nameKey(text) { return text.toLowerCase().replace(/[^a-z0-9]+/g, ""); }

  /* The refs of the names whose key is `key`. A scan, no table: a name's key starts with its
     first character when that is a letter or digit, so only the names starting with the key's
     first character (or with another character) are compared in full. A table of 10,000 name
     keys took 10-15 ms to make, on the first search's path, for a lookup this takes under 1 ms. */
  function refsNamed(names, key) {
    var out = [], first = key.charCodeAt(0);
    for (var ref = 0; ref < names.length; ref++) {
      var c = names[ref].charCodeAt(0);
      if (c >= 65 && c <= 90) { c += 32; }
      if (c !== first && ((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) { continue; }
      if (nameKey(names[ref]) === key) { out.push(ref); }
    }
    return out;
  }

  /* The words a query falls back to as prefixes: trimmed, of two characters or more (a single
     letter would expand to a good part of the vocabulary, and download its shards, for noise;
     registry/search/index.py's MIN_PREFIX says the same). */
  function prefixWords(lunr, q) {
    return lunr.tokenizer(q).map(function (t) { return t.toString().replace(/^\W+/, "").replace(/\W+$/, ""); })
      .filter(function (t) { return t.length >= 2; });
  }

  // lunr's syntax (name:x, x*, x~1, +x) throws on odd input: it never reaches the user.
  function direct(lunr, index, q) {
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
    return results;
  }

  function run(lunr, index, q) {
    var results = direct(lunr, index, q);
    if (results.length === 0) {
      var words = prefixWords(lunr, q);
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

  root.relayShardsFor = relayShardsFor;
  root.relayShardsGuess = relayShardsGuess;
  root.relayPrefixShards = relayPrefixShards;
  root.relayIndex = relayIndex;
  root.relayShardId = shardId;
  root.relaySearch = relaySearch;
})(typeof window !== "undefined" ? window : globalThis);
