// Query a built site's search index in node as the catalog page does: lunr.js from
// node_modules, the site's assets/search.js and assets/search-index.js, `relayIndex`, `relaySearch`.
// argv: lunr.js, search.js, search-index.js; stdin: {"names": [...], "queries": [...]};
// stdout: one ranked list of {ref, score, exact, strong, matched} per query.
const fs = require("fs");
global.window = global;
const lunr = require(process.argv[2]);
window.lunr = lunr;
eval(fs.readFileSync(process.argv[3], "utf8"));
eval(fs.readFileSync(process.argv[4], "utf8"));
const index = window.relayIndex(lunr, window.RELAY_SEARCH_INDEX);
const input = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(input.queries.map((q) => window.relaySearch(lunr, index, q, input.names))));
