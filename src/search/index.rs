//! The index schema and building the index from the site model.

use super::analyzer::{
    GRAMS, GramTokenizer, WORDS, WordTokenizer, fold, gram_tokens, gram_tokens_of, word_tokens_of,
};
use super::directory::UnsyncedDirectory;
use crate::export::{TaskRecord, plan_records};
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

use crate::layout::{CONTENT_HASH_FILE, INDEX_DIR, PLANS_FILE};
/// Bump when the schema or analysis changes, so old indexes are rebuilt.
const INDEX_FORMAT: &str = "gongkai-index-4";
/// Memory of each indexing thread.
const WRITER_MEMORY: usize = 40_000_000;
/// Indexing threads: results do not depend on how documents fall into segments,
/// because ties are broken by each task's site order (the `ord` fast field).
const WRITER_THREADS: usize = 2;
/// Memory of the single indexing thread that replaces a few plans' documents: the
/// smallest tantivy allows, since each commit sets up a fresh arena of that size.
const SMALL_WRITER_MEMORY: usize = 15_000_000;
/// Above this many documents an update uses the full-size writer.
const SMALL_UPDATE_DOCS: usize = 5_000;

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

/// A hash of what the index holds for one plan's tasks. FxHash is deterministic
/// (no random keys), so hashes can be kept on disk.
fn plan_content_hash(docs: &PlanDocs) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for (r, cats) in docs.records.iter().zip(&docs.categories) {
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
    h.finish()
}

/// What the whole index was built from, as hex: the format and each plan's content
/// hash, plans in site order.
fn content_hash(plan_hashes: impl IntoIterator<Item = u64>) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    INDEX_FORMAT.hash(&mut h);
    for p in plan_hashes {
        p.hash(&mut h);
    }
    format!("{:016x}\n", h.finish())
}

/// One plan's documents: its tasks and the merged category titles of each.
struct PlanDocs<'s> {
    slug: &'s str,
    /// Site order of the plan's first task (the `ord` of its documents start here).
    first_ord: u64,
    records: Vec<TaskRecord<'s>>,
    categories: Vec<Vec<&'s str>>,
}

/// The documents of every plan, in site order.
fn all_plan_docs(site: &Site) -> Vec<PlanDocs<'_>> {
    plan_docs_where(site, |_| true)
}

/// The documents of the plans `wanted` accepts (by slug), in site order, each
/// numbered from its place in the whole site.
fn plan_docs_where(site: &Site, wanted: impl Fn(&str) -> bool) -> Vec<PlanDocs<'_>> {
    let mut next = 0u64;
    let chosen: Vec<(usize, u64)> = site
        .plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let first_ord = next;
            next += p.tasks().len() as u64;
            wanted(&p.slug).then_some((i, first_ord))
        })
        .collect();
    chosen
        .into_par_iter()
        .map(|(i, first_ord)| plan_docs(site, i, first_ord))
        .collect()
}

fn plan_docs(site: &Site, plan: usize, first_ord: u64) -> PlanDocs<'_> {
    PlanDocs {
        slug: &site.plans[plan].slug,
        first_ord,
        records: plan_records(site, plan),
        categories: site.task_categories(plan),
    }
}

