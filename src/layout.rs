//! Where everything the site outputs lives: every output path and URL (relative
//! to the output folder and to the base path), and the table of page kinds — the
//! template that makes each kind, where its pages go, and what change of the site
//! makes them stale. The full build and the preview both read this table; nothing
//! else spells a path.

use crate::site::Site;

/// Static files of the theme, under the output folder.
pub const STATIC_DIR: &str = "static/";
/// The search index's folder (tantivy files).
pub const INDEX_DIR: &str = "search/index";
/// Beside the index: what content it was built from.
pub const CONTENT_HASH_FILE: &str = "search/content-hash";
/// Beside the index: each plan's title and issuer, matched at query time.
pub const PLANS_FILE: &str = "search/plans.json";
/// The static index the browser searches with (see `search::browser`).
pub const BROWSER_INDEX_DIR: &str = "search/static";
/// The site's vocabulary (query terms are cut into words with it), one per line.
pub const WORDS_FILE: &str = "search/words.txt";
/// The open-data exports of every task.
pub const EXPORT_FILES: [&str; 2] = ["data/tasks.json", "data/tasks.csv"];

/// The URL of a plan's page (`plans/2021-zhongshan/`).
pub fn plan_url(slug: &str) -> String {
    ["plans/", slug, "/"].concat()
}

/// The URL of a task: its plan's page and its anchor (`plans/x/#task-7`).
pub fn task_url(plan_slug: &str, anchor: &str) -> String {
    ["plans/", plan_slug, "/#", anchor].concat()
}

/// The URL of a unit's page (`units/zhong-shan-shi/cai-zheng-ju/`).
pub fn unit_url(jurisdiction_slug: &str, unit_slug: &str) -> String {
    ["units/", jurisdiction_slug, "/", unit_slug, "/"].concat()
}

/// The URL of a merged category's page (`categories/zuo-hao-cai-zheng/`).
pub fn category_url(slug: &str) -> String {
    ["categories/", slug, "/"].concat()
}

/// The output path of a theme's static file (`static/style.css`).
pub fn static_path(name: &str) -> String {
    [STATIC_DIR, name].concat()
}

/// The ledger (台账) of the page at a folder URL, as CSV (`units/x/y/tasks.csv`).
pub fn ledger_file(url: &str) -> String {
    [url, "tasks.csv"].concat()
}

/// The output path of the page at a folder URL (`plans/x/` → `plans/x/index.html`).
pub fn page_file(url: &str) -> String {
    [url, "index.html"].concat()
}

/// The URL of the search page (`search/`).
pub fn search_url() -> &'static str {
    let path = PageKind::Search
        .spec()
        .path
        .expect("the search page is one page");
    folder_url(path)
}

/// The folder URL of a page file (`units/index.html` → `units/`, `index.html` → ``).
pub fn folder_url(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// True for the files of the search index and beside it (written by the index,
/// not by page rendering).
pub fn is_search_data(path: &str) -> bool {
    [INDEX_DIR, BROWSER_INDEX_DIR].iter().any(|dir| {
        path.strip_prefix(dir)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }) || path == CONTENT_HASH_FILE
        || path == PLANS_FILE
        || path == WORDS_FILE
}

/// What change of the site makes a page stale, beyond its own template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// What the whole site lists (plans, units, categories and their counts).
    Listing,
    /// Its plan's content.
    Plan,
    /// The tasks its unit is named in.
    Unit,
    /// The tasks and headings merged into its category.
    Category,
}

/// A kind of page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKind {
    /// The home page: every plan.
    Home,
    /// One plan.
    Plan,
    /// The list of units.
    UnitIndex,
    /// One unit: its tasks in every plan.
    Unit,
    /// The list of categories.
    CategoryIndex,
    /// One merged category.
    Category,
    /// The search page.
    Search,
    /// The page for a missing URL.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// The Atom feed.
    Feed,
    /// A plan's ledger as CSV.
    PlanLedger,
    /// A unit's ledger as CSV.
    UnitLedger,
    /// A page that moved: a redirect to where it is now.
    Redirect,
    /// Every redirect, for servers (`_redirects`, the Netlify format).
    Redirects,
    /// `data/units.json`: every office and group with its tasks.
    UnitsData,
}

/// One row of the page table.
pub struct PageSpec {
    /// The kind.
    pub kind: PageKind,
    /// The template that renders it (empty: gongkai writes it itself).
    pub template: &'static str,
    /// Its output path, for kinds with one page.
    pub path: Option<&'static str>,
    /// What makes it stale.
    pub stale: Staleness,
}

