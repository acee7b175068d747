#!/usr/bin/env python3
"""Makes real Word and HTML documents of the five bundled plans, laid out as the
offices published them, for the importer's tests (tests/fixtures/import/).

python-docx writes each plan as a Word document: the notice paragraphs, then the
task table with the merged cells the published layout shows (000: category and
unit cells merged down their rows; 002: category rows across the table and the
header row repeated on every page; 003: blank-below unit cells merged; 004: a unit
cell merged over the tasks it covers); 001 is prose, its tasks a Word numbered
list (the numbers are not in the text). LibreOffice then converts each document to
HTML and back to .docx, so that the tests also see the markup an office suite
writes.

`layouts/measure-rows.docx` and `.html` are a county's task table as many are
printed: each task's number and text merged down over the rows of its measures,
each row with its own units and deadline (or the unit cell merged too).
`layouts/auto-numbered.docx`: a table whose 序号 column Word numbers itself (empty
paragraphs in the List Number style: the numbers are not in the text).

    pip install python-docx          # once
    apt-get install libreoffice-writer-nogui   # for the conversions (optional)
    scripts/make_import_fixtures.py

The documents are committed; CI does not run this script.
"""

import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "import"

PLANS = {
    "000": ("2021-kaiping-changsha.md", ["工作任务", "具体要求", "责任部门"]),
    "001": ("2021-baicheng-gongyeyuanqu.md", None),
    "002": ("2021-fuzhou-cangshan.md", ["工作任务", "工作要求", "牵头单位", "责任单位"]),
    "003": ("2021-huadu-yingji.md", ["工作任务", "具体要求", "责任单位"]),
    "004": ("2021-zhongshan.md", ["工作任務", "具體要求", "落實單位"]),
}


