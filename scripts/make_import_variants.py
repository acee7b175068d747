#!/usr/bin/env python3
"""Writes four bundled plans in table layouts that the published plans do NOT have,
as HTML pages and Word documents, to measure what `gongkai import` makes of them
(tests/fixtures/import/variants/).

Plans: 000 2021-kaiping-changsha, 002 2021-fuzhou-cangshan, 003 2021-huadu-yingji,
004 2021-zhongshan (traditional script). Layouts (columns left to right):

  catcol     序号 | 工作任务 (the category, merged down over its tasks) | 具体要求 (the
             task; its requirement as further paragraphs in the same cell) | 责任单位 |
             完成时限
  unitfirst  序号 | 责任单位 | 工作任务 — the unit column before the task; categories
             are rows across the table
  nonumber   catcol without the 序号 column (only for plans numbered 1..N in order)
  twoheader  catcol with a header printed on two rows: 工作任务 over 序号 | 类别 | 具体要求,
             责任单位 and 完成时限 merged down over both rows
  label      类别 (merged down) | 具体内容 | 责任单位 — no number column

A sub-category (### in the plan) is a row across the table; where a category column is
merged down beside it (catcol, nonumber, twoheader, label) the row spans every column
right of the category column (a vertical merge cannot pass through a row that spans
the whole table), its 序号 cell left blank. The unit cell is the plan's unit line as
printed when the task has only 责任单位 / 落實單位; when it has another key or several
keys it is `牵头单位：A；责任单位：B`. Deadlines: a 完成时限 line (none of the four plans
has one) goes into the 完成时限 column of catcol / nonumber / twoheader; unitfirst
and label get that column only when the plan has a deadline. Every unit cell is
written out on its task (no merged unit cells), so only the layout differs from the
plan. The HTML is a plain page (`<td>` cells, real rowspan/colspan, `<br>` between
the paragraphs of a cell); the Word document has real merged cells (python-docx
`cell.merge()`: w:vMerge down, w:gridSpan across) and its header rows marked to
repeat on every page.

    pip install python-docx
    python3 scripts/make_import_variants.py            # writes the variants
    python3 scripts/make_import_variants.py --check    # and measures the importer

`--check` runs `target/release/gongkai import` on every variant, builds one
throw-away site holding the four plans and every import, and compares each imported
task with the plan's task of the same number in `data/tasks.json` (numbers, text,
requirement, lead / responsible / cooperating units as gongkai resolves them,
deadline, category path); it prints a Markdown table and, with `--details`, every
difference. `--gongkai PATH` picks another binary, `--keep DIR` keeps the site.
"""

import argparse
import collections
import difflib
import html
import io
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from make_import_fixtures import parse_plan, repeat_header  # noqa: E402

from docx import Document  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "import" / "variants"

PLANS = {
    "000": "2021-kaiping-changsha.md",
    "002": "2021-fuzhou-cangshan.md",
    "003": "2021-huadu-yingji.md",
    "004": "2021-zhongshan.md",
}
LAYOUTS = ["catcol", "unitfirst", "nonumber", "twoheader", "label"]
FORMATS = ["html", "docx"]

# Keys whose units are "responsible" unless a role word says otherwise: a cell under a
# 责任单位 column may then print the names alone.
RESPONSIBLE_KEYS = {"责任单位", "責任單位", "责任部门", "責任部門", "落实单位", "落實單位", "责任科室", "責任科室"}
DEADLINE = re.compile(r"^(完成时限|完成時限|时限要求|時限要求)[：:](.*)$")


class Cell:
    """A table cell: its paragraphs and how many rows / columns it covers."""

    def __init__(self, paragraphs, rowspan=1, colspan=1):
        if isinstance(paragraphs, str):
            paragraphs = [paragraphs]
        self.paragraphs = [p for p in paragraphs if p] or [""]
        self.rowspan = rowspan
        self.colspan = colspan


COVERED = None  # a grid position covered by a cell above or to the left


# ---------------------------------------------------------------------------------
# The plan, read with make_import_fixtures.parse_plan


def load(name):
    meta, _, sections = parse_plan(ROOT / "content" / "plans" / name)
    groups = []  # (category title, direct tasks, [(sub-category title, tasks)])
    for level, title, _prose, tasks in sections:
        tasks = [task_record(t) for t in tasks]
        if level == 1 or not groups:
            groups.append((title, tasks, []))
        else:
            groups[-1][2].append((title, tasks))
    return meta, groups


def task_record(task):
    number, text, req, attrs = task
    deadline, requirement = "", []
    for line in req:
        m = DEADLINE.match(line)
        if m:
            deadline = m.group(2).strip()
        else:
            requirement.append(line)
    return {"number": number, "text": text, "req": requirement, "attrs": attrs, "deadline": deadline}


