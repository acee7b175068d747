//! Full-text search over tasks: a tantivy index built with the site
//! (`output/search/index/`), Chinese analysis, queries, facets and snippets.
//!
//! `schema` (fields) ← `index` (build from the site model) ← `live` (the preview's
//! index); `analyzer` (folding, tokens) ← `terms` (query text → terms) ←
//! `query` (terms → tantivy query → answer) → `facets`, `snippet`. Nothing here
//! knows of HTTP.

pub mod analyzer;
pub mod browser;
mod directory;
pub mod facets;
mod fields_hold;
pub mod index;
pub mod live;
pub mod query;
pub mod schema;
pub mod snippet;
pub mod terms;

pub use index::build_index;
pub use live::LiveIndex;
pub use query::{SearchError, SearchIndex, SearchRequest, SearchResponse};