/// Every kind of page the site has, in the order a build renders them. The open
/// data of units comes first: it is one file of many megabytes (17 MB at 50,000
/// tasks), made while the memory holds none of the task cards the later pages keep.
pub const PAGES: [PageSpec; 15] = [
    PageSpec {
        kind: PageKind::UnitsData,
        template: "",
        path: Some(UNITS_FILE),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Home,
        template: "index.html",
        path: Some("index.html"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Plan,
        template: "plan.html",
        path: None,
        stale: Staleness::Plan,
    },
    PageSpec {
        kind: PageKind::UnitIndex,
        template: "units.html",
        path: Some("units/index.html"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Unit,
        template: "unit.html",
        path: None,
        stale: Staleness::Unit,
    },
    PageSpec {
        kind: PageKind::CategoryIndex,
        template: "categories.html",
        path: Some("categories/index.html"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Category,
        template: "category.html",
        path: None,
        stale: Staleness::Category,
    },
    PageSpec {
        kind: PageKind::Search,
        template: "search.html",
        path: Some("search/index.html"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::NotFound,
        template: "404.html",
        path: Some("404.html"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Sitemap,
        template: "sitemap.xml",
        path: Some("sitemap.xml"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Feed,
        template: "atom.xml",
        path: Some("feed.xml"),
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::PlanLedger,
        template: "",
        path: None,
        stale: Staleness::Plan,
    },
    PageSpec {
        kind: PageKind::UnitLedger,
        template: "",
        path: None,
        stale: Staleness::Unit,
    },
    PageSpec {
        kind: PageKind::Redirect,
        template: "redirect.html",
        path: None,
        stale: Staleness::Listing,
    },
    PageSpec {
        kind: PageKind::Redirects,
        template: "_redirects",
        path: Some(REDIRECTS_FILE),
        stale: Staleness::Listing,
    },
];

/// The open data of units and groups.
pub const UNITS_FILE: &str = "data/units.json";

/// The file listing every redirect (old path, new path, 301), for servers.
pub const REDIRECTS_FILE: &str = "_redirects";

impl PageKind {
    /// This kind's row of [`PAGES`].
    pub fn spec(self) -> &'static PageSpec {
        PAGES
            .iter()
            .find(|p| p.kind == self)
            .expect("every kind has a row")
    }
}

/// One page of a site (indices into its plans, units and categories).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Page {
    /// A page of a kind that has one page.
    Single(PageKind),
    /// A plan's page.
    Plan(usize),
    /// A unit's page.
    Unit(usize),
    /// A category's page.
    Category(usize),
    /// A plan's ledger (CSV).
    PlanLedger(usize),
    /// A unit's ledger (CSV).
    UnitLedger(usize),
    /// A redirect from a moved page (index in `Site::redirects`).
    Redirect(usize),
}

impl Page {
    /// What kind of page it is.
    pub fn kind(self) -> PageKind {
        match self {
            Page::Single(kind) => kind,
            Page::Plan(_) => PageKind::Plan,
            Page::Unit(_) => PageKind::Unit,
            Page::Category(_) => PageKind::Category,
            Page::PlanLedger(_) => PageKind::PlanLedger,
            Page::UnitLedger(_) => PageKind::UnitLedger,
            Page::Redirect(_) => PageKind::Redirect,
        }
    }

    /// Its output path, relative to the output folder.
    pub fn path(self, site: &Site) -> String {
        match self {
            Page::Single(kind) => kind
                .spec()
                .path
                .expect("single pages have a path")
                .to_string(),
            Page::Plan(i) => page_file(&plan_url(&site.plans[i].slug)),
            Page::Unit(i) => page_file(&site.units[i].url),
            Page::Category(i) => page_file(&site.categories[i].url),
            Page::PlanLedger(i) => ledger_file(&plan_url(&site.plans[i].slug)),
            Page::UnitLedger(i) => ledger_file(&site.units[i].url),
            Page::Redirect(i) => page_file(&site.redirects[i].0),
        }
    }
}

/// Every page of a kind.
pub fn pages_of_kind(kind: PageKind, site: &Site) -> Vec<Page> {
    match kind {
        PageKind::Plan => (0..site.plans.len()).map(Page::Plan).collect(),
        PageKind::Unit => (0..site.units.len()).map(Page::Unit).collect(),
        PageKind::Category => (0..site.categories.len()).map(Page::Category).collect(),
        PageKind::PlanLedger => (0..site.plans.len()).map(Page::PlanLedger).collect(),
        PageKind::UnitLedger => (0..site.units.len()).map(Page::UnitLedger).collect(),
        PageKind::Redirect => (0..site.redirects.len()).map(Page::Redirect).collect(),
        single => vec![Page::Single(single)],
    }
}

/// The pages that list the whole site: stale whenever the listing changes.
pub fn listing_pages(site: &Site) -> Vec<Page> {
    PAGES
        .iter()
        .filter(|p| p.stale == Staleness::Listing)
        .flat_map(|p| pages_of_kind(p.kind, site))
        .collect()
}

/// Every page of a site.
pub fn all_pages(site: &Site) -> Vec<Page> {
    PAGES
        .iter()
        .flat_map(|p| pages_of_kind(p.kind, site))
        .collect()
}

/// The pages a template renders; `None` for templates that other templates use
/// (the base layout, components, anything not in the table): every page.
pub fn pages_of_template(template: &str, site: &Site) -> Option<Vec<Page>> {
    let pages: Vec<Page> = PAGES
        .iter()
        .filter(|p| p.template == template)
        .flat_map(|p| pages_of_kind(p.kind, site))
        .collect();
    (!pages.is_empty()).then_some(pages)
}

/// The pages that show one plan: its page and its ledger.
pub fn plan_pages(plan: usize) -> [Page; 2] {
    [Page::Plan(plan), Page::PlanLedger(plan)]
}

/// The pages that show one unit: its page and its ledger.
pub fn unit_pages(unit: usize) -> [Page; 2] {
    [Page::Unit(unit), Page::UnitLedger(unit)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_data_is_not_the_search_page() {
        assert!(is_search_data("search/index/meta.json"));
        assert!(is_search_data(CONTENT_HASH_FILE));
        assert!(!is_search_data("search/index.html"));
        assert!(!is_search_data("search/indexes/x"));
    }

    #[test]
    fn every_kind_has_one_row_and_single_pages_have_paths() {
        for (i, p) in PAGES.iter().enumerate() {
            assert_eq!(PAGES.iter().filter(|q| q.kind == p.kind).count(), 1);
            let single = !matches!(
                p.kind,
                PageKind::Plan
                    | PageKind::Unit
                    | PageKind::Category
                    | PageKind::PlanLedger
                    | PageKind::UnitLedger
                    | PageKind::Redirect
            );
            assert_eq!(p.path.is_some(), single, "row {i}");
        }
    }
}
