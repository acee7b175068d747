# gongkai messages: English. Every id exists in locales/zh/gongkai.ftl too.

fm-invalid = invalid front matter: { $detail }
fm-accepted = accepted keys: { $keys }
fm-keys = title, issuer, year (required); doc_number, published, source, jurisdiction (optional)
fm-empty = `{ $key }` must not be empty
fm-empty-hint = write the plan's { $key } as printed on the document
fm-year = `year` { $year } is not a plausible plan year
fm-year-hint = write the four-digit year the plan is for, e.g. `year = 2021`
fm-date = `published` is not a date
fm-date-hint = write it as a TOML date, e.g. `published = 2021-07-05`
fm-source = `source` is not a web address (http:// or https://)
fm-source-hint = write the address of the published page, e.g. `source = "https://www.example.gov.cn/zwgk/…"`, or remove the line
fm-begin = expected front matter: the file must begin with a `+++` line
fm-begin-hint = begin the file with `+++`, then `title = "…"`, `issuer = "…"`, `year = 2021`, then `+++`
fm-open = front matter is not closed: no second `+++` line
fm-open-hint = add a line `+++` after the last front-matter key
parse-dup = task number { $number } appears more than once
parse-dup-hint = check the numbering against the published document
parse-jump = task numbers jump from { $from } to { $to }
parse-jump-hint = check for a missing or misnumbered task
parse-first = the first task is numbered { $number }, not 1
parse-no-units = task { $number } has no units
parse-no-units-hint = end the task with an attribute line such as `责任单位：…` ({ $keys })
parse-keys = 牵头单位, 责任单位 (or 责任部门, 落实单位, 责任科室), 配合单位, 完成时限
parse-deep = the text is nested too deeply (more than { $blocks } quotes or lists, or { $html } HTML elements, inside each other)
parse-deep-hint = plans need two or three levels: `##` categories, `###` sub-categories and numbered tasks; remove the extra `>` or list indentation
parse-list-first = a numbered task list stands before the first category heading
parse-list-first-hint = put a `## ` category heading (e.g. `## 一、做好财政信息公开`) above the tasks
parse-h1 = a `#` heading in the plan body
parse-h1-hint = the plan title comes from `title` in the front matter; use `##` for categories and `###` for sub-categories
parse-deep-heading = headings below `###` are not supported
parse-deep-heading-hint = use `##` for categories and `###` for sub-categories; write deeper structure as text
parse-empty-heading = empty heading
parse-empty-heading-hint = write the category title after `## `
parse-impossible-date = the deadline `{ $deadline }` names a date that does not exist: the task has no due date
parse-impossible-date-hint = check the month (1–12) and the day; the deadline is kept as printed
parse-key-without-colon = this paragraph begins with `{ $key }` but has no colon after it: it is read as text, and no unit or deadline is taken from it
parse-key-without-colon-hint = if it names the task's units or deadline, write `{ $key }：` (a colon after the key)
parse-titleless-category = this heading has no words, only an ordinal or symbols: its tasks are on no category page
parse-titleless-category-hint = write the category's title after the ordinal (`## 三、做好财政信息公开`)
parse-orphan = a `###` sub-category before any `##` category
parse-orphan-hint = add the `##` category heading this sub-category belongs to
parse-no-text = task { $number } has no text
parse-no-text-hint = write the task's text right after the number, e.g. `7. 主动公开财政预算…`
parse-no-unit-names = expected unit names after the colon
parse-no-unit-names-hint = write the units as printed, e.g. `责任单位：财政办牵头，公共服务办配合`
parse-unknown-key = `{ $key }` is not a known attribute; the line is read as text
parse-known-keys = known attributes: { $keys }

## Loading, output, config, theme, templates, URLs, build

io-read = cannot read { $path }: { $error }
io-list = cannot list { $path }: { $error }
load-utf8 = { $path }: not valid UTF-8 (at byte { $at })
load-utf8-hint = save the file as UTF-8; GBK or GB18030 files must be converted first (e.g. `iconv -f GB18030 -t UTF-8`)
load-no-folder = no plan folder at { $path }
load-no-folder-hint = run gongkai in a site folder (one holding content/plans/), or pass --root DIR; `gongkai init` makes a new site
load-no-plans = no plan files (*.md) in { $path }
load-no-plans-hint = add a plan file; docs/plan-format.md describes the format
load-same-slug = { $first } and { $second } both give the URL slug `{ $slug }`
load-same-slug-hint = rename one of the files
load-symlink = { $path } is a symbolic link; plan files are read only as real files
load-symlink-hint = copy the plan into content/plans/ instead of linking it (a link could publish any file of this computer)
out-refuse = refusing to write the site to { $path }: { $why }
out-choose = choose a new or empty folder, or leave out --output to use ROOT/output
out-is-site = it is the site folder { $path }, whose files a build would delete
out-holds-site = it contains the site folder { $path }, whose files a build would delete
out-in-sources = it lies in the site's sources ({ $path })
out-file = it is a file, not a folder
out-foreign = the folder is not empty and holds no { $marker } file, so it is not an earlier gongkai output; a build replaces everything in it
out-foreign-hint = choose a new or empty folder; if the folder really is an old gongkai output, delete it first
out-beside = a build uses { $path } beside it, which holds other files
out-beside-hint = move that folder away, or choose another output folder
config-invalid = invalid site config: { $detail }
config-keys = accepted keys: title, description, base_url, theme, [categories] merge = [["…", "…"]], [[units.alias]], [[units.separate]], [[units.group]] (docs/plan-format.md)
config-base-url = `base_url` is neither a web address (http:// or https://) nor a path beginning with `/`
config-base-url-hint = write where the site is published, e.g. `base_url = "https://www.example.gov.cn/gongkai/"`, or `base_url = "/"`
theme-missing = theme `{ $name }` not found at { $path }
theme-missing-hint = set `theme` in gongkai.toml to a folder under themes/, or remove it to use the default theme
theme-utf8 = template { $path } is not UTF-8
render-compile = cannot compile the templates
render-no-template = the theme has no template `{ $name }`
render-no-template-hint = copy it from themes/default/templates/
render-page = cannot render { $path }
render-cause = caused by: { $cause }
render-template-hint = check the template named above (themes/…/templates/ or the site's templates/); templates are tera 2: reusable parts are components (`{"{"}% component name(args) %{"}"}`), not tera 1 macros
lock-damaged = { $file } is damaged: { $detail }
lock-damaged-hint = restore it from version control; if there is none, delete it (published URLs of renamed pages may then change)
lock-not-a-slug = the URL recorded for "{ $key }" is not a slug: `{ $value }`
lock-not-a-slug-hint = a recorded URL is { $parts ->
    [1] one slug
   *[other] two slugs joined by / (jurisdiction/unit)
} of lowercase letters, digits and hyphens, as gongkai writes it; restore the file from version control, or delete the line to have it written again
lock-taken = the { $what } { $name } would have the URL `{ $slug }` of another page; it gets `{ $given }`
noun-unit = unit
noun-jurisdiction = jurisdiction
noun-category = category
build-local-base = `base_url` in { $file } is { $url }, an address on this computer
build-local-base-hint = set it to where the site will be published (e.g. `base_url = "https://www.example.gov.cn/gongkai/"`) before publishing; the sitemap and feed use it
build-relative-base = `base_url` in { $file } is { $url }, a path without a host: sitemap.xml and the Atom feed need absolute addresses (https://…)
build-same-office = units `{ $first }` and `{ $second }` of { $jurisdiction } may be one office
build-same-office-hint = if they are, add to { $file }:
    { $line }
io-save = cannot save { $path }: { $error }
build-lock-hint = make the site folder writable: the file keeps published URLs stable
build-write = cannot write the site to { $path }: { $error }
build-write-hint = check that the folder is writable; the previous output was left as it was
progress-pages = rendering pages and building the search index
build-index = cannot build the search index: { $error }
io-write = cannot write to { $path }: { $error }
index-update = cannot update the search index: { $error }

## Diagnostics

diag-hint = hint: { $hint }
diag-error = error
diag-warning = warning

## Import

import-layout-csv = the open-data export of a gongkai site (tasks.csv)
import-layout-plan = a gongkai plan file (kept as it is)
import-no-title = no title found: fill in `title`
import-no-year = no year found: check `year`
import-year-from-line = the title names no year: { $year } is taken from this line; check `year`
import-noise = dropped a navigation or footer line: { $line }
import-layout-rows = a table with one row per line (cells separated by tabs or `|`)
import-layout-cells = a table printed one cell per line
import-layout-lines = lines of prose, each a heading, a numbered task or text
import-clauses = an item with several unit clauses: one task per clause, under the item's first sentence
import-unnumbered = task { $number } is not numbered in the document: numbered by its place
import-no-category = tasks before any category: put under 工作任务
import-cell-covers-above = the unit cell of task { $number } also covers the { $count } task(s) above it (merged cell)
import-orphan-cell = a unit cell that follows no task without units: { $text }
import-cell-covers = one unit cell covers the { $count } tasks above it (merged cell)
import-dropped = a line that belongs to no task was dropped: { $text }
import-signature = the notice's signature, left out of the plan (its issuer and date belong in the front matter): { $text }
import-blank-cell = task { $number }: blank unit cell read as merged with the task above
import-row-continues = a row whose first cells are blank (merged down) continues task { $number }: its measure and units are added to it
import-empty = the file is empty
import-empty-hint = import the published document itself (.docx, .html or .txt)
import-too-big = the file is { $size } MB; documents over { $limit } MB are not read
import-too-big-hint = a plan is a few hundred KB; check that this is the plan and not an archive or a scan
import-columns-unknown = `{ $name }` is not a column role
import-columns-hint = name the columns left to right, separated by commas: 序号 (number), 类别 (category), 任务 (task), 要求 (requirement), 单位 or 责任单位, 牵头单位, 配合单位, 时限 (deadline), 备注 (note), - (skip); e.g. --columns 序号,类别,任务,单位,时限
import-columns-no-table = --columns names a table's columns, and this document holds no table (rows of cells between tabs or |, or a Word or HTML table)
import-columns-no-table-hint = import it without --columns: prose and lists are read without it
import-html-deep = the page's elements nest { $depth } deep; pages nested more than { $limit } deep are not read
import-html-deep-hint = a published plan nests a few dozen deep: open the page in a browser, copy its text (or save it as text) and import that
import-target-exists = { $path } exists already; the import does not replace it
import-target-exists-hint = choose another -o, or add --force to replace the file (a plan you edited by hand loses its edits)
import-target-folder = { $path } is a folder; -o names the plan file to write
import-doc = this is an old Word document (.doc), which is not read
import-convert = convert it with LibreOffice: `soffice --headless --convert-to docx FILE`, then import the .docx
import-pdf = this is a PDF, which is not read (its text has no table structure)
import-pdf-hint = import the Word or HTML document the PDF was made from; or open the PDF in LibreOffice and save it as .docx
import-rtf = this is an RTF document, which is not read
import-binary = the file is not a text document (it holds binary data)
import-binary-hint = import a .docx, .html or .txt file; for a .doc or PDF see docs/guide.zh.md
import-not-docx = the file is a zip archive but not a Word document ({ $why })
import-not-docx-hint = import the .docx the office published; an .xlsx or another archive is not a plan
import-no-document-xml = no word/document.xml
import-clauses-rest = text after the last group of units in this paragraph is kept as text of its category (no task: it names no units): { $text }
import-layout-table = table ({ $printing }), each cell read by what it holds — { $columns }
import-printing-tabs = a row a line, cells between tabs
import-printing-bar-rows = a row a line, cells between |
import-printing-bar-cells = a cell a line, each closed by |
import-printing-cell-lines = a cell a line, nothing between them
import-layout-carried = ; merged cells carried down
import-tried-table-rows = also read as a table: no row held a task (text with a unit cell)
import-tried-table-none = also tried as a table: no rows of cells were found (tabs, `|`, or a header of three cells a line)
import-read-as = read as: { $layout }
import-merged-units = task { $number }: its row has no unit cell (a merged cell): given the units of task { $from } above it
import-number-too-big = a task number of more than { $digits } digits is not read; left out: { $text }
import-docx-part-unreadable = { $part } cannot be read: { $why }
import-docx-part-utf8 = it is not UTF-8 text (byte { $at })
import-docx-part-big = it is larger than { $limit } MB
import-csv-row = row { $row } of the CSV cannot be read: { $error }
import-csv-columns = row { $row } of the CSV has { $columns } columns, not 14
import-csv-hint = import the tasks.csv a gongkai site published, unchanged
import-csv-plans = the CSV holds { $count } plans: { $plans }
import-csv-plans-hint = choose one with --plan SLUG

## Commands

serve-bind = `{ $bind }` is not an IP address (e.g. 127.0.0.1 or ::1)
serve-no-build = no built site at { $path }
serve-no-build-hint = run `gongkai build` first, or pass --output DIR
serve-build-failed = build failed and there is no earlier build to serve
serve-built = built in { $ms } ms
serve-cannot = cannot serve { $path }: { $error }
serve-no-index = warning: { $error }; /api/search will answer 503
serve-runtime = cannot start the server runtime: { $error }
serve-listen = cannot listen on { $addr }: { $error }
serve-listen-hint = choose another --port, or check --bind
serve-serving = serving { $path } at { $url }
serve-connections-full = { $max } connections are open (the --max-connections limit): new ones get 503 ({ $hits } since the last message)
serve-send-timeout = a client did not read its response for { $seconds } s (--send-timeout): connection closed ({ $hits } since the last message)
watch-cannot = warning: cannot watch for changes: { $error }
watch-cannot-path = warning: cannot watch { $path }: { $error }; changes there are not seen until the preview is restarted
watch-failed = rebuild failed; still serving the last good build
watch-rebuilt = rebuilt in { $ms } ms: { $pages } pages rendered, { $files } files changed
watch-full =  (full)
watch-open-data = open data (tasks.json, tasks.csv) written in { $ms } ms
watch-open-data-retry = the open data will be tried again in { $s } s
search-no-index = cannot open the search index: { $error }
search-empty = the query is empty
search-empty-hint = give the words to search for, e.g. `gongkai search 预算公开`
search-total = “{ $query }”: { $total } { $total ->
        [one] task
       *[other] tasks
    }
search-units = units: { $units }
corpus-exists = { $path } already holds a content folder
corpus-exists-hint = pass an empty or new --out folder
corpus-write = cannot write the corpus: { $error }
corpus-wrote = wrote { $plans } plans, { $tasks } tasks into { $path } (seed { $seed })
check-ok = ok: { $plans } plans, { $tasks } tasks, { $units } units, { $categories } categories
import-warning = warning: { $path }:{ $line }: { $message }
import-at-line = line { $line }: { $message }
import-unplaced = ; lines it could not place: { $lines }
import-no-tasks = { $path }: no task could be read from this document; nothing was written (read as { $layout }{ $seen })
import-no-tasks-hint = tasks are numbered items (`1.`, `1、`) under category headings (`一、`, `（一）`) or rows of a table with a unit column; see docs/guide.zh.md
import-unparsable = the imported plan does not parse; please report this document
import-done = imported { $tasks } tasks into { $path } ({ $warnings } warnings to review)

## Build summary

import-summary-head =   tasks units dates  category
build-failed = build failed with { $errors } error(s); { $path } was left unchanged
build-done = built { $plans } plans, { $tasks } tasks, { $files } files in { $ms } ms (search index { $index })
build-index-rebuilt = rebuilt
build-index-unchanged = unchanged
build-where = the site is in { $path }: upload that folder to the web server to publish it, or run `gongkai serve` to preview
build-where-local = ; warning: `base_url` is still { $url } (this computer), set it before publishing

## Init and command-line help

init-not-folder = { $path } is a file, not a folder
init-not-empty = { $path } is not empty
init-not-empty-hint = choose a new or empty folder (`gongkai init NEW-FOLDER`), or add --force to add the starter files that are missing (no file is overwritten)
init-kept = kept { $path } as it was (not overwritten)
init-done = a new site is in { $path }. Next: `cd { $path }`, then `gongkai serve` to preview it at http://127.0.0.1:8000/; edit gongkai.toml and the plans in content/plans/ (the guide: docs/guide.zh.md).
cli-usage = Usage: {"{"}usage{"}"}
cli-commands = Commands
cli-options = Options
cli-arguments = Arguments
cli-help = Print help
cli-version = Print version
cli-gongkai = gongkai (公开): builds a browsable, searchable website from 政务公开 plan files.
cli-global-root = The site folder (holding gongkai.toml and content/plans/)
cli-global-lang = Language of messages and help: zh or en (default: from LANG/LC_ALL)
cli-init = Start a new site: gongkai.toml, an example plan and .gitignore
cli-init-dir = The new site folder (default: the current folder)
cli-init-force = Add the missing starter files to a non-empty folder (never overwrites)
cli-build = Build the site into the output folder
cli-build-output = Where to write the site (default: ROOT/output)
cli-build-timings = Print how long each phase took
cli-check = Check the content for problems without writing anything
cli-serve = Preview the site with live reload, or serve a built site (--no-watch)
cli-serve-port = Port to listen on
cli-serve-bind = Address to listen on (loopback unless told otherwise; IPv6 such as ::1 works)
cli-serve-no_watch = Serve the already built output (with its search) without building or watching
cli-serve-output = The output folder (default: ROOT/output)
cli-serve-timings = Print how long each phase of every rebuild took
cli-serve-max_connections = Connections held open at once; past it a new one gets 503 and is closed (default: 512, or fewer when the open-file limit `ulimit -n` is low: each connection may hold two files)
cli-serve-send_timeout = Seconds a response may wait for a client that does not read it before the connection is closed
cli-import = Turn a published plan document (Word .docx, an HTML page, text, a site's tasks.csv) into a plan file
cli-import-file = The document
cli-import-output = Where to write the plan (default: standard output)
cli-import-plan = From a tasks.csv holding several plans: this plan's slug
cli-import-columns = The roles of the table's columns, left to right (e.g. 序号,类别,任务,单位,时限; - skips a column), when the importer reads them wrong
cli-import-force = Replace the -o file if it exists
cli-corpus = Write a synthetic benchmark site recombined from this site's content
cli-corpus-tasks = About how many tasks
cli-corpus-seed = Random seed (same seed, same files)
cli-corpus-shape = How the tasks are spread: mixed (plans of 60–140 tasks, 600 issuers) or districts (plans of 50 tasks, 200 district governments of 12 offices each, 48 categories)
cli-corpus-out = The new site folder
cli-search = Search the tasks of a built site (uses the prebuilt index; builds nothing)
cli-search-query = The words to find; "…" keeps a phrase together
cli-search-plan = Only this plan (its slug)
cli-search-unit = Only tasks of this unit (e.g. 财政局)
cli-search-year = Only this year
cli-search-limit = Results per page
cli-search-page = Which page of results
cli-search-json = Print one JSON object instead of a list
cli-search-output = The built site (default: ROOT/output)
cli-help-subcommand = The command to show the help of
cli-default = {" "}[default: { $value }]
cli-values = {" "}[values: { $values }]

## Indentation under two-digit task numbers

parse-under-indented = this paragraph is indented less than the text of task { $number }; it is read as part of task { $number }
parse-under-indented-hint = indent the lines under `{ $number }.` by { $spaces } spaces, to the task's text, so that every Markdown viewer shows them in the task

## Usage errors

cli-bad-usage = { $detail }
