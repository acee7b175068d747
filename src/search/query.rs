//! Queries: user text → terms → tantivy query; results with facets and snippets.
//!
//! The query is split into terms at white space; `"…"` or `“…”` keeps a phrase
//! together. An unquoted term is cut into words with the site's vocabulary
//! ([`Vocabulary::words`]); a quoted one is one word. A word occurs in a field when
//! the field holds its n-gram [`signature`] — as Ctrl+F would find it, wherever a
//! segmenter cut the task's words (`农资` inside `惠农资金`), so `预算公开` also
//! finds `预算、决算……公开`. A task matches when every word of every term occurs
//! in one of its fields (text, requirement, category, units) or in its plan's
//! title and issuer, and at least one term occurs wholly in its own fields (so a
//! word found only in a plan's title never pads the results).
//!
//! The score is a whole number, the same in the browser's engine
//! (`static/search-engine.js`), which implements these rules over the static
//! index: per term, [`CONTIGUOUS`] when the whole term occurs in a field, plus
//! twice the weight of the best such field, plus for each word the weight of the
//! best field it occurs in ([`FIELD_WEIGHTS`](super::schema::FIELD_WEIGHTS)). A task where the query stands
//! contiguously so always ranks above one where its words only co-occur; equal
//! scores rank in site order. Syntax characters have no meaning: they separate
//! like punctuation.

use super::analyzer::{SignatureTerm, fold_str, gram_terms, signature};
use super::facets::{FacetCollector, FacetKeys, Facets};
use super::fields_hold::FieldsHold;
use super::schema::{Fields, HitDoc, PlanInfo, SearchField, register_tokenizers, schema};
use super::snippet::{snippet, truncate_chars};
use super::terms::{MAX_QUERY_CHARS, QueryTerm, Vocabulary, parse_terms};
use crate::layout::{INDEX_DIR, PLANS_FILE, WORDS_FILE};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, RwLock};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, Term};

/// What a term scores when it occurs wholly in one field: more than all else a
/// query can score, so contiguous matches always rank first.
pub const CONTIGUOUS: u32 = 10_000;

/// Most results on one page.
pub const MAX_LIMIT: usize = 100;

/// A search as asked by the CLI or the HTTP API.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The user's text.
    pub query: String,
    /// Only this plan (slug).
    pub plan: Option<String>,
    /// Only tasks of this unit (name, any script).
    pub unit: Option<String>,
    /// Only this year.
    pub year: Option<u64>,
    /// Results per page (1 to [`MAX_LIMIT`]).
    pub limit: usize,
    /// 1-based page.
    pub page: usize,
    /// Leave the facets out (an answer that shows none, like the CLI's list: the
    /// first search of an index numbers every document's facet values).
    pub without_facets: bool,
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Plan slug.
    pub plan: String,
    /// Plan title.
    pub plan_title: String,
    /// Task number as printed.
    pub number: String,
    /// Site-relative URL of the task.
    pub url: String,
    /// The score (see the module documentation).
    pub score: u32,
    /// HTML: escaped text with `<mark>` around matches.
    pub snippet: String,
    /// Printed headings joined by ` › `.
    pub category: String,
    /// HTML: the headings escaped, with `<mark>` around matches (a task found by
    /// its category shows why).
    pub category_html: String,
    /// Unit names.
    pub units: Vec<String>,
    /// HTML: each unit name escaped, with `<mark>` around matches.
    pub units_html: Vec<String>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    /// The query as searched (after truncation).
    pub query: String,
    /// All matches, not just this page.
    pub total: usize,
    /// This page (1-based).
    pub page: usize,
    /// Results per page.
    pub limit: usize,
    /// True when the query was cut to [`MAX_QUERY_CHARS`].
    pub truncated: bool,
    /// A note for the user (truncation, nothing searchable).
    pub notice: Option<String>,
    /// Results in rank order.
    pub hits: Vec<Hit>,
    /// Facet counts over all matches.
    pub facets: Facets,
    /// The titles of the plans in the plan facet, by slug.
    pub plan_titles: BTreeMap<String, String>,
}

/// Why a search could not be answered.
#[derive(Debug)]
pub enum SearchError {
    /// The query is empty or only white space (HTTP 400).
    EmptyQuery,
    /// The index is missing or unreadable.
    Index(String),
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::EmptyQuery => write!(f, "请输入搜索词（the query is empty）"),
            SearchError::Index(e) => write!(f, "search index unavailable: {e}"),
        }
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(e.to_string())
    }
}

/// A plan's slug, title, and the terms of its title and issuer.
type PlanTerms = (String, String, BTreeSet<String>);

/// An opened index, ready to answer searches (cheap to share between threads).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Each plan's slug, title, and the terms of its title and issuer.
    plans: RwLock<Arc<Vec<PlanTerms>>>,
    /// The site's vocabulary.
    vocabulary: RwLock<Arc<Vocabulary>>,
    /// The output folder (where the plan list and vocabulary are read from).
    output: std::path::PathBuf,
    /// The facet values of the reader's current generation, numbered.
    facet_keys: std::sync::Mutex<Option<(u64, Arc<FacetKeys>)>>,
}

