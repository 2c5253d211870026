/* Tìm kiếm trên trang tĩnh: Pagefind, nạp khi cần; không dấu vẫn tìm được có dấu. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-pagefind]");
  if (!form) return;
  var input = form.querySelector("#q");
  var status = document.getElementById("trang-thai-tim-kiem");
  var list = document.getElementById("ket-qua-tim-kiem");
  var engine = null;
  var timer = null;
  var latest = 0;

  function load() {
    if (!engine) {
      engine = import(form.getAttribute("data-pagefind")).then(function (pagefind) {
        return pagefind.options({ baseUrl: form.getAttribute("data-base") || "/" }).then(function () { return pagefind; });
      });
    }
    return engine;
  }

  // Pagefind excerpts carry <mark>; keep those, escape everything else.
  function excerpt(text) {
    var safe = String(text).replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002")
      .replace(/<[^>]*>/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return safe.replace(/\u0001/g, "<mark>").replace(/\u0002/g, "</mark>");
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function show(query, results) {
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    status.textContent = results.length ? "Tìm thấy " + results.length + " kết quả cho “" + query + "”."
                                        : "Không tìm thấy kết quả nào cho “" + query + "”.";
    if (!results.length) return;
    var ol = element("ol", "items search-results");
    results.forEach(function (r) {
      var li = element("li", "item");
      var h = element("h2", "item-title");
      var a = element("a", "", r.meta.title || r.url);
      a.href = r.url;
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(element("p", "item-meta", [r.meta.date, r.meta.section].filter(Boolean).join(" · ")));
      var p = element("p", "item-summary");
      p.innerHTML = excerpt(r.excerpt || "");
      li.appendChild(p);
      ol.appendChild(li);
    });
    list.appendChild(ol);
  }

  function run() {
    var query = input.value.trim();
    var ticket = ++latest;
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
    if (!query) { show("", []); return; }
    status.textContent = "Đang tìm…";
    load().then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) { return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); })); })
      .then(function (results) { if (ticket === latest) show(query, results); })
      .catch(function () { if (ticket === latest) status.textContent = "Chưa tải được bộ tìm kiếm, vui lòng thử lại."; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(); }
})();
