// Loaded by 404.html only: sends addresses of the site's earlier layouts to where their
// content lives now (docs/site.md, "Which pages a version gets"). Hosts serve 404.html for any
// missing path, so old bookmarks keep working without a file per old address.
//   skills/<name>/files.html#f-<path>, skills/<name>/versions.html#v<version>
//                                                -> skills/<name>/ (the same #anchor)
//   skills/<name>/files/<path>/                  -> skills/<name>/#f-<path>
//   skills/<name>/versions/<id>/                 -> skills/<name>/#install
//   raw/<name>/<path> (a file the page shows)    -> skills/<name>/#f-<path>
//   zips/<name>/<name>-<id>.zip                  -> skills/<name>/#install
// `relay serve-site` and `relay serve --site` send the 404 page with a page's headers wherever
// it answers; a host that applies `_headers` by path sends raw/'s and zips/'s sandboxing CSP
// with it, and then those two old addresses stay a plain "not found" page.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var root = new URL("..", script.src).pathname;  // the site root: this file is assets/moved.js
  var path = location.pathname;
  if (path.indexOf(root) !== 0) { return; }
  var rest = path.slice(root.length);
  var m, target = null, hash = location.hash;
  if ((m = /^skills\/([^/]+)\/(?:files\.html|versions\.html)$/.exec(rest))) {
    target = "skills/" + m[1] + "/";
  } else if ((m = /^skills\/([^/]+)\/files\/(.+?)\/(?:index\.html)?$/.exec(rest))) {
    target = "skills/" + m[1] + "/";
    hash = "#f-" + decodeURIComponent(m[2]);
  } else if ((m = /^skills\/([^/]+)\/versions\/.+$/.exec(rest))) {
    target = "skills/" + m[1] + "/";
    hash = hash || "#install";
  } else if ((m = /^raw\/([^/]+)\/(.+)$/.exec(rest))) {
    target = "skills/" + m[1] + "/";
    hash = "#f-" + decodeURIComponent(m[2]);
  } else if ((m = /^zips\/([^/]+)\/[^/]+\.zip$/.exec(rest))) {
    target = "skills/" + m[1] + "/";
    hash = "#install";
  }
  if (target) {
    var note = document.getElementById("moved");
    if (note) { note.hidden = false; }
    location.replace(root + target + hash);
  }
})();
