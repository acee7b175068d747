// Site search: ranked results with highlighted snippets, filters and pages. Every
// state is a URL (?q=&plan=&unit=&year=&page=), so a search can be shared and the
// back button works. The gongkai server's /api/search answers where it runs; on a
// plain static host the browser answers itself from the static index
// (search-engine.js, loaded on the first search), with the same results.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.dataset.base) || "/";
  var version = (script && script.dataset.version) || "";
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

  // --- Where answers come from: the server, else the static index. ---
  // Both start at once, so that a static host answers without waiting for the
  // server's absence: the engine's script and the index description load while
  // /api/search is asked; a server's answer stops the description's download.

  var canStatic = !!(window.DecompressionStream && window.fetch);
  var stop = window.AbortController ? new AbortController() : null;
  var metaBytes = null, engineScript = null;
  if (canStatic) {
    metaBytes = fetch(base + "search/static/meta.json.gz", { cache: "no-cache", signal: stop && stop.signal })
      .then(function (r) {
        if (!r.ok) { throw new Error("no static index"); }
        return r.arrayBuffer();
      })
      .then(function (b) { return new Uint8Array(b); });
    metaBytes.catch(function () {});
    engineScript = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + "static/search-engine.js" + (version ? "?v=" + version : "");
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
    engineScript.catch(function () {});
  }
  var engine = null;
  function staticEngine() {
    if (!canStatic) { return Promise.reject(new Error("old browser")); }
    if (!engine) {
      engine = engineScript.then(function () {
        return window.GongkaiSearch.createEngine({ base: base + "search/static/", meta: metaBytes });
      });
    }
    return engine;
  }
  var useServer = true;
  // One search: resolves to { ok, body } as /api/search would answer.
  function ask(p) {
    if (useServer) {
      return fetch(base + "api/search?" + p.toString(), { headers: { Accept: "application/json" } })
        .then(function (r) {
          var json = (r.headers.get("content-type") || "").indexOf("application/json") === 0;
          if (!json) { throw new Error("no search server"); }
          return r.json().then(function (body) {
            if (stop) { stop.abort(); }
            return { ok: r.ok, body: body };
          });
        })
        .catch(function () { useServer = false; return ask(p); });
    }
    return staticEngine().then(function (e) {
      var parsed = window.GongkaiSearch.requestFromParams(p);
      if (parsed.error) { return { ok: false, body: { error: parsed.error } }; }
      return e.search(parsed.request).then(function (body) { return { ok: true, body: body }; },
        function (err) {
          if (err.status === 400) { return { ok: false, body: { error: err.message } }; }
          throw err;
        });
    });
  }

  // The facets of a search without one of its filters: the values it can change to.
  function without(name) {
    var p = new URLSearchParams(params);
    p.delete(name);
    p.delete("page");
    p.set("limit", "1");
    return ask(p).then(function (r) { return r.ok ? r.body : null; }, function () { return null; });
  }

  var active = FILTERS.filter(function (f) { return params.get(f[0]); });
  Promise.all([ask(params)].concat(active.map(function (f) { return without(f[0]); })))
    .then(function (answers) {
      var res = answers[0];
      if (!res.ok) { failed(res.body.error || "无法处理该查询。"); return; }
      var others = {};
      active.forEach(function (f, i) { others[f[0]] = answers[i + 1]; });
      show(res.body, others);
    })
    .catch(function () {
      say("搜索暂时无法使用（本站点没有可用的搜索服务或搜索索引）。", true);
      browseLinks();
    });

  // --- The page ---

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function say(text, notice) {
    var p = el("p", notice ? "notice" : null, text);
    if (status.textContent === "正在搜索……") { status.textContent = ""; }
    status.appendChild(p);
    return p;
  }
  function anchor(text, href, cls) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }
  function link(changes) {
    var p = new URLSearchParams(location.search);
    Object.keys(changes).forEach(function (k) {
      if (changes[k] === null) { p.delete(k); } else { p.set(k, changes[k]); }
    });
    if (!("page" in changes)) { p.delete("page"); }
    return base + "search/?" + p.toString();
  }
  // Where to go when a search finds nothing: every task, by unit and by category.
  function browseLinks() {
    var p = el("p", "browse");
    p.appendChild(document.createTextNode("您可以按"));
    p.appendChild(anchor("责任单位", base + "units/"));
    p.appendChild(document.createTextNode("或"));
    p.appendChild(anchor("工作类别", base + "categories/"));
    p.appendChild(document.createTextNode("浏览全部任务。"));
    status.appendChild(p);
  }
  function failed(message) {
    status.textContent = "";
    say("无法处理这个搜索：" + message, true);
    var p = el("p");
    p.appendChild(anchor("重新搜索“" + q + "”", base + "search/?q=" + encodeURIComponent(q)));
    status.appendChild(p);
  }
  // A filter's value as a reader knows it: a plan's title, not its slug.
  function valueName(name, value, data) {
    if (name === "plan") { return (data.plan_titles && data.plan_titles[value]) || value; }
    if (name === "year") { return value + " 年"; }
    return value;
  }

  function show(data, others) {
    status.textContent = "";
    var summary = data.total === 0 ? "没有找到与“" + data.query + "”相关的任务。" : "找到 " + data.total + " 项与“" + data.query + "”相关的任务。";
    if (active.length) {
      summary += "（筛选：" + active.map(function (f) {
        var v = params.get(f[0]), titles = others[f[0]] || data;
        return f[1] + " " + valueName(f[0], v, titles);
      }).join("，") + "）";
    }
    say(summary);
    if (data.notice) { say(data.notice, true); }
    if (active.length) { status.appendChild(anchor("清除筛选", link({ plan: null, unit: null, year: null }), "clear-filters")); }
    var pages = Math.max(1, Math.ceil(data.total / data.limit));
    if (data.total > 0 && data.page > pages) {
      var past = say("第 " + data.page + " 页超出了结果范围（共 " + pages + " 页）。", true);
      past.appendChild(document.createTextNode(" "));
      past.appendChild(anchor("查看最后一页", link({ page: String(pages) })));
    }
    if (data.total === 0) { browseLinks(); }
    list.innerHTML = "";
    list.start = (data.page - 1) * data.limit + 1;
    data.hits.forEach(function (hit) {
      var li = el("li", "search-hit");
      var h = el("h3", "hit-title");
      var a = el("a");
      a.href = base + hit.url.replace(/^\//, "");
      a.innerHTML = hit.snippet; // escaped text; only <mark> is markup
      h.appendChild(a);
      li.appendChild(h);
      var meta = el("p", "meta");
      meta.appendChild(el("span", "hit-plan", hit.plan_title + " 第 " + hit.number + " 项"));
      if (hit.category) {
        meta.appendChild(document.createTextNode(" · "));
        var category = el("span", "hit-category");
        category.innerHTML = hit.category_html; // escaped text; only <mark> is markup
        meta.appendChild(category);
      }
      li.appendChild(meta);
      if (hit.units && hit.units.length) {
        var units = el("p", "hit-units");
        units.innerHTML = "单位：" + hit.units_html.join("、"); // escaped; only <mark>
        li.appendChild(units);
      }
      list.appendChild(li);
    });
    section.hidden = data.hits.length === 0;
    pager.innerHTML = "";
    if (pages > 1 && data.page <= pages) {
      if (data.page > 1) { var prev = anchor("上一页", link({ page: String(data.page - 1) }), "prev"); prev.rel = "prev"; pager.appendChild(prev); }
      pager.appendChild(el("span", "page-of", "第 " + data.page + " 页，共 " + pages + " 页"));
      if (data.page < pages) { var next = anchor("下一页", link({ page: String(data.page + 1) }), "next"); next.rel = "next"; pager.appendChild(next); }
    }
    // Facets: links that narrow the search; a chosen filter lists the values it
    // can change to, and a link to remove it.
    facets.innerHTML = "";
    var shown = false;
    FILTERS.forEach(function (f) {
      var name = f[0], chosen = params.get(name);
      var source = chosen ? others[name] : data;
      var counts = (source && source.facets[name]) || {};
      var keys = Object.keys(counts).sort(function (x, y) { return counts[y] - counts[x] || (x < y ? -1 : 1); }).slice(0, 12);
      if (chosen && keys.indexOf(chosen) < 0) { keys.unshift(chosen); }
      if (keys.length < 2 && !chosen) { return; }
      shown = true;
      var group = el("section", "facet");
      group.appendChild(el("h2", null, "按" + f[1] + "筛选"));
      var ul = el("ul");
      keys.forEach(function (k) {
        var li = el("li");
        var label = valueName(name, k, source || data) + (counts[k] ? "（" + counts[k] + "）" : "");
        if (k === chosen) {
          li.appendChild(el("strong", "facet-chosen", label));
          li.firstChild.setAttribute("aria-current", "true");
          li.appendChild(document.createTextNode(" "));
          var remove = anchor("取消", link(Object.fromEntries([[name, null]])), "facet-remove");
          remove.setAttribute("aria-label", "取消筛选：" + valueName(name, k, source || data));
          li.appendChild(remove);
        } else {
          li.appendChild(anchor(label, link(Object.fromEntries([[name, k]]))));
        }
        ul.appendChild(li);
      });
      group.appendChild(ul);
      facets.appendChild(group);
    });
    facets.hidden = !shown || data.total === 0 && !active.length;
  }
})();
