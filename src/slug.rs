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

/// Words whose characters read otherwise than alone (polyphones), as their pinyin
/// syllables: place names first, then words of government work.
const PHRASES: &[(&str, &str)] = &[
    ("长沙", "chang sha"),
    ("长春", "chang chun"),
    ("长安", "chang an"),
    ("长江", "chang jiang"),
    ("长治", "chang zhi"),
    ("长宁", "chang ning"),
    ("长寿", "chang shou"),
    ("长兴", "chang xing"),
    ("长乐", "chang le"),
    ("长泰", "chang tai"),
    ("长汀", "chang ting"),
    ("长垣", "chang yuan"),
    ("长丰", "chang feng"),
    ("长岭", "chang ling"),
    ("长白", "chang bai"),
    ("长葛", "chang ge"),
    ("长期", "chang qi"),
    ("长效", "chang xiao"),
    ("长远", "chang yuan"),
    ("延长", "yan chang"),
    ("花都", "hua du"),
    ("首都", "shou du"),
    ("成都", "cheng du"),
    ("都市", "du shi"),
    ("都江堰", "du jiang yan"),
    ("都匀", "du yun"),
    ("都昌", "du chang"),
    ("古都", "gu du"),
    ("重庆", "chong qing"),
    ("重新", "chong xin"),
    ("重复", "chong fu"),
    ("重建", "chong jian"),
    ("重组", "chong zu"),
    ("重阳", "chong yang"),
    ("银行", "yin hang"),
    ("行业", "hang ye"),
    ("行长", "hang zhang"),
    ("农行", "nong hang"),
    ("工行", "gong hang"),
    ("建行", "jian hang"),
    ("商行", "shang hang"),
    ("同行", "tong hang"),
    ("朝阳", "chao yang"),
    ("朝鲜", "chao xian"),
    ("单县", "shan xian"),
    ("会计", "kuai ji"),
    ("调整", "tiao zheng"),
    ("调解", "tiao jie"),
    ("调控", "tiao kong"),
    ("协调", "xie tiao"),
    ("乐清", "yue qing"),
    ("乐亭", "lao ting"),
    ("音乐", "yin yue"),
    ("厦门", "xia men"),
    ("大厦", "da sha"),
    ("六安", "lu an"),
    ("六合", "lu he"),
    ("丽水", "li shui"),
    ("东莞", "dong guan"),
    ("番禺", "pan yu"),
    ("蚌埠", "beng bu"),
    ("西藏", "xi zang"),
    ("藏族", "zang zu"),
    ("曾经", "ceng jing"),
    ("差异", "cha yi"),
    ("出差", "chu chai"),
    ("参差", "cen ci"),
    ("数据", "shu ju"),
    ("处理", "chu li"),
    ("办事处", "ban shi chu"),
    ("处室", "chu shi"),
    ("教育", "jiao yu"),
    ("传记", "zhuan ji"),
    ("应当", "ying dang"),
    ("应急", "ying ji"),
    ("强制", "qiang zhi"),
    ("勉强", "mian qiang"),
    ("石家庄", "shi jia zhuang"),
    ("济南", "ji nan"),
    ("济宁", "ji ning"),
    ("供应", "gong ying"),
    ("提供", "ti gong"),
    ("种植", "zhong zhi"),
    ("种类", "zhong lei"),
    ("校对", "jiao dui"),
    ("上校", "shang xiao"),
    ("省长", "sheng zhang"),
    ("给予", "ji yu"),
    ("供给", "gong ji"),
    ("补给", "bu ji"),
    ("尽快", "jin kuai"),
    ("尽量", "jin liang"),
];

/// The pinyin syllables of a simplified word: phrases from the table, longest
/// first at each place, other characters by their first reading.
fn word_pinyin(word: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        let phrase = PHRASES
            .iter()
            .filter(|(p, _)| rest.starts_with(p))
            .max_by_key(|(p, _)| p.chars().count());
        if let Some((p, syllables)) = phrase {
            out.extend(syllables.split(' ').map(str::to_string));
            i += p.chars().count();
        } else {
            if let Some(p) = chars[i].to_pinyin() {
                out.push(p.plain().to_string());
            }
            i += 1;
        }
    }
}

