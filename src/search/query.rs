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

use super::analyzer::{GramUnit, JIEBA, bigram, fold, fold_str, gram_units, unit_range};
use super::index::{Fields, HitDoc, PlanInfo, register_tokenizers, schema};
use crate::layout::{INDEX_DIR, PLANS_FILE};
use jieba_rs::TokenizeMode;
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::Path;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Index, IndexReader, Term};

/// Longest query, in characters; longer queries are cut and the response says so.
pub const MAX_QUERY_CHARS: usize = 200;
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

/// Counts of all matches by plan, year, unit and category.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By plan slug.
    pub plan: BTreeMap<String, u64>,
    /// By year.
    pub year: BTreeMap<String, u64>,
    /// By unit name.
    pub unit: BTreeMap<String, u64>,
    /// By merged category title.
    pub category: BTreeMap<String, u64>,
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

/// One query term: its folded text, n-gram units and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// Folded text of the term.
    pub folded: String,
    /// Its n-gram units (positions relative to the term).
    pub units: Vec<GramUnit>,
    /// True for a quoted phrase.
    pub quoted: bool,
    /// The folded words that must each occur (the whole term when quoted).
    pub words: Vec<String>,
}

impl QueryTerm {
    fn new(text: &str, quoted: bool) -> Option<QueryTerm> {
        let folded = fold_str(text.trim());
        let units = gram_units(&folded);
        if units.is_empty() {
            return None;
        }
        let mut words = if quoted {
            vec![folded.clone()]
        } else {
            term_words(&folded)
        };
        words.dedup();
        Some(QueryTerm {
            folded,
            units,
            quoted,
            words,
        })
    }

    /// What to highlight: the term's contiguous runs, and its words.
    pub fn highlights(&self) -> Vec<String> {
        let mut out = self.runs();
        if !self.quoted {
            out.extend(self.words.iter().flat_map(|w| gram_runs(w)));
        }
        out
    }

    /// The contiguous runs of the term, as folded strings.
    pub fn runs(&self) -> Vec<String> {
        gram_runs(&self.folded)
    }
}

/// The words of an unquoted term: jieba's precise cut, where a one-character word
/// is glued to the word that follows it (to the one before it at the end), so
/// `市财政局` needs `市财政局` and not any `市` anywhere. Punctuation separates.
pub fn term_words(folded: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut glue = String::new();
    let mut glued_last = false;
    for token in JIEBA.cut(folded, false) {
        let word = token.word;
        if gram_units(word).is_empty() {
            // Punctuation or space: whatever was waiting stands alone.
            words.extend((!glue.is_empty()).then(|| std::mem::take(&mut glue)));
            glued_last = false;
            continue;
        }
        if word.chars().count() == 1 && !word.chars().all(|c| c.is_ascii_alphanumeric()) {
            glue.push_str(word);
            continue;
        }
        words.push(format!("{}{word}", std::mem::take(&mut glue)));
        glued_last = true;
    }
    if !glue.is_empty() {
        match words.last_mut() {
            Some(last) if glued_last => last.push_str(&glue),
            _ => words.push(glue),
        }
    }
    words
}

/// The contiguous runs (no punctuation or space inside) of folded text.
fn gram_runs(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    let mut runs = Vec::new();
    let mut start = None;
    for u in gram_units(folded) {
        let s = *start.get_or_insert(u.start);
        if !u.joined_to_next {
            runs.push(chars[s..u.end].iter().collect());
            start = None;
        }
    }
    runs
}

/// Splits user text into terms. Returns the terms and whether the text was cut.
pub fn parse_terms(raw: &str) -> (Vec<QueryTerm>, String, bool) {
    let truncated = raw.chars().count() > MAX_QUERY_CHARS;
    let text: String = raw.chars().take(MAX_QUERY_CHARS).collect();
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut in_phrase = false;
    for c in text.chars() {
        match c {
            '"' | '“' | '”' | '「' | '」' => {
                if !current.trim().is_empty() {
                    pieces.push((std::mem::take(&mut current), in_phrase));
                }
                current.clear();
                in_phrase = !in_phrase;
            }
            c if c.is_whitespace() && !in_phrase => {
                if !current.is_empty() {
                    pieces.push((std::mem::take(&mut current), false));
                }
            }
            c => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        pieces.push((current, in_phrase));
    }
    let mut terms: Vec<QueryTerm> = Vec::new();
    for (p, quoted) in pieces {
        if let Some(term) = QueryTerm::new(&p, quoted)
            && !terms.contains(&term)
        {
            terms.push(term);
        }
    }
    (terms, text.trim().to_string(), truncated)
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
        let index = Index::open_in_dir(&dir)?;
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
            let key = crate::text::unit_key(unit.trim());
            clauses.push(filter(Term::from_field_text(self.fields.unit, &key)));
        }
        if let Some(year) = req.year {
            clauses.push(filter(Term::from_field_u64(self.fields.year, year)));
        }
        BooleanQuery::new(clauses)
    }
}

/// Most values counted per facet dimension (the rest are left out).
const FACET_SIZE: usize = 50;

/// Counts of the values of fast fields among the matches: `(name, field)` pairs.
fn terms_aggregation(fields: &[(&str, &str)], size: usize) -> AggregationCollector {
    let spec: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|(name, field)| {
            (
                name.to_string(),
                serde_json::json!({ "terms": { "field": field, "size": size } }),
            )
        })
        .collect();
    let aggs: Aggregations =
        serde_json::from_value(serde_json::Value::Object(spec)).expect("valid aggregation");
    AggregationCollector::from_aggs(aggs, AggContextParams::default())
}