def unit_cell(task):
    attrs = task["attrs"]
    if len(attrs) == 1 and attrs[0][0] in RESPONSIBLE_KEYS:
        return attrs[0][1]
    return "；".join(f"{key}：{value}" for key, value in attrs)


def task_paragraphs(task):
    return [task["text"]] + task["req"]


def numbered_in_order(groups):
    numbers = [t["number"] for _, tasks, subs in groups for t in tasks + [x for _, ts in subs for x in ts]]
    return numbers == [str(i) for i in range(1, len(numbers) + 1)]


def has_deadlines(groups):
    return any(t["deadline"] for _, tasks, subs in groups for t in tasks + [x for _, ts in subs for x in ts])


# ---------------------------------------------------------------------------------
# Layouts: each returns (header rows, body rows) as grids of Cell / COVERED


def category_column_layout(groups, width, category_col, task_row, sub_row):
    """Rows of a layout whose category cell is merged down its column over all the
    rows of the category (its sub-category rows included)."""
    rows = []
    for title, tasks, subs in groups:
        block = [task_row(t) for t in tasks]
        for sub_title, sub_tasks in subs:
            block.append(sub_row(sub_title))
            block += [task_row(t) for t in sub_tasks]
        if not block:
            block = [[Cell("") for _ in range(width)]]
        block[0][category_col] = Cell(title, rowspan=len(block))
        for row in block[1:]:
            row[category_col] = COVERED
        rows += block
    return rows


def catcol(groups, two_header=False):
    width = 5

    def task_row(t):
        return [Cell(t["number"]), Cell(""), Cell(task_paragraphs(t)), Cell(unit_cell(t)), Cell(t["deadline"])]

    def sub_row(title):
        return [Cell(""), Cell(""), Cell(title, colspan=width - 2), COVERED, COVERED]

    body = category_column_layout(groups, width, 1, task_row, sub_row)
    if two_header:
        header = [
            [Cell("工作任务", colspan=3), COVERED, COVERED, Cell("责任单位", rowspan=2), Cell("完成时限", rowspan=2)],
            [Cell("序号"), Cell("类别"), Cell("具体要求"), COVERED, COVERED],
        ]
    else:
        header = [[Cell(w) for w in ["序号", "工作任务", "具体要求", "责任单位", "完成时限"]]]
    return header, body


def nonumber(groups):
    width = 4

    def task_row(t):
        return [Cell(""), Cell(task_paragraphs(t)), Cell(unit_cell(t)), Cell(t["deadline"])]

    def sub_row(title):
        return [Cell(""), Cell(title, colspan=width - 1), COVERED, COVERED]

    header = [[Cell(w) for w in ["工作任务", "具体要求", "责任单位", "完成时限"]]]
    return header, category_column_layout(groups, width, 0, task_row, sub_row)


def label(groups):
    words = ["类别", "具体内容", "责任单位"] + (["完成时限"] if has_deadlines(groups) else [])
    width = len(words)

    def task_row(t):
        row = [Cell(""), Cell(task_paragraphs(t)), Cell(unit_cell(t))]
        return row + ([Cell(t["deadline"])] if width == 4 else [])

    def sub_row(title):
        return [Cell(""), Cell(title, colspan=width - 1)] + [COVERED] * (width - 2)

    header = [[Cell(w) for w in words]]
    return header, category_column_layout(groups, width, 0, task_row, sub_row)


def unitfirst(groups):
    words = ["序号", "责任单位", "工作任务"] + (["完成时限"] if has_deadlines(groups) else [])
    width = len(words)

    def across(title):
        return [Cell(title, colspan=width)] + [COVERED] * (width - 1)

    def task_row(t):
        row = [Cell(t["number"]), Cell(unit_cell(t)), Cell(task_paragraphs(t))]
        return row + ([Cell(t["deadline"])] if width == 4 else [])

    rows = []
    for title, tasks, subs in groups:
        rows.append(across(title))
        rows += [task_row(t) for t in tasks]
        for sub_title, sub_tasks in subs:
            rows.append(across(sub_title))
            rows += [task_row(t) for t in sub_tasks]
    return [[Cell(w) for w in words]], rows


def layout(name, groups):
    if name == "catcol":
        return catcol(groups)
    if name == "twoheader":
        return catcol(groups, two_header=True)
    if name == "nonumber":
        return nonumber(groups)
    if name == "label":
        return label(groups)
    if name == "unitfirst":
        return unitfirst(groups)
    raise ValueError(name)


# ---------------------------------------------------------------------------------
# Writers


