//! Queries: user text → terms → tantivy query; results with facets and snippets.
//!
//! The query is split into terms at white space; `"…"` or `“…”` keeps a phrase
//! together. A task matches when it matches every term (AND). An unquoted term
//! matches when each of its words (jieba's precise segmentation of the term)
//! occurs somewhere in the task's text, requirement, category, units or plan
//! information — as Ctrl+F would find it, through a phrase of bigrams on the
//! n-gram fields. So any contiguous occurrence of the term is found, wherever the
//! segmenter cut the task's words (`农资` inside `惠农资金`), and a citizen's
//! `预算公开` also finds `预算、决算……公开`. A quoted phrase must occur contiguously.
//! Contiguous occurrences and whole-word matches add to the score, so they rank
//! first. Syntax characters have no meaning: they separate like punctuation.

use super::analyzer::{GramUnit, JIEBA, bigram, fold_str, gram_units, unit_range};
use super::facets::{Facets, facet_collector, read_term_counts};
use super::schema::{Fields, HitDoc, PlanInfo, register_tokenizers, schema};
use super::snippet::{snippet, truncate_chars};
use super::terms::{MAX_QUERY_CHARS, QueryTerm, parse_terms};
use crate::layout::{INDEX_DIR, PLANS_FILE};
use jieba_rs::TokenizeMode;
use serde::Serialize;
use std::ops::Bound;
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, Term};

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
    /// BM25 score.
    pub score: f32,
    /// HTML: escaped text with `<mark>` around matches.
    pub snippet: String,
    /// Printed headings joined by ` › `.
    pub category: String,
    /// Unit names.
    pub units: Vec<String>,
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

/// An opened index, ready to answer searches (cheap to share between threads).
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Plans' title and issuer as units, matched at query time.
    plans: std::sync::RwLock<Vec<(String, Vec<GramUnit>)>>,
    /// Where the plan list is read from.
    plans_file: std::path::PathBuf,
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

    fn load_plans(&self) {
        let list: Vec<PlanInfo> = std::fs::read(&self.plans_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        *self.plans.write().expect("lock") = list
            .into_iter()
            .map(|p| (p.slug, gram_units(&fold_str(&p.info))))
            .collect();
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
        let plans_file = output.join(PLANS_FILE);
        let this = SearchIndex {
            reader,
            fields,
            plans: std::sync::RwLock::new(Vec::new()),
            plans_file,
        };
        this.load_plans();
        Ok(this)
    }

    /// Sees the last commit of the index.
    pub fn reload(&self) -> Result<(), SearchError> {
        self.load_plans();
        Ok(self.reader.reload()?)
    }

    /// Runs a search.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
        if req.query.trim().is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let (terms, query_text, truncated) = parse_terms(&req.query);
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
        let (top, total, facet_counts) =
            searcher.search(&query, &(top, Count, facet_collector()))?;
        for ((score, _), address) in top {
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
        let mut facets = read_term_counts(facet_counts)?;
        response.facets = Facets {
            plan: facets.remove("plan").unwrap_or_default(),
            year: facets.remove("year").unwrap_or_default(),
            unit: facets.remove("unit").unwrap_or_default(),
            category: facets.remove("category").unwrap_or_default(),
        };
        if notice.is_none() && total == 0 {
            notice = Some("没有找到匹配的任务。请尝试更短的词或其他写法。".to_string());
        }
        response.notice = notice;
        Ok(response)
    }

    fn build_query(&self, terms: &[QueryTerm], req: &SearchRequest) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in terms {
            let plans = self.plans.read().expect("lock");
            let any_field = |units: &[GramUnit], boost: f32| -> Box<dyn Query> {
                let mut per_field: Vec<(Occur, Box<dyn Query>)> = self
                    .fields
                    .searchable
                    .iter()
                    .map(|f| {
                        let q = BoostQuery::new(gram_query(f.grams, units), boost * f.boost);
                        (Occur::Should, Box::new(q) as Box<dyn Query>)
                    })
                    .collect();
                // Plan title and issuer: every task of a plan whose information matches.
                let matching: Vec<Term> = plans
                    .iter()
                    .filter(|(_, info)| units_contain(info, units))
                    .map(|(slug, _)| Term::from_field_text(self.fields.plan, slug))
                    .collect();
                if !matching.is_empty() {
                    // Every plan (a word of every title): every task, without a term set.
                    let set: Box<dyn Query> = if matching.len() == plans.len() {
                        Box::new(AllQuery)
                    } else {
                        Box::new(TermSetQuery::new(matching))
                    };
                    per_field.push((Occur::Should, Box::new(ConstScoreQuery::new(set, boost))));
                }
                Box::new(BooleanQuery::new(per_field))
            };
            let mut per_term: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for word in &term.words {
                per_term.push((Occur::Must, any_field(&gram_units(word), 1.0)));
            }
            if term.words.len() > 1 || term.words[0] != term.folded {
                // The whole term, contiguous: ranks above scattered words.
                per_term.push((Occur::Should, any_field(&term.units, 3.0)));
            }
            let tokens = JIEBA.tokenize(&term.folded, TokenizeMode::Search, false);
            for (field, words) in self
                .fields
                .searchable
                .iter()
                .filter_map(|f| Some((f, f.words?)))
            {
                for t in tokens
                    .iter()
                    .filter(|t| t.word.chars().all(char::is_alphanumeric))
                {
                    let q = TermQuery::new(
                        Term::from_field_text(words, t.word),
                        IndexRecordOption::WithFreqs,
                    );
                    per_term.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), 2.0 * field.boost)),
                    ));
                }
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(per_term))));
        }
        // Filters narrow the results without changing scores.
        let filter = |term: Term| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(BoostQuery::new(
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
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
            ));
        }
        if let Some(year) = req.year {
            clauses.push(filter(Term::from_field_u64(self.fields.year, year)));
        }
        BooleanQuery::new(clauses)
    }
}

