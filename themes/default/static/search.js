// Site search: asks the gongkai server's /api/search and shows highlighted results.
// Where no search server answers (a plain static host), it says so plainly.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.dataset.base) || "/";
  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pages = document.getElementById("search-pages");
  var params = new URLSearchParams(location.search);
  var q = params.get("q") || "";
  input.value = q;
  if (!q.trim()) { input.focus(); return; }
  status.textContent = "正在搜索……";
  var api = base + "api/search?" + params.toString();
  fetch(api, { headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok && r.status !== 400) { throw new Error("HTTP " + r.status); }
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    })
    .then(function (res) { if (res.ok) { show(res.body); } else { status.textContent = res.body.error || "无法处理该查询。"; } })
    .catch(function () {
      status.innerHTML = "";
      var p = document.createElement("p");
      p.className = "notice";
      p.textContent = "本站点当前没有可用的搜索服务（例如以静态方式托管时）。请按责任单位或工作类别浏览全部任务。";
      status.appendChild(p);
    });

  function show(data) {
    list.innerHTML = "";
    status.textContent = data.total === 0 ? "没有找到与“" + data.query + "”相关的任务。" : "找到 " + data.total + " 项任务。";
    data.hits.forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + hit.url.replace(/^\//, "");
      a.innerHTML = hit.snippet; // server-escaped text with <mark> only
      li.appendChild(a);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [hit.plan_title, hit.category, (hit.units || []).join("、")].filter(Boolean).join(" · ");
      li.appendChild(meta);
      list.appendChild(li);
    });
  }
})();
