//! A deterministic synthetic corpus for benchmarks: many plans of many issuers and
//! years, recombined from the real tasks, requirements, units and categories of a
//! site's content. Written as ordinary plan files, so the whole pipeline is measured.

use crate::site::Site;
use std::fmt::Write as _;
use std::path::Path;

/// Cities and districts the synthetic issuers are named after.
const CITIES: &[&str] = &[
    "开平", "白城", "福州", "广州", "中山", "江门", "佛山", "珠海", "汕头", "韶关", "湛江", "肇庆",
    "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞", "潮州", "揭阳", "云浮", "长春", "吉林",
    "四平", "辽源", "通化", "松原", "延吉", "厦门",
];
const DISTRICTS: &[&str] = &[
    "东城", "西城", "南湖", "北山", "新区", "高新", "临江", "滨海", "城关", "河西", "河东", "中心",
    "开发", "经济", "红旗", "向阳", "和平", "长安", "永安", "太平",
];
/// Variants that make more distinct categories out of the real titles.
const CATEGORY_VARIANTS: &[&str] = &["", "", "", "工作", "专项", "（试点）", "机制", "任务"];

/// A small, fast, deterministic random source (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The pools the generator draws from.
struct Pools {
    texts: Vec<String>,
    requirements: Vec<String>,
    units: Vec<String>,
    categories: Vec<String>,
}

fn pools(site: &Site) -> Pools {
    let mut p = Pools {
        texts: Vec::new(),
        requirements: Vec::new(),
        units: Vec::new(),
        categories: Vec::new(),
    };
    for plan in &site.plans {
        for t in plan.tasks() {
            p.texts.push(t.text.clone());
            p.requirements.extend(t.requirement.clone());
            p.units.extend(
                t.units
                    .iter()
                    .map(|(_, n)| crate::text::strip_annotations(n)),
            );
        }
    }
    p.categories = site.categories.iter().map(|c| c.title.clone()).collect();
    for v in [&mut p.units, &mut p.categories] {
        v.sort();
        v.dedup();
    }
    p
}

/// How the tasks are spread over plans, issuers, offices and categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shape {
    /// Plans of 60–140 tasks by up to 600 issuers over 2015–2024, any office of
    /// the source site, categories with variants.
    #[default]
    Mixed,
    /// Plans of 50 tasks by 200 district governments (5 yearly plans each at
    /// 50,000 tasks), each with its own 12 offices, over 48 categories.
    Districts,
}

/// Tasks per plan, issuers, offices per issuer and categories of [`Shape::Districts`].
const DISTRICT_PLAN_TASKS: usize = 50;
const DISTRICT_ISSUERS: usize = 200;
const DISTRICT_OFFICES: usize = 12;
const DISTRICT_CATEGORIES: usize = 48;

/// One issuer of [`Shape::Districts`]: its name and its offices.
struct District {
    issuer: String,
    offices: Vec<String>,
}

/// The 200 issuers of [`Shape::Districts`], each with 12 offices from the pool.
fn districts(rng: &mut Rng, units: &[String]) -> Vec<District> {
    let mut names: Vec<String> = CITIES
        .iter()
        .flat_map(|c| DISTRICTS.iter().map(move |d| format!("{c}市{d}区人民政府")))
        .collect();
    // A deterministic shuffle, then the first 200.
    for i in (1..names.len()).rev() {
        names.swap(i, rng.below(i + 1));
    }
    names.truncate(DISTRICT_ISSUERS);
    names
        .into_iter()
        .map(|issuer| {
            let mut offices: Vec<String> = Vec::new();
            while offices.len() < DISTRICT_OFFICES.min(units.len()) {
                let unit = rng.pick(units);
                if !offices.contains(unit) {
                    offices.push(unit.clone());
                }
            }
            District { issuer, offices }
        })
        .collect()
}

