//! Facet counts: how many matches fall on each plan, year, unit and category —
//! exact (every value counted), the [`FACET_SIZE`] values with the most matches
//! kept, among equals those first in key order (as the browser's engine does).
//!
//! Values are counted by number, not by text: [`FacetKeys`] numbers every value
//! of the index in key order once per reader generation, and the collector counts
//! each matching document's values by those numbers; only the values shown are
//! turned back into text.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// The text fast fields counted, in the order of [`FacetCounts`]' dimensions
/// (the year, a number, comes last).
const TEXT_FIELDS: [&str; 3] = ["plan", "unit_name", "category"];

/// Dimensions counted: the text fields and the year.
const DIMENSIONS: usize = TEXT_FIELDS.len() + 1;

/// Every facet value of the index numbered in key order, and each document's
/// values by number: made once per reader generation so that counting a match
/// is a few array reads.
pub struct FacetKeys {
    /// Per dimension: the values in key order.
    keys: [Vec<String>; DIMENSIONS],
    /// Per segment: each document's value numbers.
    segments: Vec<std::sync::Arc<SegmentValues>>,
}

/// One segment's documents and their value numbers, per dimension.
struct SegmentValues {
    /// Per dimension: where each document's numbers start in `values` (one more
    /// entry than documents).
    starts: [Vec<u32>; DIMENSIONS],
    /// Per dimension: the numbers, without repeats within a document.
    values: [Vec<u32>; DIMENSIONS],
}

impl FacetKeys {
    /// Numbers the values of a searcher's segments.
    pub fn new(searcher: &tantivy::Searcher) -> tantivy::Result<FacetKeys> {
        let readers = searcher.segment_readers();
        // Per segment, per dimension: the segment's own values in key order.
        let mut local: Vec<Vec<Vec<String>>> = Vec::new();
        for segment in readers {
            let mut fields = TEXT_FIELDS
                .iter()
                .map(|name| segment_values(segment, name))
                .collect::<tantivy::Result<Vec<_>>>()?;
            let years = segment.fast_fields().u64("year")?;
            let mut present: Vec<u64> = (0..segment.max_doc())
                .flat_map(|doc| years.values_for_doc(doc))
                .collect();
            present.sort_unstable();
            present.dedup();
            fields.push(present.iter().map(u64::to_string).collect());
            local.push(fields);
        }
        let keys: [Vec<String>; DIMENSIONS] = std::array::from_fn(|d| {
            let mut all: Vec<String> = local.iter().flat_map(|s| s[d].iter().cloned()).collect();
            all.sort_unstable();
            all.dedup();
            all
        });
        // Each segment's documents numbered on its own thread.
        let segments = readers
            .par_iter()
            .zip(&local)
            .map(|(segment, fields)| number_documents(segment, fields, &keys))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(FacetKeys { keys, segments })
    }

    /// A zero count for every value.
    fn zero_counts(&self) -> FacetCounts {
        FacetCounts {
            counts: std::array::from_fn(|d| vec![0; self.keys[d].len()]),
        }
    }
}

/// One segment's documents with the numbers of their values (`fields`: the
/// segment's own values per dimension, in key order).
fn number_documents(
    segment: &SegmentReader,
    fields: &[Vec<String>],
    keys: &[Vec<String>; DIMENSIONS],
) -> tantivy::Result<std::sync::Arc<SegmentValues>> {
    // Segment value (ordinal, or position among its years) → number.
    let numbers: Vec<Vec<u32>> = fields
        .iter()
        .zip(keys)
        .map(|(values, all)| {
            values
                .iter()
                .map(|v| all.binary_search(v).map_or(0, |n| n as u32))
                .collect()
        })
        .collect();
    let columns = TEXT_FIELDS
        .iter()
        .map(|name| segment.fast_fields().str(name))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let years = segment.fast_fields().u64("year")?;
    let year_list: Vec<u64> = fields[DIMENSIONS - 1]
        .iter()
        .filter_map(|y| y.parse().ok())
        .collect();
    let mut starts: [Vec<u32>; DIMENSIONS] = Default::default();
    let mut values: [Vec<u32>; DIMENSIONS] = Default::default();
    let mut doc_values: Vec<u32> = Vec::new();
    for doc in 0..segment.max_doc() {
        for d in 0..DIMENSIONS {
            doc_values.clear();
            if d < TEXT_FIELDS.len() {
                if let Some(column) = &columns[d] {
                    doc_values.extend(column.term_ords(doc).map(|o| numbers[d][o as usize]));
                }
            } else {
                doc_values.extend(
                    years
                        .values_for_doc(doc)
                        .filter_map(|y| year_list.binary_search(&y).ok().map(|i| numbers[d][i])),
                );
            }
            if doc_values.len() > 1 {
                doc_values.sort_unstable();
                doc_values.dedup();
            }
            starts[d].push(values[d].len() as u32);
            values[d].extend_from_slice(&doc_values);
        }
    }
    for d in 0..DIMENSIONS {
        starts[d].push(values[d].len() as u32);
    }
    Ok(std::sync::Arc::new(SegmentValues { starts, values }))
}

