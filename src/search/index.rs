//! Building the index from the site model: one document per task, its text fields
//! analyzed up front (in parallel), reused whole when the content is unchanged.

use super::analyzer::{fold_str, vocabulary_words};
use super::schema::{Fields, HitDoc, PlanInfo, register_tokenizers, schema};
use crate::layout::{BROWSER_INDEX_DIR, CONTENT_HASH_FILE, INDEX_DIR, PLANS_FILE, WORDS_FILE};
use crate::model::{Plan, PlanMeta, Task, Unit, Units};
use crate::site::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;
use tantivy::{Index, TantivyDocument};

/// Bump when the schema or analysis changes, so old indexes are rebuilt.
const INDEX_FORMAT: &str = "gongkai-index-7";

/// Memory of each indexing thread.
pub(crate) const WRITER_MEMORY: usize = 40_000_000;

/// Indexing threads: results do not depend on how documents fall into segments,
/// because ties are broken by each task's site order (the `ord` fast field).
pub(crate) const WRITER_THREADS: usize = 2;

/// Each plan's title and issuer, in site order.
fn plan_infos(site: &Site) -> Vec<PlanInfo> {
    site.plans
        .iter()
        .map(|p| PlanInfo {
            slug: p.slug.clone(),
            title: p.meta.title.clone(),
            info: format!("{} {}", p.meta.title, p.meta.issuer),
        })
        .collect()
}

/// Writes [`PLANS_FILE`] beside the index.
pub(crate) fn write_plan_infos(out: &Path, site: &Site) -> std::io::Result<()> {
    std::fs::write(
        out.join(PLANS_FILE),
        serde_json::to_vec(&plan_infos(site)).expect("plan infos serialize"),
    )
}

/// A hash of what the index holds for one plan's tasks. FxHash is deterministic
/// (no random keys), so hashes can be kept on disk. Destructured without `..`: a
/// field added to the model must be decided on here.
pub(crate) fn plan_content_hash(docs: &PlanDocs) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    let PlanMeta {
        title,
        issuer,
        year,
        doc_number: _,
        published: _,
        source: _,
        jurisdiction,
    } = &docs.plan.meta;
    (&docs.plan.slug, title, issuer, year, jurisdiction).hash(&mut h);
    let tasks = docs.plan.tasks().iter().zip(&docs.categories);
    for ((task, cats), offices) in tasks.zip(&docs.offices) {
        for &u in offices {
            let unit = &docs.site.units[u];
            (&unit.name, &unit.jurisdiction, &unit.aliases).hash(&mut h);
        }
        let Task {
            number,
            anchor,
            text,
            text_markup: _,
            requirement,
            requirement_html: _,
            units,
            deadline: _,
            due: _,
            category,
            line: _,
        } = task;
        let Units {
            lead,
            responsible,
            cooperating,
        } = units;
        (number, anchor, text, requirement, category).hash(&mut h);
        (lead, responsible, cooperating, cats).hash(&mut h);
    }
    h.finish()
}

/// What the whole index was built from, as hex: the formats of the index and of the
/// static index, and each plan's content hash, plans in site order. A build reuses
/// the previous output's index files only when this is the same, so a new format
/// of either is always written anew (the theme's engine reads only its own).
pub(crate) fn content_hash(plan_hashes: impl IntoIterator<Item = u64>) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (INDEX_FORMAT, super::browser::FORMAT).hash(&mut h);
    for p in plan_hashes {
        p.hash(&mut h);
    }
    format!("{:016x}\n", h.finish())
}

/// One plan's documents: what the index makes of each of its tasks. Task texts
/// are folded when a document is made, not kept folded (at 200,000 tasks that
/// would be ~75 MB held while the index is built).
pub(crate) struct PlanDocs<'s> {
    /// The site (for the offices' names).
    site: &'s Site,
    /// The plan.
    pub(crate) plan: &'s Plan,
    /// Site order of the plan's first task (the `ord` of its documents start here).
    first_ord: u64,
    /// For each task, the merged categories it is listed under.
    pub(crate) categories: Vec<Vec<&'s str>>,
    /// For each task, the offices its units denote (indices into `site.units`),
    /// each once.
    offices: Vec<Vec<usize>>,
    /// For each task, the keys the unit filter finds it by: any name of its units
    /// (as printed, and every name of the offices they denote), or an office's
    /// label. Sorted, each once; shared by the plan's tasks.
    pub(crate) unit_keys: Vec<Vec<Arc<str>>>,
    /// For each task, its printed headings and its unit names (as printed, then
    /// every other name of their offices), folded; shared by the plan's tasks that
    /// have the same.
    shared: Vec<[Arc<str>; 2]>,
}

