# gongkai 的提示信息：中文。每一条都在 locales/en/gongkai.ftl 中有对应。

fm-invalid = 前置信息（front matter）有误：{ $detail }
fm-accepted = 可用的键：{ $keys }
fm-keys = title、issuer、year（必填）；doc_number、published、source、jurisdiction（可选）
fm-empty = `{ $key }` 不能为空
fm-empty-hint = 按文件原文填写计划的 { $key }
fm-year = `year` 的值 { $year } 不是合理的计划年度
fm-year-hint = 填写计划所属的四位年份，例如 `year = 2021`
fm-date = `published` 不是日期
fm-date-hint = 按 TOML 日期格式填写，例如 `published = 2021-07-05`
fm-source = `source` 不是网址（应以 http:// 或 https:// 开头）
fm-source-hint = 填写原文发布页面的网址，例如 `source = "https://www.example.gov.cn/zwgk/…"`，或删除这一行
fm-begin = 缺少前置信息：文件必须以 `+++` 一行开头
fm-begin-hint = 文件开头写 `+++`，然后写 `title = "…"`、`issuer = "…"`、`year = 2021`，再写一行 `+++`
fm-open = 前置信息没有结束：缺少第二个 `+++` 行
fm-open-hint = 在最后一个键之后加一行 `+++`
parse-dup = 任务编号 { $number } 出现了不止一次
parse-dup-hint = 请对照原文核对编号
parse-jump = 任务编号从 { $from } 跳到了 { $to }
parse-jump-hint = 请检查是否漏了任务或编号有误
parse-first = 第一项任务的编号是 { $number }，不是 1
parse-no-units = 第 { $number } 项任务没有责任单位
parse-no-units-hint = 在任务末尾加一行属性，例如 `责任单位：…`（{ $keys }）
parse-keys = 牵头单位、责任单位（或 责任部门、落实单位、责任科室）、配合单位、完成时限
parse-deep = 文字嵌套过深（引用或列表超过 { $blocks } 层，或 HTML 元素超过 { $html } 层）
parse-deep-hint = 计划只需要两三层：`##` 类别、`###` 子类别和编号任务；请删去多余的 `>` 或列表缩进
parse-list-first = 编号任务出现在第一个类别标题之前
parse-list-first-hint = 在任务上方加一个 `## ` 类别标题（例如 `## 一、做好财政信息公开`）
parse-h1 = 正文中出现了 `#` 一级标题
parse-h1-hint = 计划标题写在前置信息的 `title` 中；类别用 `##`，子类别用 `###`
parse-deep-heading = 不支持 `###` 以下的标题
parse-deep-heading-hint = 类别用 `##`，子类别用 `###`；更深的层次请写成正文
parse-empty-heading = 标题为空
parse-empty-heading-hint = 在 `## ` 后写类别标题
parse-impossible-date = 完成时限“{ $deadline }”中的日期不存在：该任务没有到期日期
parse-impossible-date-hint = 请检查月份（1–12）和日期；完成时限按原文保留
parse-key-without-colon = 这一段以“{ $key }”开头，但后面没有冒号：按正文读取，不从中读取单位或时限
parse-key-without-colon-hint = 如果这是任务的单位或完成时限，请写成“{ $key }：”（在关键词后加冒号）
parse-titleless-category = 此标题只有序号或符号，没有文字：其下的任务不会出现在任何类别页上
parse-titleless-category-hint = 在序号后写上类别标题（如 `## 三、做好财政信息公开`）
parse-orphan = `###` 子类别出现在所有 `##` 类别之前
parse-orphan-hint = 加上这个子类别所属的 `##` 类别标题
parse-no-text = 第 { $number } 项任务没有内容
parse-no-text-hint = 在编号后直接写任务内容，例如 `7. 主动公开财政预算…`
parse-no-unit-names = 冒号后面应写单位名称
parse-no-unit-names-hint = 按原文填写单位，例如 `责任单位：财政办牵头，公共服务办配合`
parse-unknown-key = `{ $key }` 不是可识别的属性，这一行按正文处理
parse-known-keys = 可用的属性：{ $keys }