/// Counts by value number, per dimension.
pub struct FacetCounts {
    counts: [Vec<u32>; DIMENSIONS],
}

impl FacetCounts {
    /// The counts as [`Facets`]: the top [`FACET_SIZE`] values of each dimension.
    pub fn into_facets(self, keys: &FacetKeys) -> Facets {
        let mut dimensions = self
            .counts
            .into_iter()
            .zip(&keys.keys)
            .map(|(counts, names)| {
                let mut present: Vec<(u32, usize)> = counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(i, c)| (*c, i))
                    .collect();
                if present.len() > FACET_SIZE {
                    // Value numbers follow key order: among equal counts, the first keys.
                    present.select_nth_unstable_by(FACET_SIZE - 1, |a, b| {
                        b.0.cmp(&a.0).then(a.1.cmp(&b.1))
                    });
                    present.truncate(FACET_SIZE);
                }
                present
                    .into_iter()
                    .map(|(c, i)| (names[i].clone(), u64::from(c)))
                    .collect::<BTreeMap<_, _>>()
            });
        let mut next = || dimensions.next().unwrap_or_default();
        Facets {
            plan: next(),
            unit: next(),
            category: next(),
            year: next(),
        }
    }
}

/// Counts the facet values of the matching documents.
pub struct FacetCollector {
    keys: std::sync::Arc<FacetKeys>,
}

impl FacetCollector {
    /// A collector counting by these numbered values.
    pub fn new(keys: std::sync::Arc<FacetKeys>) -> Self {
        FacetCollector { keys }
    }
}

/// One segment's counting.
pub struct FacetSegmentCollector {
    segment: std::sync::Arc<SegmentValues>,
    counts: FacetCounts,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let segment = self
            .keys
            .segments
            .get(segment_ord as usize)
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError("facet keys of another generation".into())
            })?;
        Ok(FacetSegmentCollector {
            segment: segment.clone(),
            counts: self.keys.zero_counts(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged = self.keys.zero_counts();
        for fruit in fruits {
            for (total, counts) in merged.counts.iter_mut().zip(fruit.counts) {
                for (t, c) in total.iter_mut().zip(counts) {
                    *t += c;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let doc = doc as usize;
        for d in 0..DIMENSIONS {
            let starts = &self.segment.starts[d];
            let (from, to) = (starts[doc] as usize, starts[doc + 1] as usize);
            let counts = &mut self.counts.counts[d];
            for n in &self.segment.values[d][from..to] {
                counts[*n as usize] += 1;
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        self.counts
    }
}

/// The values of a text fast field in one segment, in key order.
fn segment_values(segment: &SegmentReader, field: &str) -> tantivy::Result<Vec<String>> {
    let mut values = Vec::new();
    if let Some(column) = segment.fast_fields().str(field)? {
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            values.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    Ok(values)
}

/// The values of a text fast field over the whole index (e.g. the plans that have
/// documents).
pub(crate) fn all_values(
    searcher: &tantivy::Searcher,
    field: &str,
) -> tantivy::Result<Vec<String>> {
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        out.extend(segment_values(segment, field)?);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}
