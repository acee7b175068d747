//! A mutation fuzzer for the three parsers that take untrusted text: plan files
//! (`parse_plan`, then the site model and rendering), published documents
//! (`import`, whose output must parse again), and search queries (`parse_terms`
//! and snippets). Seeds are the bundled plans and the published seed documents;
//! mutations are byte flips, cuts, copies, splices of two seeds and insertions of
//! the characters that broke things before (multi-byte and invisible characters,
//! every line end, ordinals, deep nesting). Word documents (the import fixtures)
//! are mutated as archives and, zipped again, in the XML inside them.
//!
//! `cargo test` runs a short, fixed run (`GONGKAI_FUZZ_CASES` cases per target,
//! 300 by default, seed `GONGKAI_FUZZ_SEED`). `scripts/fuzz.sh` runs a long one.
//! A failing input is written to `target/fuzz-failures/` and named in the report.

mod common;

use common::repo_root;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Text that broke a parser once, or is likely to.
const INTERESTING: &[&str] = &[
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{2029}",
    "\u{200b}",
    "\u{feff}",
    "\u{ad}",
    "\u{202e}",
    "\0",
    "😀",
    "𠀀",
    "Z",
    "5G",
    "AI",
    "一、",
    "（二）",
    "十五、",
    "1.",
    "10.",
    "28..",
    "1、",
    "20二〇年",
    "2021年",
    "牵头",
    "牵头单位：",
    "责任单位:",
    "配合",
    "（",
    "）",
    "(",
    ")",
    "、",
    "，",
    "；",
    "\t",
    "|",
    " | ",
    "\n\n",
    ">>>>>>>>",
    "<div>",
    "<b>",
    "<table><tr><td>",
    "../",
    "=",
    "@",
    "-",
    "</td>",
    "<td>",
    "<br>",
    "+++",
    "##",
    "###",
    "\"",
    "'",
    "\\",
    "&amp;",
    "&#",
    "[bookmark: x]",
    "[image: y]",
    "`",
    "*",
    "- ",
    "   ",
    "javascript:",
    "%",
    "~",
    "^",
    "：",
];