## Loading, output, config, theme, templates, URLs, build

io-read = 无法读取 { $path }：{ $error }
io-list = 无法列出 { $path } 中的文件：{ $error }
load-utf8 = { $path }：不是有效的 UTF-8 文本（第 { $at } 字节处）
load-utf8-hint = 请将文件另存为 UTF-8 编码；GBK 或 GB18030 编码的文件需先转换（例如 `iconv -f GB18030 -t UTF-8`）
load-no-folder = 找不到计划文件夹 { $path }
load-no-folder-hint = 请在站点文件夹（含有 content/plans/ 的文件夹）中运行 gongkai，或用 --root 指定站点文件夹；`gongkai init` 可新建站点
load-no-plans = { $path } 中没有计划文件（*.md）
load-no-plans-hint = 请添加计划文件，格式见 docs/guide.zh.md
load-same-slug = { $first } 和 { $second } 的网址名相同（`{ $slug }`）
load-same-slug-hint = 请给其中一个文件改名
load-symlink = { $path } 是符号链接；计划文件只读取真实文件
load-symlink-hint = 请把计划文件复制到 content/plans/，不要使用链接（链接可能把本机的任意文件发布出去）
out-refuse = 不能把网站写到 { $path }：{ $why }
out-choose = 请选择一个新的或空的文件夹，或不写 --output，使用站点下的 output/
out-is-site = 这就是站点文件夹 { $path }，生成网站会删除其中的文件
out-holds-site = 它包含站点文件夹 { $path }，生成网站会删除其中的文件
out-in-sources = 它位于站点的源文件中（{ $path }）
out-file = 这是一个文件，不是文件夹
out-foreign = 该文件夹不是空的，也没有 { $marker } 文件，不是以前生成的网站；生成网站会替换其中的全部内容
out-foreign-hint = 请选择一个新的或空的文件夹；如果它确实是以前生成的网站，请先删除它
out-beside = 生成网站时要用到旁边的 { $path }，而它存有其他文件
out-beside-hint = 请移走该文件夹，或选择其他输出文件夹
config-invalid = 站点配置（gongkai.toml）有误：{ $detail }
config-keys = 可用的键：title、description、base_url、theme、[categories] merge = [["…", "…"]]、[[units.alias]]、[[units.separate]]、[[units.group]]（说明见 docs/guide.zh.md）
config-base-url = `base_url` 既不是网址（http:// 或 https://），也不是以 `/` 开头的路径
config-base-url-hint = 填写网站发布的地址，例如 `base_url = "https://www.example.gov.cn/gongkai/"`，或 `base_url = "/"`
theme-missing = 找不到主题 `{ $name }`（{ $path }）
theme-missing-hint = 请把 gongkai.toml 中的 `theme` 设为 themes/ 下的文件夹名，或删除这一行以使用默认主题
theme-utf8 = 模板 { $path } 不是 UTF-8 编码
render-compile = 模板无法编译
render-no-template = 主题缺少模板 `{ $name }`
render-no-template-hint = 请从 themes/default/templates/ 复制一份
render-page = 无法生成页面 { $path }
render-cause = 原因：{ $cause }
render-template-hint = 请检查上面提到的模板（themes/…/templates/ 或站点的 templates/）；模板语法为 tera 2：可复用的片段是组件（`{"{"}% component 名称(参数) %{"}"}`），不再是 tera 1 的 macro
lock-damaged = { $file } 已损坏：{ $detail }
lock-damaged-hint = 请从版本库中恢复该文件；如果没有版本库，可删除它（改过名的页面的已发布网址可能随之改变）
lock-not-a-slug = “{ $key }”记录的网址不是合法的网址片段：`{ $value }`
lock-not-a-slug-hint = 记录的网址应为{ $parts ->
    [1] 一个片段
   *[other] 用 / 连接的两个片段（辖区/单位）
}，只含小写字母、数字和连字符，与 gongkai 写入的一样；请从版本库恢复该文件，或删除这一行让 gongkai 重新写入
lock-taken = { $what }“{ $name }”的网址 `{ $slug }` 已被其他页面使用，改用 `{ $given }`
noun-unit = 单位
noun-jurisdiction = 地区
noun-category = 类别
build-local-base = { $file } 中的 `base_url` 是 { $url }，这是本机地址
build-local-base-hint = 发布前请改为网站的正式地址（例如 `base_url = "https://www.example.gov.cn/gongkai/"`）；网站地图和订阅源要用到它
build-relative-base = { $file } 中的 `base_url` 是 { $url }，只有路径、没有域名：sitemap.xml 和 Atom 订阅需要完整网址（https://…）
build-same-office = { $jurisdiction }的“{ $first }”和“{ $second }”可能是同一个单位
build-same-office-hint = 如果是，请在 { $file } 中加上：
    { $line }
