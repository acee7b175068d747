//! The index schema and building the index from the site model.

use super::analyzer::{GRAMS, GramTokenizer, WORDS, WordTokenizer, gram_tokens, word_tokens};
use crate::export::{TaskRecord, task_records};
use crate::site::Site;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tantivy::schema::Facet;
use tantivy::schema::{
    FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::PreTokenizedString;
use tantivy::{Index, TantivyDocument};

/// Where the index lives inside the output folder.
pub const INDEX_DIR: &str = "search/index";
/// The file beside the index that records what content it was built from.
pub const CONTENT_HASH_FILE: &str = "search/content-hash";
/// Bump when the schema or analysis changes, so old indexes are rebuilt.
const INDEX_FORMAT: &str = "gongkai-index-1";

/// A searchable field: its word and n-gram variants and its boost.
#[derive(Clone, Copy)]
pub struct SearchField {
    /// jieba words.
    pub words: Field,
    /// unigrams and bigrams.
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
    /// Facets: `/plan/…`, `/year/…`, `/unit/…`, `/category/…`.
    pub facets: Field,
    /// The stored [`HitDoc`] as JSON.
    pub doc: Field,
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
    let indexed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let mut searchable = Vec::new();
    for (name, boost) in [
        ("text", 1.5),
        ("requirement", 1.0),
        ("category", 2.0),
        ("units", 3.0),
        ("plan_info", 1.0),
    ] {
        let words = b.add_text_field(&format!("{name}_words"), indexed(WORDS));
        let grams = b.add_text_field(&format!("{name}_grams"), indexed(GRAMS));
        searchable.push(SearchField {
            words,
            grams,
            boost,
        });
    }
    let fields = Fields {
        searchable,
        plan: b.add_text_field("plan", STRING),
        year: b.add_u64_field("year", INDEXED),
        unit: b.add_text_field("unit", STRING),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        doc: b.add_text_field("doc", STORED),
    };
    (b.build(), fields)
}

/// Registers the Chinese analyzers on an index.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(WORDS, WordTokenizer);
    index.tokenizers().register(GRAMS, GramTokenizer);
}

/// A 64-bit FNV-1a hash, as hex: what the index was built from.
fn content_hash(records: &[TaskRecord], categories: &[Vec<&str>]) -> String {
    let bytes =
        serde_json::to_vec(&(INDEX_FORMAT, records, categories)).expect("records serialize");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}\n")
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
    if let Some(prev) = previous
        && std::fs::read_to_string(prev.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash)
        && reuse(&prev.join(INDEX_DIR), &dir).is_ok()
    {
        return Ok(false);
    }
    let (schema, f) = schema();
    let index = Index::create_in_dir(&dir, schema)?;
    register_tokenizers(&index);
    // Analysis (the costly part) runs in parallel; documents are then added by one
    // indexing thread in site order, so the index answers the same on every build.
    let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    for d in documents(&f, &records, &categories, |_| true) {
        writer.add_document(d)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(true)
}

/// Memory for the single indexing thread.
const WRITER_MEMORY: usize = 200_000_000;

/// Index documents for the tasks of the plans `wanted` accepts, in site order.
fn documents(
    f: &Fields,
    records: &[TaskRecord],
    categories: &[Vec<&str>],
    wanted: impl Fn(&str) -> bool + Sync,
) -> Vec<TantivyDocument> {
    records
        .par_iter()
        .zip(categories)
        .filter(|(r, _)| wanted(r.plan))
        .map(|(r, cats)| make_doc(f, r, cats))
        .collect()
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
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
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
        for d in documents(&self.fields, &records, &categories, wanted) {
            self.writer.add_document(d)?;
        }
        self.writer.commit()?;
        std::fs::write(
            self.out.join(CONTENT_HASH_FILE),
            content_hash(&records, &categories),
        )?;
        Ok(())
    }
}

/// The plans that have documents in an index (from the plan facet).
fn indexed_plans(index: &Index) -> tantivy::Result<std::collections::BTreeSet<String>> {
    let searcher = index.reader()?.searcher();
    let mut facets = tantivy::collector::FacetCollector::for_field("facets");
    facets.add_facet("/plan");
    let counts = searcher.search(&tantivy::query::AllQuery, &facets)?;
    Ok(counts
        .get("/plan")
        .filter_map(|(f, _)| f.to_path().last().map(|s| s.to_string()))
        .collect())
}

/// One task as an index document, its text fields analyzed up front.
fn make_doc(f: &Fields, r: &TaskRecord, cats: &[&str]) -> TantivyDocument {
    let mut units: Vec<&String> = Vec::new();
    for name in r.lead.iter().chain(r.responsible).chain(r.cooperating) {
        if !units.contains(&name) {
            units.push(name);
        }
    }
    let unit_text = units
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let category_text = r.category.join(" › ");
    let plan_info = format!("{} {}", r.plan_title, r.issuer);
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
    for (field, value) in
        f.searchable
            .iter()
            .zip([r.text, requirement, &category_text, &unit_text, &plan_info])
    {
        d.add_pre_tokenized_text(
            field.words,
            PreTokenizedString {
                text: value.to_string(),
                tokens: word_tokens(value),
            },
        );
        d.add_pre_tokenized_text(
            field.grams,
            PreTokenizedString {
                text: value.to_string(),
                tokens: gram_tokens(value),
            },
        );
    }
    d.add_text(f.plan, r.plan);
    d.add_u64(f.year, u64::try_from(r.year).unwrap_or(0));
    d.add_facet(f.facets, Facet::from_path(["plan", r.plan]));
    d.add_facet(f.facets, Facet::from_path(["year", &r.year.to_string()]));
    let mut seen_units = Vec::new();
    for name in &units {
        let key = crate::text::unit_key(name);
        if !seen_units.contains(&key) {
            d.add_text(f.unit, &key);
            d.add_facet(
                f.facets,
                Facet::from_path(["unit", &crate::text::strip_annotations(name)]),
            );
            seen_units.push(key);
        }
    }
    for title in cats {
        d.add_facet(f.facets, Facet::from_path(["category", title]));
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