/// Writes a site of about `tasks` tasks under `out` (`gongkai.toml` and
/// `content/plans/`), drawing from the content of `site`. Same seed, same files.
pub fn generate(
    site: &Site,
    tasks: usize,
    seed: u64,
    shape: Shape,
    out: &Path,
) -> std::io::Result<usize> {
    let mut pools = pools(site);
    if pools.texts.is_empty() {
        return Err(std::io::Error::other(
            "the source site has no tasks to recombine",
        ));
    }
    let mut rng = Rng(seed);
    let districts = match shape {
        Shape::Mixed => Vec::new(),
        Shape::Districts => {
            pools.categories.truncate(DISTRICT_CATEGORIES);
            districts(&mut rng, &pools.units)
        }
    };
    let plans_dir = out.join("content/plans");
    std::fs::create_dir_all(&plans_dir)?;
    std::fs::write(
        out.join("gongkai.toml"),
        "title = \"政务公开工作要点（合成语料）\"\nbase_url = \"http://127.0.0.1:8000/\"\n",
    )?;
    let mut written = 0;
    let mut plan_no = 0;
    while written < tasks {
        let (issuer, offices, year, count) = match shape {
            Shape::Mixed => {
                let city = rng.pick(CITIES);
                let district = rng.pick(DISTRICTS);
                let count = 60 + rng.below(80);
                let year = 2015 + rng.below(10);
                (
                    format!("{city}市{district}区人民政府"),
                    &pools.units,
                    year,
                    count,
                )
            }
            Shape::Districts => {
                // Plans go round the districts, a year later each round.
                let d = &districts[plan_no % districts.len()];
                let year = 2020 + plan_no / districts.len();
                (d.issuer.clone(), &d.offices, year, DISTRICT_PLAN_TASKS)
            }
        };
        let count = count.min(tasks - written);
        let mut md = String::new();
        let _ = write!(
            md,
            "+++\ntitle = \"{issuer}{year}年政务公开工作要点分工方案\"\nissuer = \"{issuer}\"\nyear = {year}\npublished = {year}-{:02}-{:02}\n+++\n\n为深入推进政务公开工作，结合本地实际，制定本方案。\n",
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let mut number = 1;
        let mut category_no = 0;
        while number <= count {
            category_no += 1;
            let variant = match shape {
                Shape::Mixed => rng.pick(CATEGORY_VARIANTS),
                Shape::Districts => "",
            };
            let title = format!("{}{variant}", rng.pick(&pools.categories));
            let _ = write!(md, "\n## {}、{title}\n", chinese_number(category_no));
            for _ in 0..(3 + rng.below(8)) {
                if number > count {
                    break;
                }
                let pad = " ".repeat(number.to_string().len() + 2);
                let _ = write!(md, "\n{number}. {}\n", rng.pick(&pools.texts));
                if rng.below(2) == 0 && !pools.requirements.is_empty() {
                    let _ = write!(md, "\n{pad}{}\n", rng.pick(&pools.requirements));
                }
                let lead = rng.pick(offices);
                let others: Vec<&String> = (0..rng.below(3))
                    .map(|_| rng.pick(offices))
                    .filter(|u| *u != lead)
                    .collect();
                if others.is_empty() {
                    let _ = write!(md, "\n{pad}责任单位：{lead}\n");
                } else {
                    let others: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
                    let _ = write!(
                        md,
                        "\n{pad}责任单位：{lead}牵头，{}配合\n",
                        others.join("、")
                    );
                }
                if rng.below(4) == 0 {
                    let _ = writeln!(md, "{pad}完成时限：{year}年{}月底前", 6 + rng.below(7));
                }
                number += 1;
            }
        }
        plan_no += 1;
        std::fs::write(plans_dir.join(format!("p{plan_no:05}-{year}.md")), md)?;
        written += count;
    }
    Ok(plan_no)
}

/// 1 → 一, 12 → 十二, 23 → 二十三 (up to 99).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        _ => format!("{}十{}", DIGITS[(n / 10) % 10], DIGITS[n % 10]),
    }
}

#[cfg(test)]
mod tests {
    use super::chinese_number;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(15), "十五");
        assert_eq!(chinese_number(23), "二十三");
    }
}