io-save = 无法保存 { $path }：{ $error }
build-lock-hint = 请确保站点文件夹可写：这个文件让已发布的网址保持不变
build-write = 无法把网站写到 { $path }：{ $error }
build-write-hint = 请检查该文件夹是否可写；之前生成的网站没有改动
progress-pages = 生成页面并建立搜索索引
build-index = 无法建立搜索索引：{ $error }
io-write = 无法写入 { $path }：{ $error }
index-update = 无法更新搜索索引：{ $error }

## Diagnostics

diag-hint = 提示：{ $hint }
diag-error = 错误
diag-warning = 警告

## Import

import-layout-csv = gongkai 网站导出的开放数据（tasks.csv）
import-layout-plan = gongkai 计划文件（原样保留）
import-no-title = 没有找到标题：请填写 `title`
import-no-year = 没有找到年度：请核对 `year`
import-year-from-line = 标题中没有年度：取本行的 { $year } 年，请核对 `year`
import-noise = 删去了网页导航或页脚：{ $line }
import-layout-rows = 表格，每行一条（单元格以制表符或 `|` 分隔）
import-layout-cells = 表格，每个单元格占一行
import-layout-lines = 正文段落（标题、带编号的任务或文字）
import-clauses = 一项内容有多个单位分句：每个分句作为一条任务，放在该项第一句之下
import-unnumbered = 原文中任务 { $number } 没有编号：按所在位置编号
import-no-category = 有任务在所有类别之前：归入“工作任务”
import-cell-covers-above = 任务 { $number } 的单位单元格同时适用于上面 { $count } 条任务（合并单元格）
import-orphan-cell = 单位单元格前面没有缺少单位的任务：{ $text }
import-cell-covers = 一个单位单元格适用于上面 { $count } 条任务（合并单元格）
import-dropped = 删去了不属于任何任务的一行：{ $text }
import-signature = 文末落款，不写入计划正文（发布机关和日期应在 front matter 中）：{ $text }
import-blank-cell = 任务 { $number }：单位单元格为空，按与上一条任务合并处理
import-row-continues = 前几格空白（向下合并）的一行接续任务 { $number }：其措施和单位并入该任务
import-empty = 文件是空的
import-empty-hint = 请导入发布的文件本身（.docx、.html 或 .txt）
import-too-big = 文件有 { $size } MB；超过 { $limit } MB 的文件不予读取
import-too-big-hint = 一份计划通常只有几百 KB；请确认这是计划文件，而不是压缩包或扫描件
import-columns-unknown = “{ $name }”不是列的名称
import-columns-hint = 从左到右写出各列，用逗号分隔：序号、类别、任务、要求、单位（或责任单位）、牵头单位、配合单位、时限、备注、-（跳过该列）；例如 --columns 序号,类别,任务,单位,时限
import-columns-no-table = --columns 用于指定表格各列，但这个文件里没有表格（以制表符或 | 分隔的单元格，或 Word、网页表格）
import-columns-no-table-hint = 请去掉 --columns 再导入：正文和列表不需要它
import-html-deep = 该网页的元素嵌套了 { $depth } 层；超过 { $limit } 层的网页不予读取
import-html-deep-hint = 正常发布的计划只嵌套几十层：请在浏览器中打开网页，复制其文字（或另存为文本）后再导入
import-target-exists = { $path } 已存在，导入不会覆盖它
import-target-exists-hint = 请换一个 -o 文件名，或加 --force 覆盖该文件（手工修改过的计划文件会丢失修改）
import-target-folder = { $path } 是文件夹；-o 应指定要写入的计划文件
import-doc = 这是旧版 Word 文件（.doc），无法读取
import-convert = 请用 LibreOffice 转换：`soffice --headless --convert-to docx 文件名`，再导入生成的 .docx；也可以在 Word 中“另存为” .docx
import-pdf = 这是 PDF 文件，无法读取（其中的文字没有表格结构）
import-pdf-hint = 请导入生成该 PDF 的 Word 或网页文件；或用 LibreOffice 打开 PDF 后另存为 .docx
import-rtf = 这是 RTF 文件，无法读取
import-binary = 这不是文本文件（含有二进制数据）
import-binary-hint = 请导入 .docx、.html 或 .txt 文件；.doc 或 PDF 的处理办法见 docs/guide.zh.md
import-not-docx = 这是 zip 压缩包，不是 Word 文件（{ $why }）
import-not-docx-hint = 请导入单位发布的 .docx 文件；.xlsx 或其他压缩包不是计划
import-no-document-xml = 缺少 word/document.xml
import-clauses-rest = 本段最后一组单位之后的文字作为所在类别的说明保留（未列单位，不作为任务）：{ $text }
import-layout-table = 表格（{ $printing }），按单元格内容识别 — { $columns }
import-printing-tabs = 每行一条，单元格以制表符分隔
import-printing-bar-rows = 每行一条，单元格以 | 分隔
import-printing-bar-cells = 每个单元格一行，以 | 结束
import-printing-cell-lines = 每个单元格一行，单元格之间无分隔
import-layout-carried = ；合并单元格已向下沿用
import-tried-table-rows = 也按表格读取过：没有一行含任务（文字加单位单元格）
import-tried-table-none = 也尝试按表格读取：没有找到单元格行（制表符、`|`，或每行一个单元格、至少三个的表头）
import-read-as = 读取方式：{ $layout }
import-merged-units = 任务 { $number } 所在行没有单位单元格（合并单元格），沿用上方任务 { $from } 的单位
import-number-too-big = 任务序号超过 { $digits } 位，未读取；已略去：{ $text }
import-docx-part-unreadable = 无法读取 { $part }：{ $why }
import-docx-part-utf8 = 不是 UTF-8 文本（第 { $at } 字节）
import-docx-part-big = 超过 { $limit } MB
import-csv-row = CSV 第 { $row } 行无法读取：{ $error }
import-csv-columns = CSV 第 { $row } 行有 { $columns } 列，应为 14 列
import-csv-hint = 请导入 gongkai 网站发布的 tasks.csv 原件，不要改动
import-csv-plans = 该 CSV 含有 { $count } 份计划：{ $plans }
import-csv-plans-hint = 请用 --plan 网址名 选择其中一份