def write_html(path, title, header, body):
    out = [f'<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>',
           f"<p>{html.escape(title)}</p>", '<table border="1">']
    for row in header + body:
        tds = []
        for cell in row:
            if cell is COVERED:
                continue
            spans = ""
            if cell.rowspan > 1:
                spans += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                spans += f' colspan="{cell.colspan}"'
            tds.append(f"<td{spans}>" + "<br>".join(html.escape(p) for p in cell.paragraphs) + "</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table></body></html>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_docx(path, title, header, body):
    rows = header + body
    width = len(rows[0])
    doc = Document()
    doc.add_paragraph(title)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    # Merge first, then write each cell's text into its (merged) cell.
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not COVERED and (cell.rowspan > 1 or cell.colspan > 1):
                table.cell(r, c).merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is COVERED or cell.paragraphs == [""]:
                continue
            target = table.cell(r, c)
            target.text = cell.paragraphs[0]
            for p in cell.paragraphs[1:]:
                target.add_paragraph(p)
    for r in range(len(header)):
        repeat_header(table.rows[r])
    save_reproducibly(doc, path)


def save_reproducibly(doc, path):
    """Saves the document with fixed zip timestamps, so that running the script again
    rewrites the same bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2021, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))


def make():
    OUT.mkdir(parents=True, exist_ok=True)
    made, skipped = [], []
    for code, name in PLANS.items():
        meta, groups = load(name)
        for layout_name in LAYOUTS:
            if layout_name == "nonumber" and not numbered_in_order(groups):
                skipped.append(f"{code}-{layout_name} (task numbers are not 1..N in order)")
                continue
            header, body = layout(layout_name, groups)
            write_html(OUT / f"{code}-{layout_name}.html", meta["title"], header, body)
            write_docx(OUT / f"{code}-{layout_name}.docx", meta["title"], header, body)
            made += [f"{code}-{layout_name}.html", f"{code}-{layout_name}.docx"]
    print(f"wrote {len(made)} documents into {OUT}")
    for s in skipped:
        print(f"skipped {s}")
    return made


# ---------------------------------------------------------------------------------
# Measuring the importer


def slug_of(file_name):
    return "v-" + file_name.replace(".", "-")


def check(files, gongkai, keep, details):
    site = pathlib.Path(keep) if keep else pathlib.Path(tempfile.mkdtemp(prefix="gongkai-variants-"))
    marker = site / ".import-variants-site"
    if site.exists() and any(site.iterdir()):
        if not marker.exists():
            sys.exit(f"{site} is not empty and was not made by this script: give another --keep folder")
        shutil.rmtree(site)
    (site / "content" / "plans").mkdir(parents=True)
    marker.touch()
    (site / "gongkai.toml").write_text('title = "variants"\nbase_url = "/"\ntheme = "default"\n', encoding="utf-8")
    for name in PLANS.values():
        shutil.copy(ROOT / "content" / "plans" / name, site / "content" / "plans" / name)
    warnings = {}
    failed = {}
    for f in files:
        run = subprocess.run([gongkai, "import", str(OUT / f)], capture_output=True, text=True, cwd=ROOT)
        warnings[f] = sum(1 for line in run.stderr.splitlines() if line.strip())
        if run.returncode != 0:
            failed[f] = run.stderr.strip().splitlines()[:3]
            continue
        (site / "content" / "plans" / f"{slug_of(f)}.md").write_text(run.stdout, encoding="utf-8")
        (site / "imports").mkdir(exist_ok=True)
        (site / "imports" / f"{f}.md").write_text(run.stdout, encoding="utf-8")
        (site / "imports" / f"{f}.stderr").write_text(run.stderr, encoding="utf-8")
    build = subprocess.run([gongkai, "build", "--root", str(site)], capture_output=True, text=True)
    if build.returncode != 0:
        sys.exit(f"gongkai build failed:\n{build.stderr}")
    tasks = json.loads((site / "output" / "data" / "tasks.json").read_text(encoding="utf-8"))
    by_plan = collections.defaultdict(list)
    for t in tasks:
        by_plan[t["plan"]].append(t)

    rows = []
    all_kinds = collections.Counter()
    examples = collections.defaultdict(list)
    for f in files:
        code = f.split("-", 1)[0]
        plan = by_plan[PLANS[code][:-3]]
        headings = {c for t in plan for c in t["category"]}
        got = by_plan.get(slug_of(f), [])
        kinds_here = collections.Counter()
        differing = 0
        by_field = collections.Counter()
        used = set()
        for want in plan:
            # The imported task of the same number; of several, the one most like it.
            candidates = [t for t in got if t["number"] == want["number"] and id(t) not in used]
            have = max(candidates, key=lambda t: likeness(want, t)) if candidates else None
            if have is not None:
                used.add(id(have))
            kinds = compare(want, have, headings)
            for group, fields in FIELD_GROUPS.items():
                if have is None or any(want[k] != have[k] for k in fields):
                    by_field[group] += 1
            if kinds:
                differing += 1
                for k in kinds:
                    kinds_here[k] += 1
                    all_kinds[k] += 1
                    examples[k].append((f, want, have))
                if details:
                    print(f"{f} task {want['number']}: {'; '.join(kinds)}")
                    for field in ("number", "text", "requirement", "lead", "responsible", "cooperating",
                                  "deadline", "category"):
                        w = want[field]
                        h = have[field] if have else None
                        if w != h:
                            print(f"    {field}: plan {json.dumps(w, ensure_ascii=False)}")
                            print(f"    {' ' * len(field)}  got  {json.dumps(h, ensure_ascii=False)}")
        extra = [t for t in got if id(t) not in used]
        note = "; ".join(f"{k} ({n})" for k, n in kinds_here.most_common())
        for t in extra:
            note += ("; " if note else "") + f"extra task `{t['number']}. {t['text'][:24]}`"
        header_categories = sorted({c for t in got for c in t["category"] if c in HEADER_WORDS})
        if header_categories:
            note += f"; category `{'、'.join(header_categories)}` (a header cell)"
        if f in failed:
            note = "import failed: " + " ".join(failed[f])
        rows.append((f, len(got), len(plan), differing, *(by_field[g] for g in FIELD_GROUPS), warnings[f],
                     note or "—"))

    print("| variant | tasks imported | tasks in the plan | tasks that differ | text or requirement differs "
          "| units or roles differ | deadline differs | category differs | warnings | kinds of difference (tasks) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x) for x in r) + " |")
    print()
    print("kinds of difference, over all variants (tasks):")
    for k, n in all_kinds.most_common():
        f, want, have = examples[k][0]
        print(f"  {n:4}  {k}   e.g. {f} task {want['number']}")
    if keep:
        print(f"site kept in {site} (imports/ holds each imported plan and its warnings)")
    else:
        shutil.rmtree(site)


def likeness(want, have):
    def whole(t):
        return t["text"] + (t["requirement"] or "")
    return difflib.SequenceMatcher(None, whole(want), whole(have)).ratio()


# Compared fields (the keys of tasks.json), in groups: a task counts once per group.
FIELD_GROUPS = {
    "text": ("number", "text", "requirement"),
    "units": ("lead", "responsible", "cooperating"),
    "deadline": ("deadline",),
    "category": ("category",),
}

HEADER_WORDS = {"序号", "工作任务", "具体要求", "责任单位", "完成时限", "类别", "具体内容"}


def compare(want, have, headings):
    """The kinds of difference between a plan task and the imported task of its
    number. `headings`: every category and sub-category title of the plan."""
    if have is None:
        return ["task missing"]
    kinds = []
    joined = [want["text"]] + ([want["requirement"]] if want["requirement"] else [])
    if have["text"] != want["text"]:
        if want["requirement"] and have["text"] in ("".join(joined), " ".join(joined), "\n".join(joined)):
            kinds.append("requirement joined into text")
        elif have["text"] in headings and want["text"] in (have["requirement"] or ""):
            kinds.append("category heading read as the task text (text → requirement)")
        elif want["text"] in have["text"]:
            kinds.append("text has extra words")
        else:
            kinds.append("text differs")
    elif have["requirement"] != want["requirement"]:
        extra = (have["requirement"] or "").replace(want["requirement"] or "", "").strip()
        if extra and all(line.strip() in headings for line in extra.splitlines() if line.strip()):
            kinds.append("next category heading joined into the requirement")
        else:
            kinds.append("requirement differs" if have["requirement"] else "requirement lost")
    units = ("lead", "responsible", "cooperating")
    if any(have[k] != want[k] for k in units):
        want_all = sorted(u for k in units for u in want[k])
        have_all = sorted(u for k in units for u in have[k])
        if not have_all:
            kinds.append("units lost")
        elif want_all == have_all:
            kinds.append("unit roles changed")
        else:
            kinds.append("unit names differ")
    if have["deadline"] != want["deadline"]:
        kinds.append("deadline differs")
    if have["category"] != want["category"]:
        if have["category"] and all(c in HEADER_WORDS for c in have["category"]):
            kinds.append("category lost (a header cell is the category)")
        else:
            kinds.append("wrong category")
    return kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="import every variant and compare with the plan")
    parser.add_argument("--details", action="store_true", help="with --check: print every difference")
    parser.add_argument("--gongkai", default=str(ROOT / "target" / "release" / "gongkai"))
    parser.add_argument("--keep", help="with --check: build the comparison site in this folder and keep it")
    args = parser.parse_args()
    files = make()
    if args.check:
        check(files, args.gongkai, args.keep, args.details)


if __name__ == "__main__":
    main()
