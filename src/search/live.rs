//! The preview's index: kept open for writing, updated plan by plan, with changes
//! staged until the whole update succeeded.

use super::directory::UnsyncedDirectory;
use super::index::{
    PlanDocs, WRITER_MEMORY, WRITER_THREADS, add_documents, all_plan_docs, content_hash,
    plan_content_hash, plan_docs_where, plan_words, write_plan_infos, write_words,
};
use super::schema::{Fields, register_tokenizers, schema};
use crate::layout::{CONTENT_HASH_FILE, INDEX_DIR};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tantivy::Index;

/// Memory of the single indexing thread that replaces a few plans' documents: the
/// smallest tantivy allows, since each commit sets up a fresh arena of that size.
const SMALL_WRITER_MEMORY: usize = 15_000_000;

/// Above this many documents an update uses the full-size writer.
const SMALL_UPDATE_DOCS: usize = 5_000;

/// Changes staged in a [`LiveIndex`]'s writer, made visible by [`LiveIndex::commit`].
pub struct Staged {
    /// Each plan's content hash once committed.
    hashes: HashMap<String, u64>,
    /// Each plan's vocabulary words once committed.
    words: HashMap<String, Arc<Vec<String>>>,
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
    /// Each indexed plan's vocabulary words, once known (the site's vocabulary
    /// is their union).
    words: HashMap<String, Arc<Vec<String>>>,
    /// The site's vocabulary: each word with how many plans hold it, kept up to
    /// date plan by plan (the union is not made again on every update).
    vocabulary: std::collections::BTreeMap<String, usize>,
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
            words: HashMap::new(),
            vocabulary: std::collections::BTreeMap::new(),
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
            .map(|d| (d.plan.slug.to_string(), plan_content_hash(d)))
            .collect();
        let hash = content_hash(site.plans.iter().map(|p| hashes[&p.slug]));
        let first = self.hashes.is_empty();
        let current = first
            && std::fs::read_to_string(self.out.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash);
        let mut words = self.words.clone();
        let changed: Vec<&PlanDocs> = docs
            .iter()
            .filter(|d| {
                !words.contains_key(&d.plan.slug)
                    || self.hashes.get(&d.plan.slug) != Some(&hashes[&d.plan.slug])
            })
            .collect();
        let computed: Vec<(String, Arc<Vec<String>>)> = changed
            .par_iter()
            .map(|d| (d.plan.slug.to_string(), Arc::new(plan_words(d))))
            .collect();
        words.extend(computed);
        words.retain(|slug, _| hashes.contains_key(slug));
        let mut written = false;
        if !current {
            let stale: Vec<&PlanDocs> = docs
                .iter()
                .filter(|d| first || self.hashes.get(&d.plan.slug) != Some(&hashes[&d.plan.slug]))
                .collect();
            let mut gone: Vec<String> = self
                .plans
                .iter()
                .filter(|s| !hashes.contains_key(*s))
                .cloned()
                .collect();
            gone.extend(stale.iter().map(|d| d.plan.slug.to_string()));
            if !gone.is_empty() || !stale.is_empty() {
                self.stage(&gone, &stale)?;
                written = true;
            }
        }
        Ok(Staged {
            hashes,
            words,
            written,
        })
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
                words: self.words.clone(),
                written: false,
            });
        }
        let docs = plan_docs_where(site, |slug| slugs.contains(slug));
        let replaced: Vec<String> = slugs.iter().cloned().collect();
        self.stage(&replaced, &docs.iter().collect::<Vec<_>>())?;
        let mut hashes = self.hashes.clone();
        let mut words = self.words.clone();
        for d in &docs {
            hashes.insert(d.plan.slug.to_string(), plan_content_hash(d));
            words.insert(d.plan.slug.to_string(), Arc::new(plan_words(d)));
        }
        let present: std::collections::BTreeSet<&str> =
            site.plans.iter().map(|p| p.slug.as_str()).collect();
        hashes.retain(|slug, _| present.contains(slug.as_str()));
        words.retain(|slug, _| present.contains(slug.as_str()));
        Ok(Staged {
            hashes,
            words,
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
        self.count_words(staged.words);
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
        let big = docs.iter().map(|d| d.plan.tasks().len()).sum::<usize>() > SMALL_UPDATE_DOCS;
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

    /// Takes each plan's new words, counting in the vocabulary only the plans
    /// whose words changed.
    fn count_words(&mut self, words: HashMap<String, Arc<Vec<String>>>) {
        let same = |a: Option<&Arc<Vec<String>>>, b: &Arc<Vec<String>>| {
            a.is_some_and(|a| Arc::ptr_eq(a, b))
        };
        for (slug, old) in &self.words {
            if !same(words.get(slug), old) {
                for w in old.iter() {
                    if let Some(n) = self.vocabulary.get_mut(w) {
                        *n -= 1;
                        if *n == 0 {
                            self.vocabulary.remove(w);
                        }
                    }
                }
            }
        }
        for (slug, new) in &words {
            if !same(self.words.get(slug), new) {
                for w in new.iter() {
                    *self.vocabulary.entry(w.clone()).or_default() += 1;
                }
            }
        }
        self.words = words;
    }

    /// The plan list, vocabulary and content hash beside the index.
    fn write_sidecars(&self, site: &Site) -> tantivy::Result<()> {
        write_plan_infos(&self.out, site)?;
        write_words(&self.out, self.vocabulary.keys())?;
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
    Ok(super::facets::all_values(&searcher, "plan")?
        .into_iter()
        .collect())
}