impl PlanDocs<'_> {
    /// The searchable texts of the `i`th task, folded, in the order of
    /// [`super::schema::FIELD_WEIGHTS`]: its text, requirement, printed headings
    /// and unit names.
    pub(crate) fn folded(&self, i: usize) -> [Cow<'_, str>; 4] {
        let task = &self.plan.tasks()[i];
        let [headings, units] = &self.shared[i];
        [
            Cow::Owned(fold_str(&task.text)),
            Cow::Owned(fold_str(task.requirement.as_deref().unwrap_or_default())),
            Cow::Borrowed(headings),
            Cow::Borrowed(units),
        ]
    }

    /// The facet label of each office the `i`th task names.
    pub(crate) fn office_labels(&self, i: usize) -> impl Iterator<Item = String> + '_ {
        self.offices[i].iter().map(|&u| {
            let unit = &self.site.units[u];
            unit_label(&unit.name, &unit.jurisdiction)
        })
    }
}

/// The documents of every plan, in site order.
pub(crate) fn all_plan_docs(site: &Site) -> Vec<PlanDocs<'_>> {
    plan_docs_where(site, |_| true)
}

/// The documents of the plans `wanted` accepts (by slug), in site order, each
/// numbered from its place in the whole site.
pub(crate) fn plan_docs_where(site: &Site, wanted: impl Fn(&str) -> bool) -> Vec<PlanDocs<'_>> {
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
    let p = &site.plans[plan];
    // A plan names each office in many tasks, and the tasks of a section share
    // their headings: keys and folded texts are made once per plan and shared.
    let mut shared_keys: FxHashMap<String, Arc<str>> = FxHashMap::default();
    let mut office_keys: FxHashMap<usize, Vec<Arc<str>>> = FxHashMap::default();
    let mut shared_folds: FxHashMap<String, Arc<str>> = FxHashMap::default();
    let mut offices = Vec::with_capacity(p.tasks().len());
    let mut keys = Vec::with_capacity(p.tasks().len());
    let mut shared = Vec::with_capacity(p.tasks().len());
    for t in p.tasks() {
        let mut seen: Vec<usize> = Vec::new();
        for (_, name) in t.units.iter() {
            if let Some(u) = site.unit_index(&p.meta.jurisdiction, name)
                && !seen.contains(&u)
            {
                seen.push(u);
            }
        }
        let mut intern = |key: String| {
            shared_keys
                .entry(key)
                .or_insert_with_key(|k| Arc::from(k.as_str()))
                .clone()
        };
        let mut task_keys: Vec<Arc<str>> = unit_names(t)
            .iter()
            .map(|name| intern(crate::text::unit_key(name)))
            .collect();
        for &u in &seen {
            let unit = &site.units[u];
            let of_office = office_keys.entry(u).or_insert_with(|| {
                std::iter::once(unit_label(&unit.name, &unit.jurisdiction).as_str())
                    .chain(office_names(unit))
                    .map(|n| intern(crate::office::jurisdiction_key(n)))
                    .collect()
            });
            task_keys.extend(of_office.iter().cloned());
        }
        task_keys.sort_unstable();
        task_keys.dedup();
        let mut fold_shared = |s: String| {
            shared_folds
                .entry(s)
                .or_insert_with_key(|s| Arc::from(fold_str(s)))
                .clone()
        };
        shared.push([
            fold_shared(category_text(t)),
            fold_shared(unit_list_text(site, t, &seen)),
        ]);
        offices.push(seen);
        keys.push(task_keys);
    }
    PlanDocs {
        site,
        plan: p,
        first_ord,
        categories: site.task_categories(plan),
        offices,
        unit_keys: keys,
        shared,
    }
}

/// Every name of an office: its name, then its other names.
fn office_names(unit: &Unit) -> impl Iterator<Item = &str> {
    std::iter::once(unit.name.as_str()).chain(unit.aliases.iter().map(String::as_str))
}

