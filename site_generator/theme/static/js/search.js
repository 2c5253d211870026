/* Tìm kiếm trên trang tĩnh: đọc chỉ mục do site_generator/search.py tạo; gõ không dấu vẫn tìm được. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch) return;
  var base = form.getAttribute("data-index");
  var input = form.querySelector("#q");
  var status = document.getElementById("trang-thai-tim-kiem");
  var list = document.getElementById("ket-qua-tim-kiem");
  var SHOWN = 20;
  var cache = {};
  var timer = null;
  var latest = 0;

  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name);
        return r.json();
      });
    }
    return cache[name];
  }

  // The same rule as site_generator/text.py fold(): no tone marks, đ -> d, lower case.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function words(text) {
    return text.match(/[\p{L}\p{N}_]+/gu) || [];
  }

  function shardOf(word, shards) {               // FNV-1a, as search.py shard_of()
    var bytes = new TextEncoder().encode(word), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    }
    return hash % shards;
  }

  function numbers(gaps) {
    var out = [], last = -1;
    if (!gaps) return out;
    gaps.split(",").forEach(function (gap) { last += parseInt(gap, 16) + 1; out.push(last); });
    return out;
  }

  function find(query) {
    var typed = words(query.normalize("NFC").toLowerCase());
    var terms = words(fold(query)).filter(function (w, i, all) { return all.indexOf(w) === i; });
    if (!terms.length) return Promise.resolve([]);
    return load("meta.json").then(function (meta) {
      return Promise.all(terms.map(function (term) {
        return load("s" + shardOf(term, meta.shards) + ".json").then(function (shard) { return shard[term]; });
      })).then(function (entries) {
        if (entries.some(function (e) { return !e; })) return [];
        var score = null;
        entries.forEach(function (entry) {
          var here = {};
          numbers(entry[0]).forEach(function (n) { here[n] = 3; });
          numbers(entry[1]).forEach(function (n) { here[n] = 1; });
          if (score === null) { score = here; return; }
          Object.keys(score).forEach(function (n) {
            if (here[n]) score[n] += here[n]; else delete score[n];
          });
        });
        var ranked = Object.keys(score).map(Number).sort(function (a, b) { return score[b] - score[a] || a - b; });
        var pool = ranked.slice(0, SHOWN * 2);
        var chunks = pool.map(function (n) { return Math.floor(n / meta.chunk); })
          .filter(function (c, i, all) { return all.indexOf(c) === i; });
        return Promise.all(chunks.map(function (c) { return load("t" + c + ".json"); })).then(function (loaded) {
          var byChunk = {};
          chunks.forEach(function (c, i) { byChunk[c] = loaded[i]; });
          var results = pool.map(function (n) {
            var row = byChunk[Math.floor(n / meta.chunk)][n % meta.chunk];
            var title = row[1].normalize("NFC").toLowerCase();
            var exact = typed.filter(function (w) { return title.indexOf(w) >= 0; }).length;
            return { n: n, url: row[0], title: row[1], date: row[2], section: row[3], rank: score[n] + exact * 2 };
          });
          results.sort(function (a, b) { return b.rank - a.rank || a.n - b.n; });
          return { total: ranked.length, results: results.slice(0, SHOWN) };
        });
      });
    });
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function show(query, found) {
    list.textContent = "";
    if (!query) { status.textContent = ""; return; }
    var results = found.results || [];
    if (!results.length) { status.textContent = "Không tìm thấy kết quả nào cho “" + query + "”."; return; }
    status.textContent = "Tìm thấy " + found.total.toLocaleString("vi-VN") + " kết quả cho “" + query + "”" +
      (found.total > results.length ? ", hiện " + results.length + " kết quả phù hợp nhất." : ".");
    var ol = element("ol", "items search-results");
    results.forEach(function (r) {
      var li = element("li", "item");
      var h = element("h2", "item-title");
      var a = element("a", "", r.title);
      a.href = r.url;
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(element("p", "item-meta", [r.date, r.section].filter(Boolean).join(" · ")));
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
    if (!query) { show("", {}); return; }
    status.textContent = "Đang tìm…";
    find(query).then(function (found) { if (ticket === latest) show(query, found); })
      .catch(function () { if (ticket === latest) status.textContent = "Chưa tải được chỉ mục tìm kiếm, vui lòng thử lại."; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(); }
})();