## Commands

serve-bind = `{ $bind }` 不是 IP 地址（例如 127.0.0.1 或 ::1）
serve-no-build = { $path } 中没有生成好的网站
serve-no-build-hint = 请先运行 `gongkai build`，或用 --output 指定网站文件夹
serve-build-failed = 生成失败，也没有以前生成的网站可供预览
serve-built = 生成完毕，用时 { $ms } 毫秒
serve-cannot = 无法提供 { $path }：{ $error }
serve-no-index = 警告：{ $error }；/api/search 将回答 503
serve-runtime = 无法启动服务器：{ $error }
serve-listen = 无法在 { $addr } 上监听：{ $error }
serve-listen-hint = 请换一个 --port，或检查 --bind
serve-serving = 正在提供 { $path }，网址 { $url }
serve-connections-full = 已有 { $max } 个连接（--max-connections 上限），新连接收到 503（自上次提示以来 { $hits } 次）
serve-send-timeout = 客户端 { $seconds } 秒未读取响应（--send-timeout），已关闭连接（自上次提示以来 { $hits } 次）
watch-cannot = 警告：无法监视文件变化：{ $error }
watch-cannot-path = 警告：无法监视 { $path }：{ $error }；重新启动预览之前，那里的修改不会被发现
watch-failed = 重新生成失败；继续提供上一次成功生成的网站
watch-rebuilt = 重新生成用时 { $ms } 毫秒：生成 { $pages } 个页面，改动 { $files } 个文件
watch-full = （全部重新生成）
watch-open-data = 开放数据（tasks.json、tasks.csv）已写入，用时 { $ms } 毫秒
watch-open-data-retry = 将在 { $s } 秒后再次尝试写入开放数据
search-no-index = 无法打开搜索索引：{ $error }
search-empty = 搜索词是空的
search-empty-hint = 请给出要搜索的词，例如 `gongkai search 预算公开`
search-total = “{ $query }”：共 { $total } 项任务
search-units = 单位：{ $units }
corpus-exists = { $path } 中已经有 content 文件夹
corpus-exists-hint = 请用 --out 指定一个空的或新的文件夹
corpus-write = 无法写入测试语料：{ $error }
corpus-wrote = 已写入 { $plans } 份计划、{ $tasks } 条任务到 { $path }（随机种子 { $seed }）
check-ok = 检查通过：{ $plans } 份计划，{ $tasks } 条任务，{ $units } 个单位，{ $categories } 个类别
import-warning = 警告：{ $path }:{ $line }：{ $message }
import-at-line = 第 { $line } 行：{ $message }
import-unplaced = ；无法归位的行：{ $lines }
import-no-tasks = { $path }：这个文件中读不出任何任务；没有写入任何内容（按“{ $layout }”读取{ $seen }）
import-no-tasks-hint = 任务是类别标题（`一、`、`（一）`）下带编号的条目（`1.`、`1、`），或是有单位列的表格中的行；详见 docs/guide.zh.md
import-unparsable = 导入生成的计划文件无法读取；请把这个文件报告给开发者
import-done = 已导入 { $tasks } 条任务到 { $path }（有 { $warnings } 条警告需要核对）

