// Query a built site's search index in node as the catalog page does: lunr.js from
// node_modules, the site's assets/search.js, assets/search-index.js (the head) and, per query,
// the shards that relayShardsFor names (assets/search/<id>.js), then relayIndex and relaySearch.
// argv: lunr.js, search.js, search-index.js; stdin: {"names": [...], "queries": [...]}, and
// "lunrQuery": true to rank with lunr's own Index.query (search.js's faster scoring set aside);
// stdout: {"results": one ranked list of {ref, score, exact, strong, matched} per query,
//          "shards": the shard ids each query loaded}.
const fs = require("fs");
const path = require("path");
global.window = global;
const lunr = require(process.argv[2]);
window.lunr = lunr;
eval(fs.readFileSync(process.argv[3], "utf8"));
eval(fs.readFileSync(process.argv[4], "utf8"));
const head = window.RELAY_SEARCH_INDEX;
const folder = path.join(path.dirname(process.argv[4]), "search");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const results = [], shards = [];
function indexOver(ids) {
  const loaded = {};
  for (const id of ids) {
    window.RELAY_SEARCH_SHARDS = window.RELAY_SEARCH_SHARDS || {};
    if (!(id in window.RELAY_SEARCH_SHARDS)) { eval(fs.readFileSync(path.join(folder, id + ".js"), "utf8")); }
    loaded[id] = window.RELAY_SEARCH_SHARDS[id];
  }
  const index = window.relayIndex(lunr, head, loaded);
  if (input.lunrQuery) { delete index.query; }  // lunr.Index.prototype.query
  return index;
}
for (const q of input.queries) {
  // as catalog.js's indexFor: the words' shards, then the prefixes' if the words match nothing
  let ids = window.relayShardsFor(lunr, head, q);
  let index = indexOver(ids);
  const more = window.relayPrefixShards(lunr, head, q, index);
  if (more.length) { ids = more; index = indexOver(ids); }
  results.push(window.relaySearch(lunr, index, q, input.names));
  shards.push(ids);
}
console.log(JSON.stringify({ results: results, shards: shards }));