impl SearchIndex {
    /// Opens the index of a built site (`output` is the output folder).
    pub fn open(output: &Path) -> Result<Self, SearchError> {
        let dir = output.join(INDEX_DIR);
        if !dir.join("meta.json").exists() {
            return Err(SearchError::Index(format!(
                "no search index at {} (run `gongkai build` first)",
                dir.display()
            )));
        }
        let index = Index::open(super::directory::ReadOnlyDirectory::open(&dir)?)?;
        Self::from_index(&index, output)
    }

    /// Reads the plan list and the vocabulary beside the index.
    fn load_sidecars(&self) {
        let list: Vec<PlanInfo> = std::fs::read(self.output.join(PLANS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let plans = list
            .into_iter()
            .map(|p| {
                let terms = gram_terms(&fold_str(&p.info)).into_iter().collect();
                (p.slug, p.title, terms)
            })
            .collect();
        *self.plans.write().expect("lock") = Arc::new(plans);
        let words = std::fs::read_to_string(self.output.join(WORDS_FILE)).unwrap_or_default();
        let vocabulary = Vocabulary::new(words.lines().map(str::to_string));
        *self.vocabulary.write().expect("lock") = Arc::new(vocabulary);
    }

    /// Searches an index that is already open (the preview server's live index);
    /// `output` is the output folder it belongs to.
    pub fn from_index(index: &Index, output: &Path) -> Result<Self, SearchError> {
        register_tokenizers(index);
        // Segments are searched in parallel: a broad query over 50,000 tasks answers
        // in about half the time on two cores.
        let mut index = index.clone();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let this = SearchIndex {
            reader,
            fields,
            plans: RwLock::new(Arc::default()),
            vocabulary: RwLock::new(Arc::default()),
            output: output.to_path_buf(),
            facet_keys: std::sync::Mutex::new(None),
        };
        this.load_sidecars();
        Ok(this)
    }

    /// The numbered facet values of the searcher's generation (made once per generation).
    fn facet_keys(&self, searcher: &tantivy::Searcher) -> Result<Arc<FacetKeys>, SearchError> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.facet_keys.lock().expect("facet keys lock");
        if let Some((g, keys)) = cached.as_ref()
            && *g == generation
        {
            return Ok(keys.clone());
        }
        let keys = Arc::new(FacetKeys::new(searcher)?);
        *cached = Some((generation, keys.clone()));
        Ok(keys)
    }

    /// Sees the last commit of the index.
    pub fn reload(&self) -> Result<(), SearchError> {
        self.load_sidecars();
        Ok(self.reader.reload()?)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        if req.query.trim().is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let vocabulary = self.vocabulary.read().expect("lock").clone();
        let (terms, query_text, truncated) = parse_terms(&req.query, &vocabulary);
        let limit = req.limit.clamp(1, MAX_LIMIT);
        let page = req.page.max(1);
        let mut notice =
            truncated.then(|| format!("查询过长，只搜索了前 {MAX_QUERY_CHARS} 个字符。"));
        let mut response = SearchResponse {
            query: query_text,
            total: 0,
            page,
            limit,
            truncated,
            notice: None,
            hits: Vec::new(),
            facets: Facets::default(),
            plan_titles: BTreeMap::new(),
        };
        if terms.is_empty() {
            response.notice = Some("查询中没有可搜索的文字或数字。".to_string());
            return Ok(response);
        }
        let query = self.build_query(&terms, req);
        let searcher = self.reader.searcher();
        let offset = (page - 1).saturating_mul(limit).min(100_000);
        // Equal scores rank in site order, however the documents fell into segments.
        let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            |segment: &tantivy::SegmentReader| {
                let ord = segment
                    .fast_fields()
                    .u64("ord")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: tantivy::Score| {
                    (
                        score,
                        std::cmp::Reverse(ord.as_ref().map_or(0, |c| c.get_val(doc))),
                    )
                }
            },
        );
        let (top, total, facets) = if req.without_facets {
            let (top, total) = searcher.search(&query, &(top, Count))?;
            (top, total, Facets::default())
        } else {
            let keys = self.facet_keys(&searcher)?;
            let (top, total, counts) =
                searcher.search(&query, &(top, Count, FacetCollector::new(keys.clone())))?;
            (top, total, counts.into_facets(&keys))
        };
        for ((score, _), address) in top {
            let score = score.round() as u32;
            let doc: tantivy::TantivyDocument = searcher.doc(address)?;
            let stored = doc
                .get_first(self.fields.doc)
                .and_then(|v| v.as_str())
                .unwrap_or("{}");
            let hit: HitDoc =
                serde_json::from_str(stored).map_err(|e| SearchError::Index(e.to_string()))?;
            response.hits.push(to_hit(hit, score, &terms));
        }
        response.total = total;
        response.facets = facets;
        let plans = self.plans.read().expect("lock").clone();
        response.plan_titles = plans
            .iter()
            .filter(|(slug, _, _)| response.facets.plan.contains_key(slug))
            .map(|(slug, title, _)| (slug.clone(), title.clone()))
            .collect();
        if notice.is_none() && total == 0 {
            notice = Some("没有找到匹配的任务。请尝试更短的词或其他写法。".to_string());
        }
        response.notice = notice;
        Ok(response)
    }