/// A name's slug by words: jieba cuts the name, so that a phrase of the table is
/// read within its word (`长沙` in `…长沙街道…`) and never across two words.
fn pinyin_slug(name: &str) -> String {
    match plain_ascii_slug(name) {
        Some(slug) => bounded(name, slug),
        None => jieba_slug(name),
    }
}

/// The slug of a name in plain ASCII (a file name like `2021-zhongshan`): its runs
/// of letters and digits, lowercased, which is what jieba's cut gives, found without
/// its dictionary (a build would wait ~0.25 s for it before reading any plan).
/// None for any other name, and for one with `+`, `#` or `&`: the dictionary's only
/// ASCII words (`C++`, `C#`, `AT&T`) hold them, and only such a word could cut a run.
fn plain_ascii_slug(name: &str) -> Option<String> {
    if !name.is_ascii() || name.contains(['+', '#', '&']) {
        return None;
    }
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    Some(words.join("-"))
}

/// [`pinyin_slug`] with jieba's cut.
fn jieba_slug(name: &str) -> String {
    let simplified = crate::text::to_simplified(name);
    let folded: String = simplified
        .chars()
        .map(crate::text::fold_fullwidth)
        .collect();
    let mut words: Vec<String> = Vec::new();
    for token in crate::text::JIEBA.cut(&folded, false) {
        let mut run = String::new();
        let mut han = String::new();
        for c in token.word.chars() {
            if c.is_ascii_alphanumeric() {
                if !han.is_empty() {
                    word_pinyin(&std::mem::take(&mut han), &mut words);
                }
                run.push(c.to_ascii_lowercase());
                continue;
            }
            if !run.is_empty() {
                words.push(std::mem::take(&mut run));
            }
            if crate::text::is_han(c) {
                han.push(c);
            } else if !han.is_empty() {
                word_pinyin(&std::mem::take(&mut han), &mut words);
            }
        }
        if !han.is_empty() {
            word_pinyin(&han, &mut words);
        }
        if !run.is_empty() {
            words.push(run);
        }
    }
    bounded(name, words.join("-"))
}

/// The slug of earlier versions (each character by its first reading, no words):
/// the URL a page had before, kept for redirects.
pub fn legacy_slug(name: &str) -> String {
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
    bounded(name, words.join("-"))
}

/// A slug of at most [`MAX_SLUG`] bytes (never empty), unique for its name.
fn bounded(name: &str, slug: String) -> String {
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
    fn plain_ascii_names_slug_as_jieba_cuts_them() {
        let alphabet: Vec<char> = "aZ09-_. %xY7/~!(=@".chars().collect();
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5000 {
            let len = rng.usize(0..24);
            let name: String = (0..len)
                .map(|_| alphabet[rng.usize(..alphabet.len())])
                .collect();
            assert_eq!(pinyin_slug(&name), jieba_slug(&name), "{name:?}");
        }
        for name in ["2021-zhongshan", "p00001-2020", "IPv6.v2_final", "a..b", ""] {
            assert_eq!(pinyin_slug(name), jieba_slug(name), "{name:?}");
        }
        // The names jieba may cut otherwise take its way.
        assert_eq!(plain_ascii_slug("abc++x"), None);
        assert_eq!(pinyin_slug("abc++x"), jieba_slug("abc++x"));
    }

    #[test]
    fn polyphones_read_as_words() {
        for (name, slug) in [
            (
                "开平市人民政府长沙街道办事处",
                "kai-ping-shi-ren-min-zheng-fu-chang-sha-jie-dao-ban-shi-chu",
            ),
            (
                "广州市花都区应急管理局",
                "guang-zhou-shi-hua-du-qu-ying-ji-guan-li-ju",
            ),
            ("重庆市", "chong-qing-shi"),
            ("人民银行", "ren-min-yin-hang"),
            ("朝阳区", "chao-yang-qu"),
            ("行政服务中心", "xing-zheng-fu-wu-zhong-xin"),
            ("市长热线", "shi-zhang-re-xian"),
        ] {
            assert_eq!(slugify(name), slug, "{name}");
        }
        assert_eq!(legacy_slug("长沙"), "zhang-sha");
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