/// How a unit is named in facets and filters: `财政局（中山市）`.
pub fn unit_label(name: &str, jurisdiction: &str) -> String {
    [name, "（", jurisdiction, "）"].concat()
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
    // The vocabulary is found while the index is written.
    let (words, rebuilt) = std::thread::scope(|scope| {
        let words = scope.spawn(|| site_words(&docs));
        let rebuilt = write_index(&docs, &dir, &hash, previous);
        (
            words.join().expect("the vocabulary thread does not panic"),
            rebuilt,
        )
    });
    let words = write_words(out, words.iter())?;
    let rebuilt = rebuilt?;
    let browser = out.join(BROWSER_INDEX_DIR);
    let reused = !rebuilt
        && previous.is_some_and(|prev| reuse_tree(&prev.join(BROWSER_INDEX_DIR), &browser).is_ok());
    if !reused {
        let _ = std::fs::remove_dir_all(&browser);
        let index = Index::open_in_dir(&dir)?;
        register_tokenizers(&index);
        super::browser::write(&index, &schema().1, site, &docs, &words, &hash, out)?;
    }
    readable_as(&dir, &out.join(CONTENT_HASH_FILE))?;
    Ok(rebuilt)
}

/// The tantivy index of these documents into `dir`, or the files of the previous
/// output's index when it holds the same content (`hash`). True when written anew.
fn write_index(
    docs: &[PlanDocs],
    dir: &Path,
    hash: &str,
    previous: Option<&Path>,
) -> tantivy::Result<bool> {
    if let Some(prev) = previous
        && std::fs::read_to_string(prev.join(CONTENT_HASH_FILE)).is_ok_and(|h| h == hash)
        && reuse(&prev.join(INDEX_DIR), dir).is_ok()
    {
        return Ok(false);
    }
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema)?;
    register_tokenizers(&index);
    let mut writer =
        index.writer_with_num_threads(WRITER_THREADS, WRITER_THREADS * WRITER_MEMORY)?;
    add_documents(&mut writer, &f, &docs.iter().collect::<Vec<_>>())?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(true)
}

/// Gives every file of the index the permissions of `model`, a file written the
/// usual way (tantivy writes `meta.json` through a private temporary file, which
/// a web server running as another user could not read).
fn readable_as(dir: &Path, model: &Path) -> std::io::Result<()> {
    let permissions = std::fs::metadata(model)?.permissions();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::set_permissions(entry.path(), permissions.clone())?;
        }
    }
    Ok(())
}

/// A task's unit names, lead first, each once.
pub(crate) fn unit_names(task: &Task) -> Vec<&String> {
    let mut units: Vec<&String> = Vec::new();
    for (_, name) in task.units.iter() {
        if !units.contains(&name) {
            units.push(name);
        }
    }
    units
}

/// A task's printed headings as one searchable text.
fn category_text(task: &Task) -> String {
    task.category.join(" › ")
}

