//! `gongkai search`: query the prebuilt index of a built site.

use super::{Failure, Outcome};
use gongkai::search::{SearchError, SearchIndex, SearchRequest};
use std::path::Path;

/// Searches the index under `output` and prints a ranked list or JSON.
pub fn run(output: &Path, request: &SearchRequest, json: bool) -> Outcome {
    let index = SearchIndex::open(output).map_err(|e| {
        Failure::new(gongkai::t!("search-no-index", error = e.to_string()))
            .hint(gongkai::t!("serve-no-build-hint"))
    })?;
    let response = index.search(request).map_err(|e| match e {
        SearchError::EmptyQuery => Failure::new(gongkai::t!("search-empty"))
            .hint(gongkai::t!("search-empty-hint"))
            .usage(),
        e => Failure::new(e.to_string()),
    })?;
    if json {
        println!(
            "{}",
            serde_json::to_string(&response).expect("response serializes")
        );
        return Ok(());
    }
    if let Some(notice) = &response.notice {
        eprintln!("{notice}");
    }
    let first = (response.page - 1) * response.limit;
    println!(
        "{}",
        gongkai::t!(
            "search-total",
            query = response.query.as_str(),
            total = response.total
        )
    );
    for (i, hit) in response.hits.iter().enumerate() {
        // Plain text: matches in 【】 instead of HTML marks.
        let text = plain_snippet(&hit.snippet);
        println!(
            "\n{:>3}. [{} #{}] {}",
            first + i + 1,
            hit.plan,
            hit.number,
            text
        );
        println!("     {} · {}", hit.plan_title, hit.category);
        if !hit.units.is_empty() {
            println!(
                "     {}",
                gongkai::t!("search-units", units = hit.units.join("、"))
            );
        }
        println!("     {}", hit.url);
    }
    Ok(())
}

/// The HTML snippet as plain text, its marks as 【】.
fn plain_snippet(html: &str) -> String {
    html.replace("<mark>", "【")
        .replace("</mark>", "】")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