def parse_plan(path):
    """A plan file → (front matter, preamble paragraphs, sections). A section is
    (level, title, prose, tasks); a task is (number, text, requirement lines,
    [(key, value)] attribute lines)."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("+++", 2)
    meta = tomllib.loads(front)
    preamble, sections = [], []
    task = None
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.split("\n")
        first = lines[0]
        m = re.match(r"^(\d+)\. (.*)$", first)
        if first.startswith("## ") or first.startswith("### "):
            level = 1 if first.startswith("## ") else 2
            sections.append([level, first.split(" ", 1)[1].strip(), [], []])
            task = None
        elif m:
            task = [m.group(1), " ".join(l.strip() for l in [m.group(2)] + lines[1:]), [], []]
            sections[-1][3].append(task)
        elif task is not None and block.startswith("   "):
            attrs = [l.strip() for l in lines if re.match(r"^\s*\S+?单位：|^\s*\S+?單位：|^\s*\S+?部门：", l)]
            if attrs:
                for a in attrs:
                    key, value = a.split("：", 1)
                    task[3].append((key, value))
            else:
                task[2].append("".join(l.strip() for l in lines))
        elif sections:
            sections[-1][2].append(" ".join(l.strip().rstrip("\\") for l in lines))
        else:
            preamble.append("".join(l.strip().rstrip("\\").strip("*") for l in lines))
    return meta, preamble, sections


def merge_down(table, column, first, last):
    """Merges the cells of one column from row `first` to row `last`."""
    if last > first:
        table.cell(first, column).merge(table.cell(last, column))


def repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def units_text(task, key=None):
    values = [v for k, v in task[3] if key is None or k == key]
    return "；".join(values)


def table_document(code, meta, preamble, sections, header):
    doc = Document()
    for p in preamble:
        doc.add_paragraph(p)
    doc.add_paragraph(meta["title"])
    rows = [header]
    merges = []  # (column, first row, last row)
    if code == "002":
        # Categories and sub-categories are rows across the table; the task cell
        # is the task's title, the requirement beside it; lead and responsible apart.
        spans = []
        for level, title, prose, tasks in sections:
            spans.append(len(rows))
            rows.append([title, "", "", ""])
            for number, text, req, attrs in tasks:
                rows.append([f"{number}.{text}", "".join(req), units_text((0, 0, 0, attrs), "牵头单位"),
                             units_text((0, 0, 0, attrs), "责任单位")])
        doc_table = fill(doc, rows)
        for r in spans:
            doc_table.cell(r, 0).merge(doc_table.cell(r, 3))
        repeat_header(doc_table.rows[0])
        return doc
    category_rows = []
    unit_merges = []
    for level, title, prose, tasks in sections:
        if not tasks:
            # A category whose tasks are under its sub-categories: a row across.
            rows.append([title] + [""] * (len(header) - 1))
            category_rows.append(len(rows) - 1)
            continue
        start = len(rows)
        previous = None
        for number, text, req, attrs in tasks:
            units = "；".join(v for _, v in attrs)
            merged = units == previous
            if merged:
                # The same units as the task above: one merged cell.
                unit_merges.append(len(rows))
            previous = units
            # A merged cell holds its text once, in its first row.
            rows.append([title if len(rows) == start else "", f"{number}.{text}" + "".join(req),
                         "" if merged else units])
        merges.append((0, start, len(rows) - 1))
    doc_table = fill(doc, rows)
    for column, first, last in merges:
        merge_down(doc_table, column, first, last)
    # Runs of rows whose unit cell is merged with the row above.
    r = 0
    while r < len(rows):
        if r + 1 in unit_merges:
            last = r + 1
            while last + 1 in unit_merges:
                last += 1
            merge_down(doc_table, len(header) - 1, r, last)
            r = last + 1
        else:
            r += 1
    for r in category_rows:
        doc_table.cell(r, 0).merge(doc_table.cell(r, len(header) - 1))
    repeat_header(doc_table.rows[0])
    return doc


def fill(doc, rows):
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    return table


def prose_document(meta, preamble, sections):
    """001: headings and prose as paragraphs, tasks a Word numbered list
    ("List Number": the numbers come from numbering.xml, not the text)."""
    doc = Document()
    doc.add_paragraph(meta["title"])
    for p in preamble:
        doc.add_paragraph(p)
    for level, title, prose, tasks in sections:
        doc.add_paragraph(title)
        for p in prose:
            doc.add_paragraph(p)
        for number, text, req, attrs in tasks:
            units = "；".join(v for _, v in attrs)
            doc.add_paragraph(f"{text}{''.join(req)}（{units}）", style="List Number")
    return doc


# A county's table: 序号 and 重点任务 merged down over the rows of each task's measures.
MEASURE_ROWS_TITLE = "某某县2024年政务公开工作要点任务分工"
MEASURE_ROWS_HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]
# A category, or a task: (number, text, rows of (measure, lead, cooperating, deadline));
# None in a row is a cell merged with the one above it.
MEASURE_ROWS = [
    "一、围绕稳经济促发展加强政策发布解读",
    ("1", "加强经济政策解读", [
        ("围绕扩大内需、优化营商环境等重点工作，及时发布政策解读材料。", "县发展改革局", "县财政局", "2024年12月底前"),
        ("主要负责同志带头解读重大政策，参加政策吹风会。", "县政府办公室", "", "2024年6月底前"),
        ("做好政策问答，回应企业关切。", None, "县直各有关单位", "持续推进"),
    ]),
    ("2", "做好营商环境信息公开", [
        ("公开涉企收费目录清单并动态更新。", "县市场监管局", "县商务局", "持续推进"),
    ]),
    "二、围绕保障和改善民生做好信息公开",
    ("3", "推进教育领域信息公开", [
        ("公开义务教育招生入学政策。", "县教育局", "", "2024年8月底前"),
        ("公开学校划片范围。", None, None, None),
    ]),
]


def measure_rows_documents():
    """Writes layouts/measure-rows.docx (python-docx, merged cells) and .html (rowspan)."""
    doc = Document()
    doc.add_paragraph(MEASURE_ROWS_TITLE)
    table = doc.add_table(rows=1, cols=len(MEASURE_ROWS_HEADER))
    table.style = "Table Grid"
    for cell, word in zip(table.rows[0].cells, MEASURE_ROWS_HEADER):
        cell.text = word
    html = [f"<html><head><meta charset=\"utf-8\"><title>{MEASURE_ROWS_TITLE}</title></head><body>",
            f"<h1>{MEASURE_ROWS_TITLE}</h1>", "<table border=\"1\">",
            "<tr>" + "".join(f"<th>{w}</th>" for w in MEASURE_ROWS_HEADER) + "</tr>"]
    for item in MEASURE_ROWS:
        if isinstance(item, str):
            row = table.add_row()
            row.cells[0].merge(row.cells[-1]).text = item
            html.append(f"<tr><td colspan=\"{len(MEASURE_ROWS_HEADER)}\">{item}</td></tr>")
            continue
        number, text, rows = item
        first = len(table.rows)
        for k, measure_row in enumerate(rows):
            cells = table.add_row().cells
            if k == 0:
                cells[0].text, cells[1].text = number, text
            for column, value in enumerate(measure_row, start=2):
                if value is not None:
                    cells[column].text = value
            tds = []
            if k == 0:
                span = f" rowspan=\"{len(rows)}\"" if len(rows) > 1 else ""
                tds += [f"<td{span}>{number}</td>", f"<td{span}>{text}</td>"]
            for column, value in enumerate(measure_row, start=2):
                if value is None:
                    continue
                below = 1
                while k + below < len(rows) and rows[k + below][column - 2] is None:
                    below += 1
                span = f" rowspan=\"{below}\"" if below > 1 else ""
                tds.append(f"<td{span}>{value}</td>")
            html.append("<tr>" + "".join(tds) + "</tr>")
        last = len(table.rows) - 1
        merge_down(table, 0, first, last)
        merge_down(table, 1, first, last)
        for column in range(2, len(MEASURE_ROWS_HEADER)):
            k = 0
            while k < len(rows):
                below = 1
                while k + below < len(rows) and rows[k + below][column - 2] is None:
                    below += 1
                merge_down(table, column, first + k, first + k + below - 1)
                k += below
    html.append("</table></body></html>")
    (OUT / "layouts").mkdir(parents=True, exist_ok=True)
    doc.save(OUT / "layouts" / "measure-rows.docx")
    (OUT / "layouts" / "measure-rows.html").write_text("\n".join(html) + "\n", encoding="utf-8")


def auto_numbered_document():
    """Writes layouts/auto-numbered.docx: the 序号 cells are empty numbered paragraphs."""
    doc = Document()
    doc.add_paragraph("某某区2024年政务公开工作要点任务分工方案")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, word in zip(table.rows[0].cells, ["序号", "工作任务", "责任单位", "完成时限"]):
        cell.text = word
    row = table.add_row()
    row.cells[0].merge(row.cells[-1]).text = "一、深化重点领域信息公开"
    for task, unit, deadline in [
        ("推进预决算公开，扩大部门预决算公开范围。", "区财政局", "2024年12月底前"),
        ("做好审计结果公开。", "区审计局", "持续推进"),
        ("公开重大建设项目批准和实施信息。", "区发展改革局", "长期坚持"),
    ]:
        cells = table.add_row().cells
        cells[0].paragraphs[0].style = doc.styles["List Number"]
        cells[1].text, cells[2].text, cells[3].text = task, unit, deadline
    doc.save(OUT / "layouts" / "auto-numbered.docx")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    made = []
    for code, (name, header) in PLANS.items():
        meta, preamble, sections = parse_plan(ROOT / "content" / "plans" / name)
        if header is None:
            doc = prose_document(meta, preamble, sections)
        else:
            doc = table_document(code, meta, preamble, sections, header)
        path = OUT / f"{code}.docx"
        doc.save(path)
        made.append(path)
    measure_rows_documents()
    auto_numbered_document()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("LibreOffice not found: only the python-docx documents were made", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for path in made:
            for target in ("html", "docx:MS Word 2007 XML"):
                subprocess.run([soffice, "--headless", "--convert-to", target, "--outdir", tmp, str(path)],
                               check=True, capture_output=True)
            shutil.copy(pathlib.Path(tmp) / f"{path.stem}.html", OUT / f"{path.stem}.lo.html")
            shutil.copy(pathlib.Path(tmp) / f"{path.stem}.docx", OUT / f"{path.stem}.lo.docx")
    print(f"wrote {len(made)} documents and their LibreOffice conversions into {OUT}")


if __name__ == "__main__":
    main()