/// The facet counts collected with each search.
fn facet_collector() -> AggregationCollector {
    terms_aggregation(
        &[
            ("plan", "plan"),
            ("year", "year"),
            ("unit", "unit_name"),
            ("category", "category"),
        ],
        FACET_SIZE,
    )
}

/// Reads terms-aggregation results into value → count maps, by name.
fn read_term_counts(
    results: tantivy::aggregation::agg_result::AggregationResults,
) -> Result<BTreeMap<String, BTreeMap<String, u64>>, SearchError> {
    let json = serde_json::to_value(&results).map_err(|e| SearchError::Index(e.to_string()))?;
    let mut out = BTreeMap::new();
    for (name, agg) in json.as_object().into_iter().flatten() {
        let mut counts = BTreeMap::new();
        for b in agg["buckets"].as_array().into_iter().flatten() {
            let key = match &b["key"] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            counts.insert(key, b["doc_count"].as_u64().unwrap_or(0));
        }
        out.insert(name.clone(), counts);
    }
    Ok(out)
}

/// Counts of fast-field values over the whole index.
pub(crate) fn term_counts(
    searcher: &tantivy::Searcher,
    fields: &[(&str, &str)],
    size: usize,
) -> tantivy::Result<BTreeMap<String, BTreeMap<String, u64>>> {
    let results = searcher.search(&tantivy::query::AllQuery, &terms_aggregation(fields, size))?;
    read_term_counts(results).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))
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

fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// A window of `text` around its first match, with every match of the terms'
/// runs wrapped in `marks`. Matching is on folded text, highlighting on the
/// original characters. `None` when nothing in `text` matches.
pub fn snippet(
    text: &str,
    terms: &[QueryTerm],
    width: usize,
    marks: (&str, &str),
    escape: bool,
) -> Option<String> {
    let folded = fold(text);
    let folded_chars: Vec<char> = folded.text.chars().collect();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for run in terms.iter().flat_map(QueryTerm::highlights) {
        let run_chars: Vec<char> = run.chars().collect();
        if run_chars.is_empty() || run_chars.len() > folded_chars.len() {
            continue;
        }
        for start in 0..=folded_chars.len() - run_chars.len() {
            if folded_chars[start..start + run_chars.len()] == run_chars[..] {
                ranges.push((start, start + run_chars.len()));
            }
        }
    }
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let n = folded_chars.len();
    let start = merged[0].0.saturating_sub(width / 5);
    let mut end = (start + width).min(n);
    let start = end.saturating_sub(width).min(start);
    // Never cut a mark in two at the end of the window.
    if let Some(&(_, e)) = merged.iter().find(|(s, e)| *s < end && end < *e) {
        end = e;
    }
    let piece = |a: usize, b: usize| {
        let s = &text[folded.origin[a]..folded.origin[b]];
        if escape {
            crate::text::escape_html(s)
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for (s, e) in merged.into_iter().filter(|(s, e)| *e > start && *s < end) {
        let (s, e) = (s.max(start), e.min(end));
        out.push_str(&piece(at, s));
        out.push_str(marks.0);
        out.push_str(&piece(s, e));
        out.push_str(marks.1);
        at = e;
    }
    out.push_str(&piece(at, end));
    if end < n {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_on_space_and_keep_quoted_phrases() {
        let (terms, _, truncated) = parse_terms("  预算公开  \"IPv6 支持\" 財政 ");
        let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(folded, ["预算公开", "ipv6 支持", "财政"]);
        assert!(!truncated);
        assert_eq!(terms[0].words, ["预算", "公开"]);
        assert!(terms[1].quoted);
        assert_eq!(terms[1].runs(), ["ipv6", "支持"]);
        assert_eq!(terms[1].words, ["ipv6 支持"]);
    }

    #[test]
    fn syntax_characters_and_emoji_are_not_terms() {
        let (terms, _, _) = parse_terms(": ( ) * ^ ~ [ ] { } \\ + - ! 😀");
        assert!(terms.is_empty());
        let (terms, _, _) = parse_terms("财政+预算");
        assert_eq!(terms[0].runs(), ["财政", "预算"]);
        let (terms, _, _) = parse_terms("\"未闭合 引号");
        assert_eq!(terms[0].folded, "未闭合 引号");
    }

    #[test]
    fn long_queries_are_cut() {
        let (_, text, truncated) = parse_terms(&"政".repeat(10_000));
        assert!(truncated);
        assert_eq!(text.chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn snippets_mark_the_original_traditional_characters() {
        let (terms, _, _) = parse_terms("财政信息");
        let s = snippet(
            "做好財政信息公開<b>",
            &terms,
            50,
            ("<mark>", "</mark>"),
            true,
        )
        .unwrap();
        assert_eq!(s, "做好<mark>財政信息</mark>公開&lt;b&gt;");
        let (terms, _, _) = parse_terms("ＩＰｖ６");
        let s = snippet("全面支持IPv6。", &terms, 50, ("[", "]"), false).unwrap();
        assert_eq!(s, "全面支持[IPv6]。");
        assert!(snippet("无关", &terms, 50, ("[", "]"), false).is_none());
    }
}
