/* View counter: counts this page once and fills "Lượt xem" and the "Thống kê truy cập" box.
   The endpoint is optional: when it is absent, slow (over 3 s) or failing, the placeholders
   ("–") stay as they are and nothing is logged. No cookies, no storage, no retries. */
(function () {
  "use strict";
  var TIMEOUT = 3000;
  var STATS = ["online", "today", "week", "month", "total"];

  function endpoint() {
    var box = document.querySelector("[data-counter]");
    var meta = document.querySelector('meta[name="counter"]');
    var url = (box && box.getAttribute("data-counter")) || (meta && meta.getAttribute("content")) || "";
    if (!url) return null;
    if (url.charAt(url.length - 1) !== "/") url += "/";
    try { return new URL(url, document.baseURI); } catch (e) { return null; }
  }

  function pagePath() {
    var link = document.querySelector('link[rel="canonical"]');
    if (!link) return null;
    try { return new URL(link.getAttribute("href"), document.baseURI).pathname; } catch (e) { return null; }
  }

  function vi(n) {   /* 1279920 -> "1.279.920" */
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function whole(n) { return typeof n === "number" && isFinite(n) && n >= 0 && Math.floor(n) === n; }

  function fill(selector, value) {
    if (!whole(value)) return;
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = vi(value);
  }

  function show(data) {
    if (!data || typeof data !== "object") return;
    var site = data.site || data;
    if (data.path !== undefined) fill("[data-views]", data.views);
    for (var i = 0; i < STATS.length; i++) fill('[data-stat="' + STATS[i] + '"]', site[STATS[i]]);
  }

  function ask(base, path) {
    var options = { credentials: "omit", cache: "no-store", redirect: "error" };
    var url = new URL("site", base);
    if (path) {
      url = new URL("hit", base);
      options.method = "POST";
      options.headers = { "Content-Type": "text/plain;charset=UTF-8" };
      var body = { path: path };
      if (navigator.webdriver) body.bot = true;
      options.body = JSON.stringify(body);
      options.keepalive = true;
    }
    var controller = window.AbortController ? new AbortController() : null;
    if (controller) options.signal = controller.signal;
    var late = false;
    var timer = setTimeout(function () { late = true; if (controller) controller.abort(); }, TIMEOUT);
    fetch(url.href, options).then(function (response) {
      if (!response.ok || late) return null;
      return response.json();
    }).then(function (data) {
      clearTimeout(timer);
      if (!late) show(data);
    })["catch"](function () { clearTimeout(timer); /* endpoint absent or failing: keep "–" */ });
  }

  function start() {
    var base = endpoint();
    if (!base || !window.fetch || !window.JSON) return;
    if (window.top !== window.self) return;                 /* not in frames */
    ask(base, pagePath());
  }

  /* Count only what a reader sees: not prerendered or background-prefetched pages. */
  if (document.prerendering || document.visibilityState === "prerender" || document.visibilityState === "hidden") {
    var once = function () {
      if (document.visibilityState !== "visible") return;
      document.removeEventListener("visibilitychange", once);
      document.removeEventListener("prerenderingchange", once);
      start();
    };
    document.addEventListener("visibilitychange", once);
    document.addEventListener("prerenderingchange", once);
  } else {
    start();
  }
})();
