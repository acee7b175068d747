//! Facet counts: how many matches fall on each plan, year, unit and category,
//! by terms aggregations over fast fields.

use super::query::SearchError;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};

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

/// Most values shown per facet dimension: those with the most matches, among
/// equals the first in order of their keys; the rest are left out.
pub const FACET_SIZE: usize = 50;

/// More values than any site has in one dimension: every value is counted, so
/// the counts are exact and the top [`FACET_SIZE`] are chosen from all of them.
const COUNTED_VALUES: usize = 1_000_000;

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
pub(crate) fn facet_collector() -> AggregationCollector {
    terms_aggregation(
        &[
            ("plan", "plan"),
            ("year", "year"),
            ("unit", "unit_name"),
            ("category", "category"),
        ],
        COUNTED_VALUES,
    )
}

/// The [`FACET_SIZE`] values with the most matches (among equals, the first keys).
pub(crate) fn top_values(counts: BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    if counts.len() <= FACET_SIZE {
        return counts;
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(FACET_SIZE);
    ranked.into_iter().collect()
}

/// Reads terms-aggregation results into value → count maps, by name.
pub(crate) fn read_term_counts(
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
