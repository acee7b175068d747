//! The index schema and building the index from the site model.

use super::analyzer::{
    GRAMS, GramTokenizer, WORDS, WordTokenizer, fold, gram_tokens, gram_tokens_of, word_tokens_of,
};
use crate::export::{TaskRecord, task_records};
use crate::site::Site;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::{Index, TantivyDocument};

/// Where the index lives inside the output folder.
pub const INDEX_DIR: &str = "search/index";
/// The file beside the index that records what content it was built from.
pub const CONTENT_HASH_FILE: &str = "search/content-hash";
/// The file beside the index that lists each plan's title and issuer, matched at
/// query time (so that they are not indexed again with every task).
pub const PLANS_FILE: &str = "search/plans.json";
/// Bump when the schema or analysis changes, so old indexes are rebuilt.
const INDEX_FORMAT: &str = "gongkai-index-4";
/// Memory of each indexing thread.
const WRITER_MEMORY: usize = 40_000_000;
/// Indexing threads: results do not depend on how documents fall into segments,
/// because ties are broken by each task's site order (the `ord` fast field).
const WRITER_THREADS: usize = 2;

/// A searchable field: its n-gram and (for running text) word variants, and its boost.
#[derive(Clone, Copy)]
pub struct SearchField {
    /// jieba words, for ranking whole-word matches (text and requirement only).
    pub words: Option<Field>,
    /// Bigrams, and unigrams at run ends.
    pub grams: Field,
    /// Ranking weight.
    pub boost: f32,
}

/// The fields of the index.
#[derive(Clone)]
pub struct Fields {
    /// Text fields searched by queries, in snippet order.
    pub searchable: Vec<SearchField>,
    /// Plan slug, for the plan filter.
    pub plan: Field,
    /// Year, for the year filter.
    pub year: Field,
    /// Unit keys, for the unit filter.
    pub unit: Field,
    /// Unit names (annotations removed), a fast field for facet counts.
    pub unit_name: Field,
    /// Merged category titles, a fast field for facet counts.
    pub category: Field,
    /// The stored [`HitDoc`] as JSON.
    pub doc: Field,
    /// Site order of the task (fast field): the tie-break of equal scores.
    pub ord: Field,
}

/// A plan's searchable information (title and issuer), stored in [`PLANS_FILE`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PlanInfo {
    /// Plan slug.
    pub slug: String,
    /// Title and issuer.
    pub info: String,
}

/// What a result needs to display and link, stored with each document.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HitDoc {
    /// Plan slug.
    pub plan: String,
    /// Plan title.
    pub plan_title: String,
    /// Task number as printed.
    pub number: String,
    /// Site-relative URL of the task.
    pub url: String,
    /// Task text.
    pub text: String,
    /// Requirement.
    pub requirement: Option<String>,
    /// Printed headings.
    pub category: Vec<String>,
    /// Unit names, lead first.
    pub units: Vec<String>,
    /// Year.
    pub year: i32,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed = |tokenizer: &str, option| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(option),
        )
    };
    let mut searchable = Vec::new();
    for (name, boost, with_words) in [
        ("text", 1.5, true),
        ("requirement", 1.0, true),
        ("category", 4.0, false),
        ("units", 6.0, false),
    ] {
        // Words only rank (term queries): no positions needed.
        let words = with_words.then(|| {
            b.add_text_field(
                &format!("{name}_words"),
                indexed(WORDS, IndexRecordOption::WithFreqs),
            )
        });
        let grams = b.add_text_field(
            &format!("{name}_grams"),
            indexed(GRAMS, IndexRecordOption::WithFreqsAndPositions),
        );
        searchable.push(SearchField {
            words,
            grams,
            boost,
        });
    }
    let fields = Fields {
        searchable,
        plan: b.add_text_field("plan", STRING | FAST),
        year: b.add_u64_field("year", INDEXED | FAST),
        unit: b.add_text_field("unit", STRING),
        unit_name: b.add_text_field("unit_name", FAST),
        category: b.add_text_field("category", FAST),
        doc: b.add_text_field("doc", STORED),
        ord: b.add_u64_field("ord", FAST),
    };
    (b.build(), fields)
}

/// Each plan's title and issuer, in site order.
fn plan_infos(site: &Site) -> Vec<PlanInfo> {
    site.plans
        .iter()
        .map(|p| PlanInfo {
            slug: p.slug.clone(),
            info: format!("{} {}", p.meta.title, p.meta.issuer),
        })
        .collect()
}

fn write_plan_infos(out: &Path, site: &Site) -> std::io::Result<()> {
    std::fs::write(
        out.join(PLANS_FILE),
        serde_json::to_vec(&plan_infos(site)).expect("plan infos serialize"),
    )
}

/// Registers the Chinese analyzers on an index.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(WORDS, WordTokenizer);
    index.tokenizers().register(GRAMS, GramTokenizer);
}