/// The n-gram query for a term's units: a phrase of bigrams within runs, unigrams
/// for one-unit runs, with the index's position gaps between runs. A term of one
/// unit matches the range of terms that begin with it (it anywhere in a run).
fn gram_query(field: Field, units: &[GramUnit]) -> Box<dyn Query> {
    if let [unit] = units {
        let (low, high) = unit_range(&unit.text);
        return Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_text(field, &low)),
            Bound::Excluded(Term::from_field_text(field, &high)),
        ));
    }
    let base = units[0].position;
    let mut terms: Vec<(usize, Term)> = Vec::new();
    // Within a run, every other bigram (and the last one) already pins every unit
    // to its position: a shorter phrase, the same matches.
    let mut run_start = 0;
    for (i, u) in units.iter().enumerate() {
        let previous_joined = i > 0 && units[i - 1].joined_to_next;
        if !previous_joined {
            run_start = i;
        }
        let k = i - run_start;
        let last_bigram = u.joined_to_next && !units[i + 1].joined_to_next;
        if u.joined_to_next && (k % 2 == 0 || last_bigram) {
            terms.push((
                u.position - base,
                Term::from_field_text(field, &bigram(&u.text, &units[i + 1].text)),
            ));
        } else if !u.joined_to_next && !previous_joined {
            terms.push((u.position - base, Term::from_field_text(field, &u.text)));
        }
    }
    if terms.len() == 1 {
        let (_, term) = terms.pop().expect("one term");
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

/// True when `needle` occurs in `hay` unit for unit, with the same joins and breaks
/// (what the n-gram phrase finds).
fn units_contain(hay: &[GramUnit], needle: &[GramUnit]) -> bool {
    let n = needle.len();
    n > 0
        && hay.windows(n).any(|w| {
            w.iter().zip(needle).enumerate().all(|(k, (h, q))| {
                h.text == q.text && (k + 1 == n || h.joined_to_next == q.joined_to_next)
            })
        })
}

fn to_hit(doc: HitDoc, score: f32, terms: &[QueryTerm]) -> Hit {
    let snippet = snippet(&doc.text, terms, 120, ("<mark>", "</mark>"), true)
        .or_else(|| {
            doc.requirement
                .as_deref()
                .and_then(|r| snippet(r, terms, 120, ("<mark>", "</mark>"), true))
        })
        .unwrap_or_else(|| crate::text::escape_html(&truncate_chars(&doc.text, 120)));
    Hit {
        plan: doc.plan,
        plan_title: doc.plan_title,
        number: doc.number,
        url: doc.url,
        score,
        snippet,
        category: doc.category.join(" › "),
        units: doc.units,
    }
}
