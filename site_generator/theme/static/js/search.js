/* Tìm kiếm trên trang tĩnh: đọc chỉ mục do site_generator/search.py tạo; gõ không dấu vẫn tìm được,
   tìm ngay khi gõ (từ cuối cùng đang gõ dở được tìm theo phần đầu), có đoạn trích với từ khóa được tô đậm. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch) return;
  var base = form.getAttribute("data-index");
  var input = form.querySelector("#q");
  var status = document.getElementById("trang-thai-tim-kiem");
  var list = document.getElementById("ket-qua-tim-kiem");
  var selects = { muc: form.querySelector("#loc-muc"), loai: form.querySelector("#loc-loai"), nam: form.querySelector("#loc-nam") };
  var PAGE = 10, POOL = 60, PREFIX_SHARDS = 8, PREFIX_WORDS = 400, CODE = 48;
  var cache = {};
  var timer = null;
  var latest = 0;
  var shown = PAGE;
  var WORD = /[\p{L}\p{N}_]+/gu;
  // a word and the words joined to it (as text.py's _TOKEN: optional, so never a costly failed match)
  var COMPOUND = /[\p{L}\p{N}_]+(?:[-'\u2019\u02bc\/][\p{L}\p{N}_]+)*/gu;
  var JOINER = /[-'\u2019\u02bc\/]/;

  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name);
        return r.json();
      });
      cache[name].catch(function () { delete cache[name]; });
    }
    return cache[name];
  }

  // The same rule as site_generator/text.py fold(): no tone marks, đ -> d, lower case.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function words(text) { return text.match(WORD) || []; }

  function unique(list) { return list.filter(function (w, i, all) { return w !== "" && all.indexOf(w) === i; }); }

  // What the reader asks: whole words (a word joined by ' - / is one word: "N'Jang" -> "njang"), and the
  // last word as the start of a word while it is still being typed.
  function parse(query) {
    var text = query.normalize("NFC");
    var compounds = (text.match(COMPOUND) || []).filter(function (c) { return JOINER.test(c); });
    var inCompound = {};
    var exact = compounds.map(function (c) {
      words(fold(c)).forEach(function (w) { inCompound[w] = true; });
      return words(fold(c)).join("");
    });
    var all = words(fold(text));
    all.forEach(function (w) { if (!inCompound[w]) exact.push(w); });
    exact = unique(exact);
    var prefix = "";
    if (/[\p{L}\p{N}_]$/u.test(text)) {
      var tail = (text.match(/[\p{L}\p{N}_]+(?:[-'\u2019\u02bc\/][\p{L}\p{N}_]+)*$/u) || [""])[0];
      var last = words(fold(tail)).join("");
      if (last.length >= 2 && exact.indexOf(last) >= 0) {
        exact.splice(exact.indexOf(last), 1);
        prefix = last;
      }
    }
    return { exact: exact, prefix: prefix, typed: words(text.toLowerCase()), joined: words(fold(text)).join("") };
  }

  function shardOf(word, bounds) {              // bounds: the first word of every shard but the first
    var lo = 0, hi = bounds.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (bounds[mid] <= word) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function numbers(gaps) {
    var out = [], last = -1;
    if (!gaps) return out;
    gaps.split(",").forEach(function (gap) { last += parseInt(gap, 16) + 1; out.push(last); });
    return out;
  }

  function weights(entry, into, scale) {        // 3 in a title or number, 1 elsewhere
    scale = scale || 1;
    numbers(entry[1]).forEach(function (n) { if (!into[n]) into[n] = scale; });
    numbers(entry[0]).forEach(function (n) { into[n] = 3 * scale; });
    return into;
  }

  function exactTerm(meta, word) {
    return load("s" + shardOf(word, meta.bounds) + ".json").then(function (shard) {
      return shard[word] ? { words: [word], hits: weights(shard[word], {}) } : null;
    });
  }

  function prefixTerm(meta, prefix) {
    var first = shardOf(prefix, meta.bounds), last = shardOf(prefix + "\uffff", meta.bounds);
    if (last - first >= PREFIX_SHARDS) {        // a start shared by too many words: the whole word only
      return exactTerm(meta, prefix);
    }
    var names = [];
    for (var s = first; s <= last; s++) names.push("s" + s + ".json");
    return Promise.all(names.map(load)).then(function (shards) {
      var hits = {}, found = [];
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (word) {
          if (word.indexOf(prefix) === 0) found.push([word, shard[word]]);
        });
      });
      // the most used words first, when there are too many; the word itself counts more than longer ones
      found.sort(function (a, b) { return (b[1][0].length + b[1][1].length) - (a[1][0].length + a[1][1].length); });
      found = found.slice(0, PREFIX_WORDS);
      found.forEach(function (pair) {
        var here = weights(pair[1], {}, pair[0] === prefix ? 1 : 0.6);
        Object.keys(here).forEach(function (n) { hits[n] = Math.max(hits[n] || 0, here[n]); });
      });
      return found.length ? { words: found.map(function (pair) { return pair[0]; }), hits: hits } : null;
    });
  }

  function allowed(meta, n, want) {
    if (want.muc && meta.sections[meta.section.charCodeAt(n) - CODE] !== want.muc) return false;
    if (want.loai && meta.kinds[meta.kind.charCodeAt(n) - CODE] !== want.loai) return false;
    if (want.nam && String(meta.year0 + meta.year.charCodeAt(n) - CODE) !== want.nam) return false;
    return true;
  }

  function find(query) {
    var asked = parse(query);
    if (!asked.exact.length && !asked.prefix) return Promise.resolve({ total: 0, results: [], words: [] });
    return load("meta.json").then(function (meta) {
      var terms = asked.exact.map(function (w) { return exactTerm(meta, w); });
      if (asked.prefix) terms.push(prefixTerm(meta, asked.prefix));
      return Promise.all(terms).then(function (found) {
        if (found.some(function (t) { return !t; })) return { total: 0, results: [], words: [] };
        var score = null;
        found.forEach(function (term) {
          if (score === null) { score = Object.assign({}, term.hits); return; }
          Object.keys(score).forEach(function (n) {
            if (term.hits[n]) score[n] += term.hits[n]; else delete score[n];
          });
        });
        var matched = [].concat.apply([], found.map(function (t) { return t.words; }));
        var want = current();
        var ranked = Object.keys(score).map(Number).filter(function (n) { return allowed(meta, n, want); })
          .sort(function (a, b) { return score[b] - score[a] || a - b; });
        var pool = ranked.slice(0, Math.max(POOL, shown * 2));
        var chunks = unique(pool.map(function (n) { return Math.floor(n / meta.chunk); }));
        return Promise.all(chunks.map(function (c) { return load("t" + c + ".json"); })).then(function (loaded) {
          var byChunk = {};
          chunks.forEach(function (c, i) { byChunk[c] = loaded[i]; });
          var results = pool.map(function (n) {
            var row = byChunk[Math.floor(n / meta.chunk)][n % meta.chunk];
            var title = row[1].normalize("NFC").toLowerCase();
            var exact = asked.typed.filter(function (w) { return title.indexOf(w) >= 0; }).length;
            var numbered = row[3] && words(fold(row[3])).join("").indexOf(asked.joined) >= 0 && asked.joined.length >= 3;
            return { n: n, url: row[0], title: row[1], date: row[2], number: row[3], post: row[4], file: row[5],
                     section: meta.sections[meta.section.charCodeAt(n) - CODE],
                     kind: meta.kinds[meta.kind.charCodeAt(n) - CODE],
                     rank: score[n] + exact * 2 + (numbered ? 100 : 0) };
          });
          results.sort(function (a, b) { return b.rank - a.rank || a.n - b.n; });
          var top = results.slice(0, shown);
          return Promise.all(top.map(function (r) {
            if (meta.notext) return [];          // an index without snippet texts (the province's)
            return load("x/" + r.n + ".json").catch(function () { return []; });
          })).then(function (texts) {
            top.forEach(function (r, i) { r.text = texts[i]; });
            return { total: ranked.length, results: top, words: matched, prefix: asked.prefix };
          });
        });
      });
    });
  }

  // ---------------------------------------------------------------- highlighting and snippets
  function matcher(found) {
    var set = {};
    found.words.forEach(function (w) { set[w] = true; });
    return function (token) {
      var f = words(fold(token)).join("");
      return !!set[f] || (found.prefix && f.indexOf(found.prefix) === 0);
    };
  }

  function spans(text, matches) {               // [start, end] of every matching word or compound
    var out = [], re = new RegExp(COMPOUND.source, "gu"), m;
    while ((m = re.exec(text))) {
      if (matches(m[0])) { out.push([m.index, m.index + m[0].length]); continue; }
      if (m[0].length > words(m[0])[0].length) {  // a compound: its words one by one
        var inner = new RegExp(WORD.source, "gu"), w;
        while ((w = inner.exec(m[0]))) {
          if (matches(w[0])) out.push([m.index + w.index, m.index + w.index + w[0].length]);
        }
      }
    }
    return out;
  }

  function marked(parent, text, matches) {
    var at = 0;
    spans(text, matches).forEach(function (s) {
      if (s[0] > at) parent.appendChild(document.createTextNode(text.slice(at, s[0])));
      parent.appendChild(element("mark", "", text.slice(s[0], s[1])));
      at = s[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
    return parent;
  }

  function snippet(pages, matches) {            // {page: 1-based, text} around the first match
    for (var p = 0; p < pages.length; p++) {
      var text = pages[p].normalize("NFC"), hit = spans(text, matches)[0];
      if (!hit) continue;
      var start = Math.max(0, hit[0] - 70), end = Math.min(text.length, hit[0] + 170);
      if (start > 0) start = text.indexOf(" ", start) + 1 || start;
      if (end < text.length) end = text.lastIndexOf(" ", end) > hit[1] ? text.lastIndexOf(" ", end) : end;
      return { page: p + 1, text: (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "") };
    }
    var first = (pages[0] || "").normalize("NFC");
    return first ? { page: 0, text: first.slice(0, 200).trim() + (first.length > 200 ? " …" : "") } : null;
  }

  // ---------------------------------------------------------------- filters
  function current() {
    return { muc: selects.muc ? selects.muc.value : "", loai: selects.loai ? selects.loai.value : "",
             nam: selects.nam ? selects.nam.value : "" };
  }

  // ---------------------------------------------------------------- results
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
    if (!results.length) {
      status.textContent = "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử bớt từ, gõ không dấu, hoặc bỏ bộ lọc.";
      return;
    }
    status.textContent = "Tìm thấy " + found.total.toLocaleString("vi-VN") + " kết quả cho “" + query + "”" +
      (found.total > results.length ? ", hiện " + results.length + " kết quả phù hợp nhất." : ".");
    var matches = matcher(found);
    var ol = element("ol", "items search-results");
    results.forEach(function (r) {
      var li = element("li", "item");
      var h = element("h2", "item-title");
      var a = element("a", "");
      a.href = r.url;
      marked(a, r.title, matches);
      h.appendChild(a);
      li.appendChild(h);
      var cut = snippet(r.text || [], matches);
      if (r.file) {
        var where = element("p", "item-file");
        where.appendChild(document.createTextNode("Trong tệp "));
        var file = element("a", "", r.title + (cut && cut.page ? ", trang " + cut.page : ""));
        file.href = r.file + (cut && cut.page > 1 ? "#page=" + cut.page : "");
        where.appendChild(file);
        where.appendChild(document.createTextNode(" đính kèm bài “" + r.post + "”"));
        li.appendChild(where);
      }
      if (cut) li.appendChild(marked(element("p", "item-snippet"), cut.text, matches));
      li.appendChild(element("p", "item-meta", unique([r.date, r.number, r.section, r.kind].filter(Boolean)).join(" · ")));
      ol.appendChild(li);
    });
    list.appendChild(ol);
    if (found.total > results.length) {
      var more = element("button", "search-more", "Xem thêm kết quả");
      more.type = "button";
      more.addEventListener("click", function () { shown += PAGE; run(true); });
      list.appendChild(more);
    }
  }

  function run(keepShown) {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!keepShown) shown = PAGE;
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    var want = current();
    Object.keys(want).forEach(function (key) {
      if (want[key]) url.searchParams.set(key, want[key]); else url.searchParams.delete(key);
    });
    window.history.replaceState(null, "", url);
    if (!query) { show("", {}); return; }
    status.textContent = "Đang tìm…";
    find(input.value).then(function (found) { if (ticket === latest) show(query, found); })
      .catch(function () { if (ticket === latest) status.textContent = "Chưa tải được chỉ mục tìm kiếm, vui lòng thử lại."; });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  Object.keys(selects).forEach(function (key) {
    if (selects[key]) selects[key].addEventListener("change", function () { run(); });
  });
  var params = new URL(window.location.href).searchParams;
  Object.keys(selects).forEach(function (key) {      // a shared address: its filters, where still offered
    if (selects[key] && params.get(key)) selects[key].value = params.get(key);
  });
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
