//! Stable ASCII URL slugs from Chinese names, by toneless pinyin.

use pinyin::ToPinyin;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// Turns a name into a lowercase ASCII slug: each Han character becomes its pinyin
/// syllable, runs of ASCII letters and digits are kept, everything else separates.
/// The slug depends only on the name, so adding content never changes it. Results
/// are remembered: a preview rebuild slugs the same thousands of unit names again.
pub fn slugify(name: &str) -> String {
    static MEMO: LazyLock<Mutex<HashMap<String, String>>> = LazyLock::new(Default::default);
    if let Some(slug) = MEMO.lock().expect("slug memo").get(name) {
        return slug.clone();
    }
    let slug = pinyin_slug(name);
    MEMO.lock()
        .expect("slug memo")
        .insert(name.to_string(), slug.clone());
    slug
}

fn pinyin_slug(name: &str) -> String {
    let simplified = crate::text::to_simplified(name);
    let mut words: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in simplified.chars() {
        let c = crate::text::fold_fullwidth(c);
        if c.is_ascii_alphanumeric() {
            run.push(c.to_ascii_lowercase());
            continue;
        }
        if !run.is_empty() {
            words.push(std::mem::take(&mut run));
        }
        if let Some(p) = c.to_pinyin() {
            words.push(p.plain().to_string());
        }
    }
    if !run.is_empty() {
        words.push(run);
    }
    let slug = words.join("-");
    if slug.is_empty() {
        // Nothing readable (only symbols): the fingerprint stands for the name.
        return fingerprint(name);
    }
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    // A long name keeps its first words and its fingerprint, so that every path
    // component stays far below file systems' 255-byte limit and stays unique.
    let mut cut = String::new();
    for w in slug.split('-') {
        if cut.len() + w.len() + 1 > MAX_SLUG - 7 {
            break;
        }
        if !cut.is_empty() {
            cut.push('-');
        }
        cut.push_str(w);
    }
    if cut.is_empty() {
        cut = slug[..MAX_SLUG - 7].to_string();
    }
    format!("{cut}-{}", fingerprint(name))
}

/// Longest slug in bytes; longer ones are cut and given the name's fingerprint.
pub const MAX_SLUG: usize = 80;

/// A short, stable hexadecimal fingerprint of a name (FNV-1a), used to tell apart
/// names whose pinyin slugs collide.
pub fn fingerprint(name: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{:06x}", h & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_slugs() {
        assert_eq!(slugify("财政办"), "cai-zheng-ban");
        assert_eq!(slugify("市財政局"), "shi-cai-zheng-ju");
        assert_eq!(slugify("“十四五”规划"), "shi-si-wu-gui-hua");
        assert_eq!(
            slugify("支持IPv6的１２３４５热线"),
            "zhi-chi-ipv6-de-12345-re-xian"
        );
        assert_eq!(slugify("2021-kaiping"), "2021-kaiping");
    }

    #[test]
    fn long_and_empty_names_give_bounded_slugs() {
        let long = "关于进一步加强和改进基层政务公开标准化规范化工作推进政务服务数据管理和信息公开的专门工作领导小组办公室";
        let slug = slugify(long);
        assert!(slug.len() <= MAX_SLUG, "{slug}");
        assert!(slug.ends_with(&fingerprint(long)), "{slug}");
        assert_ne!(slug, slugify(&format!("{long}甲")));
        assert_eq!(slugify("😀"), fingerprint("😀"));
        assert!(slugify(&"a".repeat(500)).len() <= MAX_SLUG);
    }

    #[test]
    fn fingerprints_are_stable() {
        assert_eq!(fingerprint("财政办"), fingerprint("财政办"));
        assert_ne!(fingerprint("财政办"), fingerprint("财政局"));
        assert_eq!(fingerprint("a").len(), 6);
    }
}
