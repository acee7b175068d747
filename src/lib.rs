//! gongkai: a static site generator for Chinese government information-disclosure
//! plans (政务公开工作要点分工方案).
//!
//! The pipeline, one module per step: [`load`] → [`parse`] → [`site`] (the model
//! across plans) → [`render`] and [`export`] → [`output`]. [`build`] runs it.

pub mod allocator;
pub mod build;
pub mod config;
pub mod corpus;
pub mod deadline;
pub mod diagnostics;
pub mod export;
pub mod i18n;
pub mod import;
pub mod incremental;
pub mod layout;
pub mod load;
pub mod lock;
pub mod model;
pub mod office;
pub mod output;
pub mod parse;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod text;
pub mod theme;