/// A hash of everything the index holds, as hex: what the index was built from.
/// FxHash is deterministic (no random keys), so the hash can be kept on disk.
fn content_hash(records: &[TaskRecord], categories: &[Vec<&str>]) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    INDEX_FORMAT.hash(&mut h);
    for (r, cats) in records.iter().zip(categories) {
        (
            r.plan,
            r.plan_title,
            r.issuer,
            r.jurisdiction,
            r.year,
            r.number,
            r.category,
            r.text,
        )
            .hash(&mut h);
        (
            r.requirement,
            r.lead,
            r.responsible,
            r.cooperating,
            r.deadline,
            &r.url,
            cats,
        )
            .hash(&mut h);
    }
    format!("{:016x}\n", h.finish())
}

/// Builds the index for `site` under `out` (the staging output folder). When
/// `previous` (the last good output) holds an index of the same content, its files
/// are reused instead. Returns true when the index was rebuilt.
pub fn build_index(site: &Site, out: &Path, previous: Option<&Path>) -> tantivy::Result<bool> {
    let records = task_records(site);
    let categories = task_categories(site);
    let hash = content_hash(&records, &categories);
    let dir = out.join(INDEX_DIR);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(out.join(CONTENT_HASH_FILE), &hash)?;
    write_plan_infos(out, site)?;
    if let Some(prev) = previous
        && std::fs::read_to_string(prev.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash)
        && reuse(&prev.join(INDEX_DIR), &dir).is_ok()
    {
        return Ok(false);
    }
    let (schema, f) = schema();
    let index = Index::create_in_dir(&dir, schema)?;
    register_tokenizers(&index);
    let mut writer =
        index.writer_with_num_threads(WRITER_THREADS, WRITER_THREADS * WRITER_MEMORY)?;
    add_documents(&mut writer, &f, &records, &categories, |_| true)?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(true)
}

/// Gram tokens of the category paths, which repeat across the tasks of a section,
/// analyzed once per distinct path.
type TokenCache = HashMap<String, Vec<tantivy::tokenizer::Token>>;

/// The texts of a task's short, repeating fields.
fn short_fields(r: &TaskRecord) -> [String; 2] {
    let unit_text = distinct_units(r)
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("、");
    [r.category.join(" › "), unit_text]
}

/// A task's unit names, lead first, each once.
fn distinct_units<'r>(r: &TaskRecord<'r>) -> Vec<&'r String> {
    let mut units: Vec<&String> = Vec::new();
    for name in r.lead.iter().chain(r.responsible).chain(r.cooperating) {
        if !units.contains(&name) {
            units.push(name);
        }
    }
    units
}

/// Adds documents for the tasks of the plans `wanted` accepts, in site order. Tasks
/// are analyzed in parallel a batch at a time (memory stays bounded) while the
/// previous batch is being indexed.
fn add_documents(
    writer: &mut tantivy::IndexWriter,
    f: &Fields,
    records: &[TaskRecord],
    categories: &[Vec<&str>],
    wanted: impl Fn(&str) -> bool + Sync,
) -> tantivy::Result<()> {
    let chosen: Vec<u64> = (0..records.len() as u64)
        .filter(|&i| wanted(records[i as usize].plan))
        .collect();
    let mut distinct: Vec<String> = chosen
        .iter()
        .map(|&i| records[i as usize].category.join(" › "))
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    let cache: TokenCache = distinct
        .into_par_iter()
        .map(|t| {
            let tokens = gram_tokens(&t);
            (t, tokens)
        })
        .collect();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<TantivyDocument>>(1);
        let cache = &cache;
        let chosen = &chosen;
        scope.spawn(move || {
            for batch in chosen.chunks(512) {
                let docs = batch
                    .par_iter()
                    .map(|&i| make_doc(f, i, &records[i as usize], &categories[i as usize], cache))
                    .collect();
                if tx.send(docs).is_err() {
                    return;
                }
            }
        });
        for docs in rx {
            for d in docs {
                writer.add_document(d)?;
            }
        }
        Ok(())
    })
}

/// An index kept open for writing, for the preview server's incremental updates.
pub struct LiveIndex {
    index: Index,
    writer: tantivy::IndexWriter,
    fields: Fields,
    out: std::path::PathBuf,
    /// Slugs of the plans that have documents in the index.
    plans: std::collections::BTreeSet<String>,
}

