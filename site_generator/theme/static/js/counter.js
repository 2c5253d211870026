/* View counter: counts this page once and fills "Lượt xem" and the "Thống kê truy cập" box.
   Both are rendered hidden and empty: they are shown only once the endpoint has answered with whole
   numbers (the view count; all five figures of the box). When it is absent, slow (over 3 s), failing
   or answering nonsense, they stay hidden and nothing is logged: never a placeholder or a dash.
   No cookies, no storage, no retries.
   Ratings ("Thông tin này có hữu ích không?"): the form is rendered hidden and shown only once the
   endpoint has answered GET ratings for this page; a choice is sent with POST rating and the result
   said in the form's live region, in Vietnamese. */
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

  function whole(n) { return typeof n === "number" && n >= 0 && n <= 9007199254740991 && Math.floor(n) === n; }

  function fill(selector, value) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = vi(value);
  }

  function reveal(selector) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].hidden = false;
  }

  function show(data) {
    if (!data || typeof data !== "object") return;
    if (typeof data.path === "string" && whole(data.views)) {
      fill("[data-views]", data.views);
      reveal("[data-views-box]");
    }
    var site = data.site && typeof data.site === "object" ? data.site : data;
    for (var i = 0; i < STATS.length; i++) if (!whole(site[STATS[i]])) return;   /* all five, or none */
    for (i = 0; i < STATS.length; i++) fill('[data-stat="' + STATS[i] + '"]', site[STATS[i]]);
    reveal("section.stats[data-counter]");
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
    })["catch"](function () { clearTimeout(timer); /* endpoint absent or failing: stay hidden */ });
  }

  /* ---------------------------------------------------------------- ratings */
  var SAID = {
    recorded: "Cảm ơn bạn. Đánh giá của bạn đã được ghi nhận.",
    already_rated: "Bạn đã đánh giá trang này hôm nay; mỗi người được đánh giá một trang một lần mỗi ngày.",
    rate_limited: "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Xin vui lòng thử lại sau ít phút.",
    comment_too_long: "Góp ý dài quá 500 ký tự. Xin vui lòng rút gọn rồi chọn lại mức đánh giá.",
    bad_comment: "Góp ý có ký tự không hợp lệ (ký tự điều khiển). Xin vui lòng xóa ký tự đó rồi gửi lại.",
    too_large: "Góp ý dài quá 500 ký tự. Xin vui lòng rút gọn rồi chọn lại mức đánh giá.",
    not_a_reader: "Trình duyệt này không gửi được đánh giá (đánh giá chỉ nhận từ trình duyệt của người đọc).",
    failed: "Chưa gửi được đánh giá do lỗi kết nối hoặc máy chủ. Xin vui lòng thử lại sau."
  };

  function send(base, path, form, value) {
    var status = form.querySelector("[data-rating-status]");
    var buttons = form.querySelectorAll("button");
    var comment = form.querySelector("textarea");
    var body = { path: path, value: value };
    if (comment && comment.value.replace(/\s+/g, "")) body.comment = comment.value;
    if (navigator.webdriver) body.bot = true;
    var i;
    for (i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    status.textContent = "Đang gửi đánh giá…";
    function done(text) {
      for (i = 0; i < buttons.length; i++) buttons[i].disabled = false;
      status.textContent = text;
    }
    fetch(new URL("rating", base).href, {
      method: "POST", credentials: "omit", cache: "no-store", redirect: "error",
      headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; },
                                  function () { return { ok: false, data: null }; });
    }).then(function (answer) {
      if (answer.ok && answer.data && answer.data.recorded === true) {
        if (comment) comment.value = "";
        done(SAID.recorded);
      } else {
        var code = answer.data && typeof answer.data.error === "string" ? answer.data.error : "failed";
        done(SAID.hasOwnProperty(code) ? SAID[code] : SAID.failed);
      }
    })["catch"](function () { done(SAID.failed); });
  }

  function ratings(base, path) {
    var form = document.querySelector("form[data-rating]");
    if (!form || !path) return;
    var chosen = null;
    var buttons = form.querySelectorAll("button[name=value]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) { chosen = event.currentTarget.value; });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = parseInt((event.submitter && event.submitter.value) || chosen, 10);
      chosen = null;
      if (value >= 1 && value <= 5) send(base, path, form, value);
    });
    var options = { credentials: "omit", cache: "no-store", redirect: "error" };
    var controller = window.AbortController ? new AbortController() : null;
    if (controller) options.signal = controller.signal;
    var late = false;
    var timer = setTimeout(function () { late = true; if (controller) controller.abort(); }, TIMEOUT);
    fetch(new URL("ratings?path=" + encodeURIComponent(path), base).href, options).then(function (response) {
      if (!response.ok || late) return null;
      return response.json();
    }).then(function (data) {
      clearTimeout(timer);
      /* only an answer of the endpoint itself shows the form; anything else: it stays hidden, silently */
      if (!late && data && typeof data === "object" && data.counts && typeof data.total === "number") {
        form.hidden = false;
      }
    })["catch"](function () { clearTimeout(timer); });
  }

  function start() {
    var base = endpoint();
    if (!base || !window.fetch || !window.JSON) return;
    if (window.top !== window.self) return;                 /* not in frames */
    var path = pagePath();
    ask(base, path);
    ratings(base, path);
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
