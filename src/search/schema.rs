//! The index schema: its fields, what each document stores, and the analyzers.

use super::analyzer::{GRAMS, GramTokenizer};
use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// A searchable field: its n-gram terms and its weight in the ranking.
#[derive(Clone, Copy)]
pub struct SearchField {
    /// Units, bigrams and trigrams (documents only: no positions, no frequencies).
    pub grams: Field,
    /// Ranking weight (see [`FIELD_WEIGHTS`]).
    pub weight: u32,
}

/// The searchable fields, in snippet order, and their weights: a match in a task's
/// units counts most, then its category, its text, its requirement.
pub const FIELD_WEIGHTS: [(&str, u32); 4] = [
    ("text", 3),
    ("requirement", 2),
    ("category", 8),
    ("units", 12),
];

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

/// A plan's searchable information (title and issuer), stored in [`crate::layout::PLANS_FILE`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PlanInfo {
    /// Plan slug.
    pub slug: String,
    /// Title.
    pub title: String,
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
    let searchable = FIELD_WEIGHTS
        .iter()
        .map(|(name, weight)| SearchField {
            grams: b.add_text_field(
                &format!("{name}_grams"),
                indexed(GRAMS, IndexRecordOption::Basic),
            ),
            weight: *weight,
        })
        .collect();
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

/// Registers the Chinese analyzers on an index.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(GRAMS, GramTokenizer);
}