impl LiveIndex {
    /// Opens the index under the output folder `out`, creating it if it is missing
    /// or unreadable.
    pub fn open(out: &Path) -> tantivy::Result<LiveIndex> {
        let dir = out.join(INDEX_DIR);
        let (schema, fields) = schema();
        let index = match Index::open_in_dir(&dir) {
            Ok(index) if index.schema() == schema => index,
            _ => {
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir)?;
                Index::create_in_dir(&dir, schema)?
            }
        };
        register_tokenizers(&index);
        let plans = indexed_plans(&index)?;
        let writer =
            index.writer_with_num_threads(WRITER_THREADS, WRITER_THREADS * WRITER_MEMORY)?;
        Ok(LiveIndex {
            index,
            writer,
            fields,
            out: out.to_path_buf(),
            plans,
        })
    }

    /// The index, for searching.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// True when the index was built from exactly this site's content.
    pub fn is_current(&self, site: &Site) -> bool {
        let hash = content_hash(&task_records(site), &task_categories(site));
        std::fs::read_to_string(self.out.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash)
    }

    /// Replaces the documents of the given plans (all plans when `None`) by those of
    /// `site`, and commits.
    pub fn update(
        &mut self,
        site: &Site,
        plans: Option<&std::collections::BTreeSet<String>>,
    ) -> tantivy::Result<()> {
        let records = task_records(site);
        let categories = task_categories(site);
        // Replace plan by plan (delete by the plan's term): everything when `plans` is None.
        let site_plans: std::collections::BTreeSet<String> =
            site.plans.iter().map(|p| p.slug.clone()).collect();
        let replaced: Vec<String> = match plans {
            Some(slugs) => slugs.iter().cloned().collect(),
            None => self.plans.union(&site_plans).cloned().collect(),
        };
        for slug in &replaced {
            self.writer
                .delete_term(tantivy::Term::from_field_text(self.fields.plan, slug));
        }
        self.plans = site_plans;
        let wanted = |slug: &str| plans.is_none_or(|s| s.contains(slug));
        add_documents(
            &mut self.writer,
            &self.fields,
            &records,
            &categories,
            wanted,
        )?;
        self.writer.commit()?;
        write_plan_infos(&self.out, site)?;
        std::fs::write(
            self.out.join(CONTENT_HASH_FILE),
            content_hash(&records, &categories),
        )?;
        Ok(())
    }
}

/// The plans that have documents in an index.
fn indexed_plans(index: &Index) -> tantivy::Result<std::collections::BTreeSet<String>> {
    let searcher = index.reader()?.searcher();
    let counts = super::query::term_counts(&searcher, &[("plan", "plan")], 60_000)?;
    Ok(counts
        .into_values()
        .flat_map(|buckets| buckets.into_keys())
        .collect())
}

/// One task as an index document, its text fields analyzed up front.
fn make_doc(
    f: &Fields,
    ord: u64,
    r: &TaskRecord,
    cats: &[&str],
    cache: &TokenCache,
) -> TantivyDocument {
    let units = distinct_units(r);
    let requirement = r.requirement.unwrap_or("");
    let stored = HitDoc {
        plan: r.plan.to_string(),
        plan_title: r.plan_title.to_string(),
        number: r.number.to_string(),
        url: r.url.clone(),
        text: r.text.to_string(),
        requirement: r.requirement.map(str::to_string),
        category: r.category.to_vec(),
        units: units.iter().map(|s| s.to_string()).collect(),
        year: r.year,
    };
    let mut d = TantivyDocument::default();
    let [category_text, unit_text] = short_fields(r);
    for (field, value) in f
        .searchable
        .iter()
        .zip([r.text, requirement, &category_text, &unit_text])
    {
        let pre = |tokens| PreTokenizedString {
            text: value.to_string(),
            tokens,
        };
        match field.words {
            Some(words) => {
                let folded = fold(value);
                d.add_pre_tokenized_text(words, pre(word_tokens_of(&folded)));
                d.add_pre_tokenized_text(field.grams, pre(gram_tokens_of(&folded)));
            }
            None => {
                let tokens = cache
                    .get(value)
                    .cloned()
                    .unwrap_or_else(|| gram_tokens(value));
                d.add_pre_tokenized_text(field.grams, pre(tokens));
            }
        }
    }
    d.add_text(f.plan, r.plan);
    d.add_u64(f.ord, ord);
    d.add_u64(f.year, u64::try_from(r.year).unwrap_or(0));
    let mut seen_units = Vec::new();
    for name in &units {
        let key = crate::text::unit_key(name);
        if !seen_units.contains(&key) {
            d.add_text(f.unit, &key);
            d.add_text(f.unit_name, crate::text::strip_annotations(name));
            seen_units.push(key);
        }
    }
    for title in cats {
        d.add_text(f.category, title);
    }
    d.add_text(
        f.doc,
        serde_json::to_string(&stored).expect("hit doc serializes"),
    );
    d
}

/// The merged category titles of each task, in `task_records` order.
fn task_categories(site: &Site) -> Vec<Vec<&str>> {
    let mut by_task: HashMap<(usize, usize), Vec<&str>> = HashMap::new();
    for c in &site.categories {
        for t in &c.tasks {
            by_task.entry((t.plan, t.task)).or_default().push(&c.title);
        }
    }
    let mut out = Vec::new();
    for (pi, plan) in site.plans.iter().enumerate() {
        for ti in 0..plan.tasks().len() {
            out.push(by_task.remove(&(pi, ti)).unwrap_or_default());
        }
    }
    out
}

/// Links (or copies) the files of a previous index into a new folder.
fn reuse(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let target = to.join(entry.file_name());
            if std::fs::hard_link(entry.path(), &target).is_err() {
                std::fs::copy(entry.path(), &target)?;
            }
        }
    }
    Ok(())
}
