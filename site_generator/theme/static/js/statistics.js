/* The statistics page (/thong-ke/): views and ratings from the counter's GET stats, drawn as SVG bar charts,
   each with its title and description and the same numbers in a table after it. Nothing is shown until the
   endpoint answered with well-formed numbers; otherwise one sentence says the counter did not answer. No
   library, no inline style (the pages' Content-Security-Policy): colours are classes of site.css. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var W = 640, H = 260, LEFT = 56, RIGHT = 8, TOP = 12, BOTTOM = 36;
  var TIMEOUT = 5000;

  function vi(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function decimal(x) { return x.toFixed(2).replace(".", ","); }
  function whole(n) { return typeof n === "number" && n >= 0 && n <= 9007199254740991 && Math.floor(n) === n; }
  function iso(s, n) { return typeof s === "string" && s.length === n && /^\d{4}-\d{2}(-\d{2})?$/.test(s); }
  function dayVi(d) { return d.slice(8, 10) + "/" + d.slice(5, 7) + "/" + d.slice(0, 4); }
  function monthVi(m) { return m.slice(5, 7) + "/" + m.slice(0, 4); }

  function valid(data) {
    if (!data || typeof data !== "object" || !iso(data.today, 10)) return false;
    var lists = ["days", "months", "top", "ratings", "rating_months"], i, j;
    for (i = 0; i < lists.length; i++) if (!Array.isArray(data[lists[i]])) return false;
    if (data.days.length !== 30 || data.months.length !== 12 || data.rating_months.length !== 12) return false;
    for (i = 0; i < 30; i++) if (!iso(data.days[i].day, 10) || !whole(data.days[i].views)) return false;
    for (i = 0; i < 12; i++) {
      var m = data.months[i], r = data.rating_months[i];
      if (!iso(m.month, 7) || !whole(m.views) || !iso(r.month, 7) || !whole(r.total)) return false;
      if (!(r.average === null || (typeof r.average === "number" && r.average >= 1 && r.average <= 5))) return false;
    }
    for (i = 0; i < data.top.length; i++) {
      if (typeof data.top[i].path !== "string" || !whole(data.top[i].views)) return false;
    }
    for (i = 0; i < data.ratings.length; i++) {
      var p = data.ratings[i];
      if (typeof p.path !== "string" || !whole(p.total) || typeof p.average !== "number" || !p.counts) return false;
      for (j = 1; j <= 5; j++) if (!whole(p.counts[String(j)])) return false;
    }
    return data.top.length <= 50 && data.ratings.length <= 50;
  }

  function el(name, attrs, text, ns) {
    var node = ns ? document.createElementNS(SVG, name) : document.createElement(name);
    for (var key in attrs) if (Object.prototype.hasOwnProperty.call(attrs, key)) node.setAttribute(key, attrs[key]);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function step(top) {       /* 1, 2 or 5 times a power of ten: at most 4 steps to the top (charts.py) */
    var target = Math.max(1, top / 4), power = 1, f = [1, 2, 5];
    for (;;) { for (var i = 0; i < 3; i++) if (f[i] * power >= target) return f[i] * power; power *= 10; }
  }

  function svgFor(figure, title, description) {
    var id = figure.id;
    var svg = el("svg", { "class": "chart-svg", role: "img", viewBox: "0 0 " + W + " " + H, width: W, height: H,
                          "aria-labelledby": id + "-t " + id + "-d" }, null, true);
    svg.appendChild(el("title", { id: id + "-t" }, title, true));
    svg.appendChild(el("desc", { id: id + "-d" }, description, true));
    return svg;
  }

  function table(title, head, rows) {
    var box = el("div", { "class": "bang", tabindex: "0", role: "region", "aria-label": title + ": bảng số liệu" });
    var t = el("table", { "class": "chart-table" });
    t.appendChild(el("caption", {}, title + ": số liệu"));
    var thead = el("thead"), tr = el("tr"), i, j;
    for (i = 0; i < head.length; i++) tr.appendChild(el("th", { scope: "col" }, head[i]));
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    for (i = 0; i < rows.length; i++) {
      tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, rows[i][0]));
      for (j = 1; j < rows[i].length; j++) tr.appendChild(el("td", {}, rows[i][j]));
      tbody.appendChild(tr);
    }
    t.appendChild(tbody);
    box.appendChild(t);
    return box;
  }

  /* Vertical bars, one series: labels[i], values[i] (null: no bar), shown[i] (the table's and title's text). */
  function columns(figure, title, description, labels, values, shown, fixedTop, every) {
    var highest = 0, i;
    for (i = 0; i < values.length; i++) if (values[i] !== null && values[i] > highest) highest = values[i];
    var s = fixedTop ? 1 : step(highest);
    var top = fixedTop || s * Math.max(1, Math.ceil(highest / s));
    var plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM, base = H - BOTTOM;
    var slot = plotW / Math.max(1, labels.length);
    var svg = svgFor(figure, title, description);
    for (var v = 0; v <= top; v += s) {
      var y = +(base - plotH * v / top).toFixed(1);
      svg.appendChild(el("line", { "class": "chart-grid", x1: LEFT, x2: W - RIGHT, y1: y, y2: y }, null, true));
      svg.appendChild(el("text", { "class": "chart-axis", x: LEFT - 6, y: y + 4, "text-anchor": "end" }, vi(v), true));
    }
    for (i = 0; i < labels.length; i++) {
      var value = values[i] === null ? 0 : values[i];
      var h = +(plotH * value / top).toFixed(1);
      var rect = el("rect", { "class": "s1", x: +(LEFT + i * slot + slot * 0.1).toFixed(1), y: +(base - h).toFixed(1),
                              width: +Math.max(1, slot * 0.8).toFixed(1), height: h,
                              "data-value": values[i] === null ? "" : String(values[i]) }, null, true);
      rect.appendChild(el("title", {}, labels[i] + ": " + shown[i], true));
      svg.appendChild(rect);
      if (i % every === 0 || i === labels.length - 1) {
        svg.appendChild(el("text", { "class": "chart-axis", x: +(LEFT + i * slot + slot / 2).toFixed(1), y: base + 20,
                                     "text-anchor": "middle" }, labels[i].slice(0, every > 1 ? 5 : 7), true));
      }
    }
    return svg;
  }

  /* Horizontal bars, one per page, the page's address above its bar. */
  function rows(figure, title, description, names, values, shown) {
    var height = 12 + names.length * 40;
    var highest = Math.max.apply(null, values.concat([1]));
    var svg = svgFor(figure, title, description);
    svg.setAttribute("viewBox", "0 0 " + W + " " + height);
    svg.setAttribute("height", height);
    for (var i = 0; i < names.length; i++) {
      var y = 12 + i * 40;
      svg.appendChild(el("text", { "class": "chart-name", x: 0, y: y + 10 }, names[i] + " (" + shown[i] + ")", true));
      var rect = el("rect", { "class": "s1", x: 0, y: y + 16, height: 16,
                              width: +Math.max(1, (W - 8) * values[i] / highest).toFixed(1),
                              "data-value": String(values[i]) }, null, true);
      rect.appendChild(el("title", {}, names[i] + ": " + shown[i], true));
      svg.appendChild(rect);
    }
    return svg;
  }

  function draw(figure, title, svg, head, data, empty) {
    figure.appendChild(el("figcaption", { "class": "chart-title" }, title));
    if (!data.length) { figure.appendChild(el("p", {}, empty)); return; }
    figure.appendChild(svg);
    figure.appendChild(table(title, head, data));
  }

  function render(root, d) {
    var figures = {}, list = root.querySelectorAll("figure[data-chart]"), i, t;
    for (i = 0; i < list.length; i++) figures[list[i].getAttribute("data-chart")] = list[i];
    var sum = function (a, key) { var s = 0; for (var k = 0; k < a.length; k++) s += a[k][key]; return s; };

    var f = figures.days, days = d.days;
    t = "Lượt xem theo ngày (30 ngày gần nhất)";
    draw(f, t, columns(f, t, vi(sum(days, "views")) + " lượt xem từ " + dayVi(days[0].day) + " đến " +
                       dayVi(days[29].day) + "; mỗi cột một ngày.",
                       days.map(function (e) { return dayVi(e.day); }), days.map(function (e) { return e.views; }),
                       days.map(function (e) { return vi(e.views); }), 0, 5),
         ["Ngày", "Lượt xem"], days.map(function (e) { return [dayVi(e.day), vi(e.views)]; }), "");

    f = figures.months;
    var months = d.months;
    t = "Lượt xem theo tháng (12 tháng gần nhất)";
    draw(f, t, columns(f, t, vi(sum(months, "views")) + " lượt xem từ tháng " + monthVi(months[0].month) +
                       " đến tháng " + monthVi(months[11].month) + "; mỗi cột một tháng.",
                       months.map(function (e) { return monthVi(e.month); }), months.map(function (e) { return e.views; }),
                       months.map(function (e) { return vi(e.views); }), 0, 1),
         ["Tháng", "Lượt xem"], months.map(function (e) { return [monthVi(e.month), vi(e.views)]; }), "");

    f = figures.top;
    t = "Các trang được xem nhiều nhất";
    draw(f, t, rows(f, t, d.top.length + " trang có nhiều lượt xem nhất từ trước tới nay (kể cả số liệu của cổng cũ), "
                    + "nhiều nhất ở trên.", d.top.map(function (e) { return e.path; }),
                    d.top.map(function (e) { return e.views; }), d.top.map(function (e) { return vi(e.views); })),
         ["Trang", "Lượt xem"], d.top.map(function (e) { return [e.path, vi(e.views)]; }), "Chưa có lượt xem nào.");

    f = figures.ratings;
    t = "Đánh giá theo trang";
    draw(f, t, rows(f, t, d.ratings.length + " trang được đánh giá nhiều nhất; độ dài cột là số lượt đánh giá, "
                    + "trong ngoặc là điểm trung bình (1 đến 5).", d.ratings.map(function (e) { return e.path; }),
                    d.ratings.map(function (e) { return e.total; }),
                    d.ratings.map(function (e) { return vi(e.total) + " lượt, trung bình " + decimal(e.average); })),
         ["Trang", "Số lượt đánh giá", "Điểm trung bình", "Mức 1", "Mức 2", "Mức 3", "Mức 4", "Mức 5"],
         d.ratings.map(function (e) {
           return [e.path, vi(e.total), decimal(e.average), vi(e.counts["1"]), vi(e.counts["2"]), vi(e.counts["3"]),
                   vi(e.counts["4"]), vi(e.counts["5"])];
         }), "Chưa có đánh giá nào.");

    f = figures.rating_months;
    var rm = d.rating_months;
    t = "Điểm đánh giá trung bình theo tháng";
    draw(f, t, columns(f, t, "Điểm trung bình (1 đến 5) của các đánh giá mỗi tháng, 12 tháng gần nhất; tháng không có "
                       + "đánh giá thì không có cột. Tổng cộng " + vi(sum(rm, "total")) + " lượt đánh giá.",
                       rm.map(function (e) { return monthVi(e.month); }), rm.map(function (e) { return e.average; }),
                       rm.map(function (e) { return e.average === null ? "chưa có đánh giá" : decimal(e.average); }), 5, 1),
         ["Tháng", "Số lượt đánh giá", "Điểm trung bình"],
         rm.map(function (e) { return [monthVi(e.month), vi(e.total), e.average === null ? "chưa có" : decimal(e.average)]; }),
         "");
  }

  function start() {
    var root = document.querySelector("[data-stats-live]");
    var status = document.querySelector("[data-stats-status]");
    var meta = document.querySelector('meta[name="counter"]');
    if (!root || !status || !meta || !window.fetch) return;
    var failed = "Bộ đếm lượt xem không trả lời hoặc trả lời không đúng dạng, nên chưa có biểu đồ lượt xem và đánh giá. "
               + "Các biểu đồ kiểm tra và văn bản bên dưới không cần bộ đếm.";
    var base;
    try {
      var url = meta.getAttribute("content") || "";
      base = new URL(url.charAt(url.length - 1) === "/" ? url : url + "/", document.baseURI);
    } catch (e) { status.textContent = failed; return; }
    var controller = window.AbortController ? new AbortController() : null;
    var late = false;
    var timer = setTimeout(function () { late = true; if (controller) controller.abort(); }, TIMEOUT);
    fetch(new URL("stats", base).href, { credentials: "omit", cache: "no-store", redirect: "error",
                                         signal: controller ? controller.signal : undefined })
      .then(function (response) { return response.ok && !late ? response.json() : null; })
      .then(function (data) {
        clearTimeout(timer);
        if (late || !valid(data)) { status.textContent = failed; return; }
        render(root, data);
        root.hidden = false;
        status.textContent = "Số liệu của bộ đếm lượt xem đến ngày " + dayVi(data.today) + ".";
      })["catch"](function () { clearTimeout(timer); status.textContent = failed; });
  }

  start();
})();
