/* Lọc sổ văn bản khi gõ: đọc chi-muc.json do site_generator/kinds/documents.py tạo; gõ không dấu vẫn tìm được.
   Không có JavaScript, bảng và các danh sách theo năm, loại, cơ quan, lĩnh vực vẫn đủ dùng. */
(function () {
  "use strict";
  var form = document.querySelector("form.doc-filter[data-index]");
  var body = document.getElementById("danh-sach-van-ban");
  if (!form || !body || !window.fetch) return;
  var input = document.getElementById("loc-van-ban");
  var status = document.getElementById("ket-qua-loc");
  var pages = document.querySelector(".doc-pages");
  var original = body.innerHTML;
  var SHOWN = 50;
  var index = null, timer = null;

  // The same rule as site_generator/text.py fold(): no tone marks, đ -> d, lower case.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function cell(text, url) {
    var td = document.createElement("td");
    if (url) {
      var a = document.createElement("a");
      a.href = url;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function show(rows, total) {
    body.textContent = "";
    rows.slice(0, SHOWN).forEach(function (row) {
      var tr = document.createElement("tr");
      var label = document.createElement("span");
      label.className = "status status-" + row[6];
      label.textContent = index.status[row[6]];
      var state = document.createElement("td");
      state.appendChild(label);
      [cell(row[0], row[7]), cell(row[1]), cell(row[2], row[7]), cell(row[3]), state].forEach(function (td) {
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    status.textContent = total === 0 ? "Không có văn bản nào khớp." :
      "Tìm thấy " + total.toLocaleString("vi-VN") + " văn bản" + (total > SHOWN ? ", hiện " + SHOWN + " văn bản mới nhất." : ".");
  }

  function run() {
    var terms = fold(input.value).split(/\s+/).filter(Boolean);
    if (!terms.length) {
      body.innerHTML = original;
      status.textContent = "";
      if (pages) pages.hidden = false;
      return;
    }
    var found = index.rows.filter(function (row) {
      return terms.every(function (term) { return row.folded.indexOf(term) !== -1; });
    });
    if (pages) pages.hidden = true;
    show(found, found.length);
  }

  fetch(form.getAttribute("data-index")).then(function (r) {
    if (!r.ok) throw new Error("chi-muc.json");
    return r.json();
  }).then(function (data) {
    index = data;
    index.rows.forEach(function (row) {
      row.folded = fold([row[0], row[1], row[2], row[3], row[4], row[5], data.status[row[6]]].join(" "));
    });
    form.hidden = false;
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
  }).catch(function () { /* the static table stays as it is */ });
})();