fn cases() -> usize {
    std::env::var("GONGKAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn rng() -> fastrand::Rng {
    let seed = std::env::var("GONGKAI_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_261_122);
    fastrand::Rng::with_seed(seed)
}

fn seed_texts() -> Vec<String> {
    let mut out = Vec::new();
    for dir in [
        "content/plans",
        "tests/fixtures/seeds",
        "tests/fixtures/import",
        "tests/fixtures/import/layouts",
        "tests/fixtures/import/real",
        "tests/fixtures/import/variants",
    ] {
        let Ok(entries) = std::fs::read_dir(repo_root().join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension()
                .is_some_and(|e| e == "md" || e == "txt" || e == "html")
            {
                // A seed in another encoding (GB18030) still gives its ASCII and layout.
                out.push(String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned());
            }
        }
    }
    assert!(out.len() >= 10, "seeds found: {}", out.len());
    out
}

/// A character boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One mutation of `text` (valid UTF-8 in, valid UTF-8 out).
fn mutate(rng: &mut fastrand::Rng, text: &str, seeds: &[String]) -> String {
    let mut s = text.to_string();
    for _ in 0..rng.usize(1..=6) {
        let at = floor(&s, rng.usize(0..=s.len()));
        let to = floor(&s, at + rng.usize(0..=200)).max(at);
        match rng.u8(0..7) {
            0 => s.insert_str(at, INTERESTING[rng.usize(0..INTERESTING.len())]),
            1 => s.replace_range(at..to, ""),
            2 => {
                let piece = s[at..to].to_string();
                let there = floor(&s, rng.usize(0..=s.len()));
                s.insert_str(there, &piece);
            }
            3 => {
                // Splice: the start of this text, the end of another.
                let other = &seeds[rng.usize(0..seeds.len())];
                let from = floor(other, rng.usize(0..=other.len()));
                s.truncate(at);
                s.push_str(&other[from..]);
            }
            4 => {
                let c = char::from_u32(rng.u32(0..0x30000)).unwrap_or('\u{fffd}');
                s.insert(at, c);
            }
            5 => {
                let piece = INTERESTING[rng.usize(0..INTERESTING.len())].repeat(rng.usize(1..500));
                s.insert_str(at, &piece);
            }
            _ => {
                // Swap two lines.
                let mut lines: Vec<&str> = s.split('\n').collect();
                if lines.len() > 2 {
                    let (a, b) = (rng.usize(0..lines.len()), rng.usize(0..lines.len()));
                    lines.swap(a, b);
                }
                s = lines.join("\n");
            }
        }
    }
    s
}

/// Runs `target` on `cases` mutated inputs; returns the failures, each saved.
fn fuzz(name: &str, inputs: &[String], target: impl Fn(&str) -> Result<(), String>) {
    let mut rng = rng();
    let mut failures = Vec::new();
    let started = Instant::now();
    let mut slowest = (Duration::ZERO, 0);
    for case in 0..cases() {
        let base = &inputs[rng.usize(0..inputs.len())];
        let input = mutate(&mut rng, base, inputs);
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, case);
        }
        let problem = match outcome {
            Ok(Ok(())) if took < Duration::from_secs(5) => continue,
            Ok(Ok(())) => format!("took {took:?}"),
            Ok(Err(e)) => e,
            Err(panic) => panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        };
        let dir = repo_root().join("target/fuzz-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("{name}-{case}.txt"));
        std::fs::write(&file, &input).unwrap();
        failures.push(format!("{}: {problem}", file.display()));
    }
    eprintln!(
        "fuzz {name}: {} cases in {:?}, slowest {:?} (case {}), {} failures",
        cases(),
        started.elapsed(),
        slowest.0,
        slowest.1,
        failures.len()
    );
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

#[test]
fn plan_parser_never_panics_and_what_it_accepts_renders() {
    let seeds = seed_texts();
    let plans: Vec<String> = seeds
        .iter()
        .filter(|s| s.starts_with("+++"))
        .cloned()
        .collect();
    let config = gongkai::config::Config::default();
    let theme = gongkai::theme::Theme::load(Path::new("/nonexistent"), "default").unwrap();
    fuzz("plan", &plans, |text| {
        let parsed = gongkai::parse::parse_plan(Path::new("p.md"), "p", text);
        for d in &parsed.diagnostics {
            if d.span.start > d.span.end || d.span.end > text.len() {
                return Err(format!(
                    "span {:?} outside the text ({})",
                    d.span,
                    text.len()
                ));
            }
        }
        let Some(plan) = parsed.plan else {
            if !parsed.diagnostics.iter().any(|d| d.is_error()) {
                return Err("no plan and no error".into());
            }
            return Ok(());
        };
        let (site, _) =
            gongkai::site::Site::new(config.clone(), vec![plan], &mut Default::default());
        let renderer = gongkai::render::Renderer::new(&site, &theme).map_err(|d| d.message)?;
        let pages = gongkai::layout::all_pages(&site);
        let files = renderer.render_pages(&pages).map_err(|d| d.message)?;
        for f in &files {
            let html = String::from_utf8_lossy(&f.bytes);
            if html.contains("<script>alert") || html.contains("href=\"javascript:") {
                return Err(format!("script in {}", f.path));
            }
            if f.path.ends_with(".csv") {
                csv_cells_are_text(&f.path, &f.bytes)?;
            }
        }
        Ok(())
    });
}

/// No cell of a CSV file begins a spreadsheet formula.
fn csv_cells_are_text(path: &str, bytes: &[u8]) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    for record in reader.records() {
        let record = record.map_err(|e| format!("{path}: {e}"))?;
        for cell in record.iter() {
            if cell
                .trim_start_matches('\u{feff}')
                .starts_with(['=', '+', '-', '@', '\t', '\r'])
            {
                return Err(format!("{path}: a cell begins a formula: {cell:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn lock_files_never_give_a_path_that_leaves_the_output() {
    let lock = std::fs::read_to_string(repo_root().join("gongkai.lock")).unwrap();
    let dir = tempfile::TempDir::new().unwrap();
    fuzz("lock", &[lock], |text| {
        std::fs::write(dir.path().join("gongkai.lock"), text).map_err(|e| e.to_string())?;
        let mut sources = Default::default();
        let Ok(lock) = gongkai::lock::UrlLock::load(dir.path(), &mut sources) else {
            return Ok(());
        };
        let values = lock
            .jurisdictions
            .values()
            .chain(lock.units.values())
            .chain(lock.categories.values());
        for value in values {
            let safe = !value.is_empty()
                && value.split('/').all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                });
            if !safe {
                return Err(format!("accepted the lock value {value:?}"));
            }
        }
        Ok(())
    });
}

/// What the importer promises of its output: the plan file it wrote parses, with as
/// many tasks as it reported.
fn imported_plan_parses(imported: &gongkai::import::Imported) -> Result<(), String> {
    let parsed = gongkai::parse::parse_plan(Path::new("i.md"), "i", &imported.markdown);
    match parsed.plan {
        Some(plan) if plan.tasks().len() == imported.tasks => Ok(()),
        Some(plan) => Err(format!(
            "imported {} tasks, the plan file has {}",
            imported.tasks,
            plan.tasks().len()
        )),
        None if imported.tasks == 0 => Ok(()),
        None => Err(format!(
            "the imported plan does not parse: {:?}",
            parsed
                .diagnostics
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
        )),
    }
}

#[test]
fn importer_never_panics_and_writes_plans_that_parse() {
    let seeds = seed_texts();
    fuzz(
        "import",
        &seeds,
        |text| match gongkai::import::import_bytes(text.as_bytes(), None) {
            Ok((imported, _)) => imported_plan_parses(&imported),
            Err(_) => Ok(()),
        },
    );
}

#[test]
fn query_parser_never_panics() {
    let seeds: Vec<String> = seed_texts()
        .iter()
        .flat_map(|s| {
            s.lines()
                .filter(|l| !l.trim().is_empty())
                .take(40)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    let vocabulary = gongkai::search::terms::Vocabulary::new(
        [
            "政府",
            "信息",
            "公开",
            "信息公开",
            "财政",
            "办公室",
            "市政府",
        ]
        .map(String::from),
    );
    fuzz("query", &seeds, |text| {
        let query: String = text.chars().take(400).collect();
        let (terms, searched, _) = gongkai::search::terms::parse_terms(&query, &vocabulary);
        if searched.chars().count() > gongkai::search::terms::MAX_QUERY_CHARS {
            return Err("query not cut".into());
        }
        let hay: String = text.chars().rev().take(300).collect();
        gongkai::search::snippet::snippet(&hay, &terms, 120, ("<mark>", "</mark>"), true);
        // A term's text holds the term and every word cut from it: each term of
        // their signatures (a trigram, or a prefix) is among the text's own index
        // terms, as the tokenizer makes them.
        use gongkai::search::analyzer::{GramTokenizer, gram_terms, signature};
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        for term in &terms {
            let index_terms = gram_terms(&term.folded);
            let mut tokenizer = GramTokenizer;
            let mut stream = tokenizer.token_stream(&term.folded);
            let mut streamed = Vec::new();
            while stream.advance() {
                streamed.push(stream.token().text.clone());
            }
            streamed.sort();
            streamed.dedup();
            if streamed != index_terms {
                return Err(format!(
                    "tokenizer and gram_terms differ on {:?}",
                    term.folded
                ));
            }
            let index_terms: std::collections::BTreeSet<String> = index_terms.into_iter().collect();
            for word in std::iter::once(&term.folded).chain(&term.words) {
                if let Some(missing) = signature(word).iter().find(|t| !t.found_in(&index_terms)) {
                    return Err(format!(
                        "{word:?} not found in {:?}: {missing:?}",
                        term.folded
                    ));
                }
            }
        }
        Ok(())
    });
}

/// A Word document's parts (name and bytes), in archive order.
fn docx_parts(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).unwrap();
            (part.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// A Word document made of `parts`, stored uncompressed.
fn docx_of(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        out.start_file(name.as_str(), stored).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Mutates a Word document: half the time its bytes (the archive), half the time the
/// XML inside it (the body, the numbering, the styles), zipped again — so that the
/// mutations reach the reading of tables, paragraphs and list numbers, not only the
/// archive's checks.
fn mutate_docx(rng: &mut fastrand::Rng, docx: &[u8], xml_seeds: &[String]) -> Vec<u8> {
    if rng.bool() {
        let mut bytes = docx.to_vec();
        for _ in 0..rng.usize(1..=8) {
            // A deletion can leave nothing to mutate (the empty input is tried as is).
            if bytes.is_empty() {
                break;
            }
            let at = rng.usize(0..bytes.len());
            match rng.u8(0..3) {
                0 => bytes[at] = rng.u8(..),
                1 => {
                    let to = (at + rng.usize(0..64)).min(bytes.len());
                    bytes.drain(at..to);
                }
                _ => bytes.truncate(at.max(4)),
            }
        }
        return bytes;
    }
    let mut parts = docx_parts(docx);
    let xml: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.starts_with("word/") && parts[i].0.ends_with(".xml"))
        .collect();
    let body = parts
        .iter()
        .position(|(name, _)| name == "word/document.xml");
    let chosen = match body {
        Some(i) if rng.u8(0..4) > 0 => i,
        _ => xml[rng.usize(0..xml.len())],
    };
    let text = String::from_utf8_lossy(&parts[chosen].1).into_owned();
    parts[chosen].1 = mutate(rng, &text, xml_seeds).into_bytes();
    docx_of(&parts)
}

#[test]
fn word_documents_never_panic_the_importer() {
    let mut docs: Vec<Vec<u8>> = Vec::new();
    let mut paths: Vec<PathBuf> = ["tests/fixtures/import", "tests/fixtures/import/layouts"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(repo_root().join(dir)).unwrap().flatten())
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
    {
        docs.push(std::fs::read(p).unwrap());
    }
    assert!(docs.len() >= 5);
    // The splice mutation takes pieces of other documents' bodies.
    let xml_seeds: Vec<String> = docs
        .iter()
        .flat_map(|d| docx_parts(d))
        .filter(|(name, _)| name == "word/document.xml")
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    let mut rng = rng();
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut imported_some = 0;
    for case in 0..cases() / 3 {
        let doc = &docs[rng.usize(0..docs.len())];
        let bytes = mutate_docx(&mut rng, doc, &xml_seeds);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            match gongkai::import::import_bytes(&bytes, None) {
                Ok((imported, _)) => {
                    imported_some += 1;
                    imported_plan_parses(&imported)
                }
                Err(_) => Ok(()),
            }
        }));
        let problem = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(_) => "panicked".to_string(),
        };
        let file = repo_root().join(format!("target/fuzz-failures/docx-{case}.docx"));
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &bytes).unwrap();
        failures.push(format!("{}: {problem}", file.display()));
    }
    eprintln!(
        "fuzz docx: {} cases in {:?} ({imported_some} imported), {} failures",
        cases() / 3,
        started.elapsed(),
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:?}");
}