## Build summary

import-summary-head =    任务  单位  时限  类别
build-failed = 生成失败，共 { $errors } 个错误；{ $path } 没有改动
build-done = 已生成 { $plans } 份计划、{ $tasks } 条任务、{ $files } 个文件，用时 { $ms } 毫秒（搜索索引{ $index }）
build-index-rebuilt = 已重建
build-index-unchanged = 未变
build-where = 网站在 { $path }：把这个文件夹上传到网站服务器即可发布；运行 `gongkai serve` 可在本机预览
build-where-local = ；警告：`base_url` 仍是 { $url }（本机地址），发布前请修改

## Init and command-line help

init-not-folder = { $path } 是文件，不是文件夹
init-not-empty = { $path } 不是空文件夹
init-not-empty-hint = 请选择一个新的或空的文件夹（`gongkai init 新文件夹`），或加 --force 只补上缺少的文件（不会覆盖任何已有文件）
init-kept = { $path } 已存在，保持原样（未覆盖）
init-done = 新站点已建在 { $path }。下一步：`cd { $path }`，运行 `gongkai serve`，在浏览器打开 http://127.0.0.1:8000/ 预览；然后修改 gongkai.toml 和 content/plans/ 中的计划（使用说明见 docs/guide.zh.md）。
cli-usage = 用法：{"{"}usage{"}"}
cli-commands = 命令
cli-options = 选项
cli-arguments = 参数
cli-help = 显示帮助
cli-version = 显示版本
cli-gongkai = gongkai（公开）：把政务公开工作要点分工方案生成为可浏览、可搜索的网站。
cli-global-root = 站点文件夹（含有 gongkai.toml 和 content/plans/）
cli-global-lang = 提示信息和帮助的语言：zh 或 en（默认按 LANG/LC_ALL）
cli-init = 新建站点：gongkai.toml、示例计划和 .gitignore
cli-init-dir = 新站点的文件夹（默认：当前文件夹）
cli-init-force = 在非空文件夹中补上缺少的文件（不覆盖已有文件）
cli-build = 生成网站到输出文件夹
cli-build-output = 网站写到哪里（默认：站点下的 output/）
cli-build-timings = 显示每个阶段的用时
cli-check = 检查内容中的问题，不写入任何文件
cli-serve = 预览网站（修改后自动刷新），或提供已生成的网站（--no-watch）
cli-serve-port = 监听的端口
cli-serve-bind = 监听的地址（默认只在本机；也可写 IPv6 地址如 ::1）
cli-serve-no_watch = 只提供已生成的网站（含搜索），不生成、不监视文件
cli-serve-output = 输出文件夹（默认：站点下的 output/）
cli-serve-timings = 显示每次重新生成各阶段的用时
cli-serve-max_connections = 同时保持的连接数上限；超出时新连接收到 503 并被关闭（默认 512；打开文件数上限 `ulimit -n` 较低时相应减少，每个连接最多占用两个文件）
cli-serve-send_timeout = 客户端不读取响应时，最多等待的秒数，超时即关闭连接
cli-import = 把发布的计划文件（Word .docx、网页、文本、网站导出的 tasks.csv）转换为计划文件
cli-import-file = 要导入的文件
cli-import-output = 计划写到哪里（默认：标准输出）
cli-import-plan = tasks.csv 含有多份计划时：要导入的计划的网址名
cli-import-columns = 表格各列的含义，从左到右（如 序号,类别,任务,单位,时限；- 表示跳过该列），在自动识别有误时使用
cli-import-force = -o 指定的文件已存在时覆盖它
cli-corpus = 用本站内容重组生成一个用于性能测试的大站点
cli-corpus-tasks = 大约多少条任务
cli-corpus-seed = 随机种子（种子相同，文件相同）
cli-corpus-shape = 任务的分布：mixed（每个计划 60–140 项，600 个发文机关）或 districts（每个计划 50 项，200 个区政府，各 12 个部门，48 个类别）
cli-corpus-out = 新站点的文件夹
cli-search = 搜索已生成网站的任务（使用预先建好的索引，不重新生成）
cli-search-query = 要查找的词；用 "…" 把词组括在一起
cli-search-plan = 只搜索这份计划（网址名）
cli-search-unit = 只搜索这个单位的任务（例如 财政局）
cli-search-year = 只搜索这一年
cli-search-limit = 每页结果数
cli-search-page = 第几页结果
cli-search-json = 输出一个 JSON 对象，而不是列表
cli-search-output = 已生成的网站（默认：站点下的 output/）
cli-help-subcommand = 要显示帮助的命令
cli-default = （默认：{ $value }）
cli-values = （可选：{ $values }）

## Indentation under two-digit task numbers

parse-under-indented = 这一段的缩进比第 { $number } 项任务的文字少；按第 { $number } 项任务的内容读取
parse-under-indented-hint = 请把 `{ $number }.` 下面的各行缩进 { $spaces } 个空格，与任务文字对齐，这样任何 Markdown 查看器都会把它们显示在该任务中

## Usage errors

cli-bad-usage = 命令用法有误（以下为英文原文）：
    { $detail }
    运行 `gongkai --help` 查看用法。
