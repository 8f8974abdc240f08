/* Every page: theme toggle, absolute URLs in install commands, copy buttons. No dependencies. */
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.getElementById("theme-toggle");
  function dark() {
    var t = root.dataset.theme;
    return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  if (toggle) {
    toggle.setAttribute("aria-pressed", String(dark()));
    toggle.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.dataset.theme = next;
      toggle.setAttribute("aria-pressed", String(next === "dark"));
      try { localStorage.setItem("relay-theme", next); } catch (e) { /* private mode */ }
    });
  }
  // A "#" link beside each heading of a rendered document. Added here, not in the markup: ten
  // of them were a kilobyte of every skill page (issue 12); without JavaScript the page's
  // Contents list links to each heading.
  document.querySelectorAll(".prose :is(h2, h3, h4, h5, h6)[id]").forEach(function (h) {
    var a = document.createElement("a");
    a.className = "anchor";
    a.href = "#" + h.id;
    a.setAttribute("aria-label", "Link to this section");
    a.textContent = "#";
    h.append(" ", a);
  });
  // Links in commands are site-relative; people paste them elsewhere, so make them absolute.
  document.querySelectorAll("[data-abs]").forEach(function (el) {
    try { el.textContent = new URL(el.textContent.trim(), window.location.href).href; } catch (e) { /* keep */ }
  });
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.textContent;
      function done() {
        button.textContent = "Copied";
        button.classList.add("done");
        button.dataset.copied = text;
        setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 1600);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { if (fallbackCopy(text)) { done(); } });
      } else if (fallbackCopy(text)) {
        done();
      }
    });
  });
})();