    fn build_query(&self, terms: &[QueryTerm], req: &SearchRequest) -> BooleanQuery {
        let plans = self.plans.read().expect("lock").clone();
        let fields = &self.fields.searchable;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // At least one term occurs wholly in the task's own fields: a single term
        // therefore never leans on its plan's title, and without such leaning
        // every match holds all its terms in its own fields already.
        let lean_on_plans = terms.len() > 1;
        let mut leaned = false;
        let mut own_terms: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            // A lone term of one word: where the word is, the whole term is, in the
            // same field; one clause scores both (the word and the contiguous match).
            if !lean_on_plans
                && let [word] = term.words.as_slice()
                && signature(word) == signature(&term.folded)
            {
                clauses.push((
                    Occur::Must,
                    best_field(fields, signature(word), |w| CONTIGUOUS + 3 * w),
                ));
                continue;
            }
            let mut per_term: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let mut own_words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for word in &term.words {
                let sig = signature(word);
                let in_fields = best_field(fields, sig.clone(), |w| w);
                // The plans whose title or issuer hold the word: their tasks match it, for 0.
                let in_plans: Vec<Term> = plans
                    .iter()
                    .filter(|_| lean_on_plans)
                    .filter(|(_, _, info)| sig.iter().all(|t| t.found_in(info)))
                    .map(|(slug, _, _)| Term::from_field_text(self.fields.plan, slug))
                    .collect();
                let word_query: Box<dyn Query> = if in_plans.is_empty() {
                    in_fields
                } else {
                    leaned = true;
                    let set: Box<dyn Query> = if in_plans.len() == plans.len() {
                        Box::new(AllQuery)
                    } else {
                        Box::new(TermSetQuery::new(in_plans))
                    };
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Should, in_fields),
                        (Occur::Should, Box::new(ConstScoreQuery::new(set, 0.0))),
                    ]))
                };
                per_term.push((Occur::Must, word_query));
                own_words.push((Occur::Must, best_field(fields, sig, |_| 0)));
            }
            // The whole term in one field.
            per_term.push((
                Occur::Should,
                best_field(fields, signature(&term.folded), |w| CONTIGUOUS + 2 * w),
            ));
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(per_term))));
            own_terms.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(own_words)),
                    0.0,
                )),
            ));
        }
        if leaned {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(own_terms))));
        }
        // Filters narrow the results without changing scores.
        let filter = |term: Term| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                    0.0,
                )),
            )
        };
        if let Some(plan) = req.plan.as_deref().filter(|p| !p.is_empty()) {
            clauses.push(filter(Term::from_field_text(self.fields.plan, plan)));
        }
        if let Some(unit) = req.unit.as_deref().filter(|u| !u.trim().is_empty()) {
            // A unit's label (`财政局（中山市）`) or any of its names.
            let keys = [
                crate::office::jurisdiction_key(unit.trim()),
                crate::text::unit_key(unit.trim()),
            ];
            let any: Vec<(Occur, Box<dyn Query>)> = keys
                .iter()
                .map(|k| {
                    let q = TermQuery::new(
                        Term::from_field_text(self.fields.unit, k),
                        IndexRecordOption::Basic,
                    );
                    (Occur::Should, Box::new(q) as Box<dyn Query>)
                })
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        if let Some(year) = req.year {
            clauses.push(filter(Term::from_field_u64(self.fields.year, year)));
        }
        BooleanQuery::new(clauses)
    }
}

/// Matches where one of the fields holds the signature, scoring what `score`
/// makes of the best such field's weight.
fn best_field(
    fields: &[SearchField],
    signature: Vec<SignatureTerm>,
    score: impl Fn(u32) -> u32,
) -> Box<dyn Query> {
    let scored = fields
        .iter()
        .map(|f| (f.grams, score(f.weight) as f32))
        .collect();
    Box::new(FieldsHold::new(scored, signature))
}

fn to_hit(doc: HitDoc, score: u32, terms: &[QueryTerm]) -> Hit {
    // A short text whole, its matches marked.
    let marked = |s: &str| {
        snippet(s, terms, s.chars().count(), ("<mark>", "</mark>"), true)
            .unwrap_or_else(|| crate::text::escape_html(s))
    };
    let snippet = snippet(&doc.text, terms, 120, ("<mark>", "</mark>"), true)
        .or_else(|| {
            doc.requirement
                .as_deref()
                .and_then(|r| snippet(r, terms, 120, ("<mark>", "</mark>"), true))
        })
        .unwrap_or_else(|| crate::text::escape_html(&truncate_chars(&doc.text, 120)));
    let category = doc.category.join(" › ");
    Hit {
        plan: doc.plan,
        plan_title: doc.plan_title,
        number: doc.number,
        url: doc.url,
        score,
        snippet,
        category_html: marked(&category),
        category,
        units_html: doc.units.iter().map(|u| marked(u)).collect(),
        units: doc.units,
    }
}
