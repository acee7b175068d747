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