/// Builds the index for `site` under `out` (the staging output folder). When
/// `previous` (the last good output) holds an index of the same content, its files
/// are reused instead. Returns true when the index was rebuilt.
pub fn build_index(site: &Site, out: &Path, previous: Option<&Path>) -> tantivy::Result<bool> {
    let docs = all_plan_docs(site);
    let hash = content_hash(docs.par_iter().map(plan_content_hash).collect::<Vec<_>>());
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
    add_documents(&mut writer, &f, &docs.iter().collect::<Vec<_>>())?;
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

/// Adds the documents of the given plans. Tasks are analyzed in parallel a batch
/// at a time (memory stays bounded) while the previous batch is being indexed.
fn add_documents(
    writer: &mut tantivy::IndexWriter,
    f: &Fields,
    plans: &[&PlanDocs],
) -> tantivy::Result<()> {
    let chosen: Vec<(u64, &TaskRecord, &[&str])> = plans
        .iter()
        .flat_map(|p| {
            p.records
                .iter()
                .zip(&p.categories)
                .enumerate()
                .map(|(i, (r, c))| (p.first_ord + i as u64, r, c.as_slice()))
        })
        .collect();
    let mut distinct: Vec<String> = chosen
        .iter()
        .map(|(_, r, _)| r.category.join(" › "))
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
                    .map(|&(ord, r, cats)| make_doc(f, ord, r, cats, cache))
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

/// Changes staged in a [`LiveIndex`]'s writer, made visible by [`LiveIndex::commit`].
pub struct Staged {
    /// Each plan's content hash once committed.
    hashes: HashMap<String, u64>,
    /// True when documents were deleted or added.
    written: bool,
}

/// An index kept open for writing, for the preview server's incremental updates.
pub struct LiveIndex {
    index: Index,
    /// The open writer, and whether it is the full-size one.
    writer: Option<(tantivy::IndexWriter, bool)>,
    fields: Fields,
    out: std::path::PathBuf,
    /// Slugs of the plans that have documents in the index.
    plans: std::collections::BTreeSet<String>,
    /// Each indexed plan's content hash, once known.
    hashes: HashMap<String, u64>,
}

impl LiveIndex {
    /// Opens the index under the output folder `out`, creating it if it is missing
    /// or unreadable.
    pub fn open(out: &Path) -> tantivy::Result<LiveIndex> {
        let dir = out.join(INDEX_DIR);
        let (schema, fields) = schema();
        let opened = UnsyncedDirectory::open(&dir).and_then(Index::open);
        let index = match opened {
            Ok(index) if index.schema() == schema => index,
            _ => {
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir)?;
                Index::create(
                    UnsyncedDirectory::open(&dir)?,
                    schema,
                    tantivy::IndexSettings::default(),
                )?
            }
        };
        register_tokenizers(&index);
        let plans = indexed_plans(&index)?;
        Ok(LiveIndex {
            index,
            writer: None,
            fields,
            out: out.to_path_buf(),
            plans,
            hashes: HashMap::new(),
        })
    }

    /// The index, for searching.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// True once the index knows each plan's content hash (after a [`LiveIndex::sync`]).
    pub fn has_hashes(&self) -> bool {
        !self.hashes.is_empty()
    }

    /// Stages what brings the index up to date with `site`: the documents of every
    /// plan whose indexed content changed replaced, those of plans that are gone
    /// removed. On the first call, an index on disk built from exactly this content
    /// is kept as is. Nothing is visible until [`LiveIndex::commit`].
    pub fn stage_sync(&mut self, site: &Site) -> tantivy::Result<Staged> {
        let docs = all_plan_docs(site);
        let hashes: HashMap<String, u64> = docs
            .par_iter()
            .map(|d| (d.slug.to_string(), plan_content_hash(d)))
            .collect();
        let hash = content_hash(site.plans.iter().map(|p| hashes[&p.slug]));
        let first = self.hashes.is_empty();
        let current = first
            && std::fs::read_to_string(self.out.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash);
        let mut written = false;
        if !current {
            let stale: Vec<&PlanDocs> = docs
                .iter()
                .filter(|d| first || self.hashes.get(d.slug) != Some(&hashes[d.slug]))
                .collect();
            let mut gone: Vec<String> = self
                .plans
                .iter()
                .filter(|s| !hashes.contains_key(*s))
                .cloned()
                .collect();
            gone.extend(stale.iter().map(|d| d.slug.to_string()));
            if !gone.is_empty() || !stale.is_empty() {
                self.stage(&gone, &stale)?;
                written = true;
            }
        }
        Ok(Staged { hashes, written })
    }

    /// Stages the replacement of the given plans' documents by those of `site`.
    pub fn stage_replace(
        &mut self,
        site: &Site,
        slugs: &std::collections::BTreeSet<String>,
    ) -> tantivy::Result<Staged> {
        if slugs.is_empty() {
            return Ok(Staged {
                hashes: self.hashes.clone(),
                written: false,
            });
        }
        let docs = plan_docs_where(site, |slug| slugs.contains(slug));
        let replaced: Vec<String> = slugs.iter().cloned().collect();
        self.stage(&replaced, &docs.iter().collect::<Vec<_>>())?;
        let mut hashes = self.hashes.clone();
        for d in &docs {
            hashes.insert(d.slug.to_string(), plan_content_hash(d));
        }
        let present: std::collections::BTreeSet<&str> =
            site.plans.iter().map(|p| p.slug.as_str()).collect();
        hashes.retain(|slug, _| present.contains(slug.as_str()));
        Ok(Staged {
            hashes,
            written: true,
        })
    }

    /// Makes staged changes visible and writes the files beside the index.
    pub fn commit(&mut self, staged: Staged, site: &Site) -> tantivy::Result<()> {
        if staged.written
            && let Some((writer, _)) = self.writer.as_mut()
        {
            writer.commit()?;
        }
        self.plans = staged.hashes.keys().cloned().collect();
        self.hashes = staged.hashes;
        self.write_sidecars(site)
    }

    /// Drops staged changes: the index stays as it was committed last.
    pub fn rollback(&mut self) -> tantivy::Result<()> {
        if let Some((writer, _)) = self.writer.as_mut() {
            writer.rollback()?;
            // Segment files the dropped documents were flushed to go too.
            writer.garbage_collect_files().wait()?;
        }
        Ok(())
    }

    /// Brings the index up to date with `site` and commits ([`LiveIndex::stage_sync`]).
    pub fn sync(&mut self, site: &Site) -> tantivy::Result<()> {
        let staged = self.stage_sync(site)?;
        self.commit(staged, site)
    }

    /// Deletes the documents of the plans `delete` and adds `docs`, uncommitted.
    fn stage(&mut self, delete: &[String], docs: &[&PlanDocs]) -> tantivy::Result<()> {
        let big = docs.iter().map(|d| d.records.len()).sum::<usize>() > SMALL_UPDATE_DOCS;
        if self.writer.as_ref().is_none_or(|(_, b)| *b != big) {
            // One writer at a time holds the index's lock.
            self.writer = None;
            let writer = if big {
                self.index
                    .writer_with_num_threads(WRITER_THREADS, WRITER_THREADS * WRITER_MEMORY)?
            } else {
                self.index.writer_with_num_threads(1, SMALL_WRITER_MEMORY)?
            };
            self.writer = Some((writer, big));
        }
        let (writer, _) = self.writer.as_mut().expect("opened above");
        for slug in delete {
            writer.delete_term(tantivy::Term::from_field_text(self.fields.plan, slug));
        }
        add_documents(writer, &self.fields, docs)
    }

    /// The plan list and content hash beside the index.
    fn write_sidecars(&self, site: &Site) -> tantivy::Result<()> {
        write_plan_infos(&self.out, site)?;
        std::fs::write(
            self.out.join(CONTENT_HASH_FILE),
            content_hash(site.plans.iter().map(|p| self.hashes[&p.slug])),
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
