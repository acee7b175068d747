// Site search: asks the gongkai server's /api/search and shows ranked results with
// highlighted snippets, filters and pages. Every state is a URL (?q=&plan=&unit=&year=&page=),
// so a search can be shared and the back button works. Where no search server
// answers (a plain static host), the page says so plainly.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.dataset.base) || "/";
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var section = document.getElementById("search-results-section");
  var list = document.getElementById("search-results");
  var pager = document.getElementById("search-pages");
  var facets = document.getElementById("search-facets");
  var params = new URLSearchParams(location.search);
  var q = (params.get("q") || "").trim();
  input.value = q;
  if (!q) {
    input.focus();
    return;
  }
  var FILTERS = [["plan", "计划"], ["year", "年度"], ["unit", "单位"]];
  document.title = "搜索：" + q + " - " + document.title.replace(/^搜索 - /, "");
  status.textContent = "正在搜索……";

  fetch(base + "api/search?" + params.toString(), { headers: { Accept: "application/json" } })
    .then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; },
        function () { throw new Error("not json"); });
    })
    .then(function (res) {
      if (res.ok) { show(res.body); } else { say(res.body.error || "无法处理该查询。"); }
    })
    .catch(function () {
      say("本站点当前没有可用的搜索服务（例如以静态方式托管时）。请按责任单位或工作类别浏览全部任务。", true);
    });

  function say(text, notice) {
    status.textContent = "";
    var p = document.createElement("p");
    if (notice) { p.className = "notice"; }
    p.textContent = text;
    status.appendChild(p);
  }

  function link(changes) {
    var p = new URLSearchParams(location.search);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] === null) { p.delete(k); } else { p.set(k, changes[k]); }
    });
    if (!("page" in changes)) { p.delete("page"); }
    return base + "search/?" + p.toString();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function show(data) {
    var active = FILTERS.filter(function (f) { return params.get(f[0]); });
    var summary = data.total === 0 ? "没有找到与“" + data.query + "”相关的任务。" : "找到 " + data.total + " 项与“" + data.query + "”相关的任务。";
    if (active.length) {
      summary += "（筛选：" + active.map(function (f) { return f[1] + " " + params.get(f[0]); }).join("，") + "）";
    }
    say(summary);
    if (data.notice && data.total !== 0) { say(summary + " " + data.notice); }
    if (active.length) {
      var clear = el("a", "clear-filters", "清除筛选");
      clear.href = link({ plan: null, unit: null, year: null });
      status.appendChild(clear);
    }
    list.innerHTML = "";
    var first = (data.page - 1) * data.limit;
    list.start = first + 1;
    data.hits.forEach(function (hit) {
      var li = el("li", "search-hit");
      var h = el("h3", "hit-title");
      var a = el("a");
      a.href = base + hit.url.replace(/^\//, "");
      a.innerHTML = hit.snippet; // the server escapes the text; only <mark> is markup
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "meta");
      meta.appendChild(el("span", "hit-plan", hit.plan_title + " 第 " + hit.number + " 项"));
      if (hit.category) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("span", "hit-category", hit.category)); }
      li.appendChild(meta);
      if (hit.units && hit.units.length) { li.appendChild(el("p", "hit-units", "单位：" + hit.units.join("、"))); }
      list.appendChild(li);
    });
    section.hidden = data.hits.length === 0;
    // Pages
    pager.innerHTML = "";
    var pages = Math.ceil(data.total / data.limit);
    if (pages > 1) {
      if (data.page > 1) { var prev = el("a", "prev", "上一页"); prev.href = link({ page: String(data.page - 1) }); prev.rel = "prev"; pager.appendChild(prev); }
      pager.appendChild(el("span", "page-of", "第 " + data.page + " 页，共 " + pages + " 页"));
      if (data.page < pages) { var next = el("a", "next", "下一页"); next.href = link({ page: String(data.page + 1) }); next.rel = "next"; pager.appendChild(next); }
    }
    // Facets: links that narrow the search.
    facets.innerHTML = "";
    var shown = false;
    FILTERS.forEach(function (f) {
      var counts = data.facets[f[0]] || {};
      var keys = Object.keys(counts).sort(function (x, y) { return counts[y] - counts[x] || (x < y ? -1 : 1); }).slice(0, 12);
      if (keys.length < 2 && !params.get(f[0])) { return; }
      shown = true;
      var group = el("section", "facet");
      group.appendChild(el("h2", null, "按" + f[1] + "筛选"));
      var ul = el("ul");
      keys.forEach(function (k) {
        var li = el("li");
        var a = el("a", null, k + "（" + counts[k] + "）");
        a.href = link(Object.fromEntries([[f[0], k]]));
        if (params.get(f[0]) === k) { a.setAttribute("aria-current", "true"); }
        li.appendChild(a);
        ul.appendChild(li);
      });
      group.appendChild(ul);
      facets.appendChild(group);
    });
    facets.hidden = !shown || data.total === 0;
  }
})();
