#!/usr/bin/env python3
"""Writes the Hugo equivalent of a gongkai site, from gongkai's own open data
(output/data/tasks.json): one page per plan with its tasks, taxonomies `units` and
`categories`, and a minimal theme that renders the same information.

Usage: hugo_site.py TASKS_JSON OUT_DIR
"""
import json
import os
import sys
from collections import OrderedDict

tasks_json, out = sys.argv[1], sys.argv[2]
tasks = json.load(open(tasks_json, encoding="utf-8"))
plans = OrderedDict()
for t in tasks:
    plans.setdefault(t["plan"], []).append(t)

os.makedirs(f"{out}/content/plans", exist_ok=True)
os.makedirs(f"{out}/layouts/_default", exist_ok=True)
with open(f"{out}/config.toml", "w", encoding="utf-8") as f:
    f.write('baseURL = "http://127.0.0.1:8000/"\nlanguageCode = "zh-CN"\ntitle = "政务公开工作要点"\n'
            'disableKinds = ["RSS"]\n[taxonomies]\n  unit = "units"\n  category = "categories"\n')


def q(s):
    return json.dumps(s, ensure_ascii=False)


for slug, ts in plans.items():
    first = ts[0]
    # Units are per jurisdiction, as on gongkai's unit pages: one term per (unit, government).
    units = sorted({f"{u}（{t['jurisdiction']}）" for t in ts for k in ("lead", "responsible", "cooperating") for u in t[k]})
    cats = sorted({c for t in ts for c in t["category"]})
    lines = ["+++", f"title = {q(first['plan_title'])}", f"issuer = {q(first['issuer'])}", f"year = {first['year']}",
             f"units = {q(units)}", f"categories = {q(cats)}", "+++", ""]
    current = None
    for t in ts:
        if t["category"] != current:
            current = t["category"]
            lines.append("## " + " › ".join(current) + "\n")
        lines.append(f"{t['number']}. {t['text']}\n")
        if t["requirement"]:
            lines.append(f"   {t['requirement']}\n")
        for key, label in (("lead", "牵头"), ("responsible", "负责"), ("cooperating", "配合")):
            if t[key]:
                lines.append(f"   {label}：{'、'.join(t[key])}\n")
    with open(f"{out}/content/plans/{slug}.md", "w", encoding="utf-8") as f:
        f.write("\n".join(lines))

base = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>"""
layouts = {
    "baseof.html": base,
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.issuer }} · {{ .Params.year }}</p>'
                   '<p>{{ range .Params.units }}<a href="{{ "units/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>'
                   '{{ .Content }}{{ end }}',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
                 '</li>{{ end }}</ul>{{ end }}',
    "terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li>'
                  '<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}',
    "term.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
                 '{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
}
for name, body in layouts.items():
    with open(f"{out}/layouts/_default/{name}", "w", encoding="utf-8") as f:
        f.write(body)
with open(f"{out}/layouts/index.html", "w", encoding="utf-8") as f:
    f.write('{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Site.RegularPages }}<li>'
            '<a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}')
print(f"{len(plans)} plans, {len(tasks)} tasks")