/// Adds the documents of the given plans, made in parallel a batch at a time
/// (memory stays bounded) while the previous batch is being indexed; the index's
/// threads analyze the text.
pub(crate) fn add_documents(
    writer: &mut tantivy::IndexWriter,
    f: &Fields,
    plans: &[&PlanDocs],
) -> tantivy::Result<()> {
    let chosen: Vec<(&PlanDocs, usize)> = plans
        .iter()
        .flat_map(|p| (0..p.plan.tasks().len()).map(move |i| (*p, i)))
        .collect();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<TantivyDocument>>(1);
        let chosen = &chosen;
        scope.spawn(move || {
            for batch in chosen.chunks(512) {
                let docs = batch
                    .par_iter()
                    .map(|&(docs, i)| make_doc(f, docs, i))
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

/// The `i`th task of a plan as an index document: its folded texts go to the
/// n-gram fields.
fn make_doc(f: &Fields, docs: &PlanDocs, i: usize) -> TantivyDocument {
    let (plan, task) = (docs.plan, &docs.plan.tasks()[i]);
    let cats = &docs.categories[i];
    let ord = docs.first_ord + i as u64;
    let mut d = TantivyDocument::default();
    for (field, value) in f.searchable.iter().zip(docs.folded(i)) {
        d.add_text(field.grams, value);
    }
    d.add_text(f.plan, &plan.slug);
    d.add_u64(f.ord, ord);
    d.add_u64(f.year, u64::try_from(plan.meta.year).unwrap_or(0));
    for key in &docs.unit_keys[i] {
        d.add_text(f.unit, key);
    }
    for label in docs.office_labels(i) {
        d.add_text(f.unit_name, label);
    }
    for title in cats {
        d.add_text(f.category, title);
    }
    d.add_text(
        f.doc,
        serde_json::to_string(&hit_doc(plan, task)).expect("hit doc serializes"),
    );
    d
}

/// What a result shows of a task.
pub(crate) fn hit_doc(plan: &Plan, task: &Task) -> HitDoc {
    HitDoc {
        plan: plan.slug.clone(),
        plan_title: plan.meta.title.clone(),
        number: task.number.clone(),
        url: ["/", &crate::layout::task_url(&plan.slug, &task.anchor)].concat(),
        text: task.text.clone(),
        requirement: task.requirement.clone(),
        category: task.category.clone(),
        units: unit_names(task).iter().map(|s| s.to_string()).collect(),
        year: plan.meta.year,
    }
}

/// A task's units as one searchable text: the names as printed, then every other
/// name of the offices they denote (`offices`), so any of them finds it.
fn unit_list_text(site: &Site, task: &Task, offices: &[usize]) -> String {
    let mut names: Vec<&str> = unit_names(task).into_iter().map(String::as_str).collect();
    for &u in offices {
        for n in office_names(&site.units[u]) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names.join("、")
}

/// The vocabulary words (see [`vocabulary_words`]) in a plan's searchable texts
/// and its title and issuer. Sorted, each once.
pub(crate) fn plan_words(docs: &PlanDocs) -> Vec<String> {
    let mut texts: Vec<String> = vec![plan_title_text(docs)];
    texts.extend(
        (0..docs.plan.tasks().len())
            .flat_map(|i| docs.folded(i))
            .map(Cow::into_owned),
    );
    texts.sort_unstable();
    texts.dedup();
    words_of(&texts)
}

/// The vocabulary words of some texts. Sorted, each once.
fn words_of<S: AsRef<str>>(texts: &[S]) -> Vec<String> {
    let mut words: Vec<String> = texts
        .iter()
        .flat_map(|t| vocabulary_words(t.as_ref()))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// A plan's title and issuer, folded: part of its vocabulary.
fn plan_title_text(docs: &PlanDocs) -> String {
    fold_str(&format!(
        "{} {}",
        docs.plan.meta.title, docs.plan.meta.issuer
    ))
}

/// The vocabulary of all plans (what [`plan_words`] finds in each, as one list):
/// each distinct text cut once, however many tasks repeat it (plans of one office
/// repeat many tasks from year to year); task texts and requirements are folded
/// a few at a time as they are cut. Sorted, each once.
fn site_words(docs: &[PlanDocs]) -> Vec<String> {
    let titles: Vec<String> = docs.iter().map(plan_title_text).collect();
    let mut folded: Vec<&str> = titles.iter().map(String::as_str).collect();
    folded.extend(
        docs.iter()
            .flat_map(|d| d.shared.iter().flatten())
            .map(|t| &**t),
    );
    folded.par_sort_unstable();
    folded.dedup();
    let mut unfolded: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.plan.tasks())
        .flat_map(|t| {
            [
                t.text.as_str(),
                t.requirement.as_deref().unwrap_or_default(),
            ]
        })
        .collect();
    unfolded.par_sort_unstable();
    unfolded.dedup();
    let (a, b) = rayon::join(
        || {
            folded
                .par_chunks(256)
                .map(words_of)
                .reduce(Vec::new, merge_sorted)
        },
        || {
            unfolded
                .par_chunks(256)
                .map(|chunk| words_of(&chunk.iter().map(|t| fold_str(t)).collect::<Vec<_>>()))
                .reduce(Vec::new, merge_sorted)
        },
    );
    merge_sorted(a, b)
}

/// Two sorted lists of distinct words as one.
fn merge_sorted(a: Vec<String>, b: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x < y => a.next(),
            (Some(x), Some(y)) if x > y => b.next(),
            (Some(_), Some(_)) => {
                b.next();
                a.next()
            }
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(w) => out.push(w),
            None => return out,
        }
    }
}

/// Writes the site's vocabulary, one word per line, sorted; returns it.
pub(crate) fn write_words<'w>(
    out: &Path,
    words: impl Iterator<Item = &'w String>,
) -> std::io::Result<Vec<&'w String>> {
    let mut all: Vec<&String> = words.collect();
    all.sort_unstable();
    all.dedup();
    let mut text = String::with_capacity(all.len() * 7);
    for w in &all {
        text.push_str(w);
        text.push('\n');
    }
    std::fs::write(out.join(WORDS_FILE), text)?;
    Ok(all)
}

/// Links (or copies) a previous folder tree into a new place.
fn reuse_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Err(std::io::ErrorKind::NotFound.into());
    }
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from).expect("under from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::merge_sorted;

    #[test]
    fn merged_word_lists_stay_sorted_and_distinct() {
        let list = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            merge_sorted(
                list(&["公开", "政务", "财政"]),
                list(&["公开", "财政", "预算"])
            ),
            list(&["公开", "政务", "财政", "预算"])
        );
        assert_eq!(merge_sorted(Vec::new(), list(&["a"])), list(&["a"]));
        assert_eq!(merge_sorted(list(&["a"]), Vec::new()), list(&["a"]));
    }
}
