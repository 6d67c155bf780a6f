//! Organisation names: splitting 岡山県鏡野町 into prefecture and
//! municipality, and the hand-made romanisation used in file names
//! (Hepburn, no macrons; no pinyin).

use crate::case::place::Prefecture;

/// (name, romanisation) for every prefecture and municipality in the
/// publication.
const ROMAJI: &[(&str, &str)] = &[
    ("北海道", "hokkaido"),
    ("山形県", "yamagata"),
    ("福島県", "fukushima"),
    ("茨城県", "ibaraki"),
    ("栃木県", "tochigi"),
    ("埼玉県", "saitama"),
    ("千葉県", "chiba"),
    ("東京都", "tokyo"),
    ("神奈川県", "kanagawa"),
    ("新潟県", "niigata"),
    ("石川県", "ishikawa"),
    ("福井県", "fukui"),
    ("静岡県", "shizuoka"),
    ("愛知県", "aichi"),
    ("三重県", "mie"),
    ("滋賀県", "shiga"),
    ("大阪府", "osaka"),
    ("兵庫県", "hyogo"),
    ("奈良県", "nara"),
    ("鳥取県", "tottori"),
    ("島根県", "shimane"),
    ("岡山県", "okayama"),
    ("広島県", "hiroshima"),
    ("山口県", "yamaguchi"),
    ("香川県", "kagawa"),
    ("愛媛県", "ehime"),
    ("福岡県", "fukuoka"),
    ("熊本県", "kumamoto"),
    ("大分県", "oita"),
    ("宮崎県", "miyazaki"),
    ("鹿児島県", "kagoshima"),
    ("群馬県", "gunma"),
    ("舟形町", "funagata"),
    ("あわら市", "awara"),
    ("上里町", "kamisato"),
    ("西会津町", "nishiaizu"),
    ("酒田市", "sakata"),
    ("都城市", "miyakonojo"),
    ("神戸市", "kobe"),
    ("横浜市", "yokohama"),
    ("三宅町", "miyake"),
    ("中野区", "nakano"),
    ("真岡市", "moka"),
    ("金沢市", "kanazawa"),
    ("小山町", "oyama"),
    ("北九州市", "kitakyushu"),
    ("江津市", "gotsu"),
    ("長井市", "nagai"),
    ("袋井市", "fukuroi"),
    ("つくば市", "tsukuba"),
    ("豊田市", "toyota"),
    ("鏡野町", "kagamino"),
    ("串間市", "kushima"),
    ("総社市", "soja"),
    ("千葉市", "chiba"),
    ("豊島区", "toshima"),
    ("奈良市", "nara"),
    ("姫路市", "himeji"),
    ("熊本市", "kumamoto"),
    ("奄美市", "amami"),
    ("笠間市", "kasama"),
    ("阿蘇市", "aso"),
    ("志摩市", "shima"),
    ("北見市", "kitami"),
    ("三鷹市", "mitaka"),
    ("横須賀市", "yokosuka"),
    ("長岡市", "nagaoka"),
    ("港区", "minato"),
    ("豊中市", "toyonaka"),
    ("江戸川区", "edogawa"),
    ("昭和村", "showa"),
    ("小国町", "oguni"),
    ("別府市", "beppu"),
    ("土庄町", "tonosho"),
    ("余市町", "yoichi"),
    ("西予市", "seiyo"),
    ("朝来市", "asago"),
    ("苅田町", "kanda"),
    ("君津市", "kimitsu"),
    ("会津若松市", "aizuwakamatsu"),
    ("前橋市", "maebashi"),
    ("安城市", "anjo"),
    ("福島市", "fukushima"),
    ("柏崎市", "kashiwazaki"),
    ("糸島市", "itoshima"),
    ("町田市", "machida"),
    ("肝付町", "kimotsuki"),
    ("三条市", "sanjo"),
    ("渋谷区", "shibuya"),
    ("宇都宮市", "utsunomiya"),
];

/// 岡山県鏡野町 → (岡山県, Some(鏡野町)); 大分県 → (大分県, None).
pub fn split_organization(full: &str) -> Option<(Prefecture, Option<String>)> {
    let full = full.trim();
    let prefecture = Prefecture::all_names()
        .filter(|name| full.starts_with(name))
        .max_by_key(|name| name.len())
        .and_then(Prefecture::from_name)?;
    let rest = full[prefecture.name().len()..].trim();
    Some((prefecture, (!rest.is_empty()).then(|| rest.to_string())))
}

/// The romanised name: `kagamino`, or `oita-pref` for a prefecture.
pub fn romaji(prefecture: Prefecture, municipality: Option<&str>) -> Option<String> {
    let lookup = |name: &str| ROMAJI.iter().find(|(n, _)| *n == name).map(|(_, r)| r.to_string());
    match municipality {
        Some(name) => lookup(name),
        None => lookup(prefecture.name()).map(|r| format!("{r}-pref")),
    }
}

/// `3-01-kagamino`; without a romanisation, `3-01`.
pub fn case_id(chapter: u32, number: u32, romaji: Option<&str>) -> String {
    match romaji {
        Some(r) => format!("{chapter}-{number:02}-{r}"),
        None => format!("{chapter}-{number:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_split_at_the_prefecture() {
        let (p, m) = split_organization("岡山県鏡野町").expect("split");
        assert_eq!((p.name(), m.as_deref()), ("岡山県", Some("鏡野町")));
        let (p, m) = split_organization("北海道北見市").expect("split");
        assert_eq!((p.name(), m.as_deref()), ("北海道", Some("北見市")));
        let (p, m) = split_organization("京都府").expect("split");
        assert_eq!((p.name(), m), ("京都府", None));
        assert!(split_organization("どこか").is_none());
    }

    #[test]
    fn ids_are_ascii_slugs() {
        let (p, m) = split_organization("大分県").expect("split");
        assert_eq!(case_id(1, 13, romaji(p, m.as_deref()).as_deref()), "1-13-oita-pref");
        let (p, m) = split_organization("福島県会津若松市").expect("split");
        assert_eq!(case_id(3, 35, romaji(p, m.as_deref()).as_deref()), "3-35-aizuwakamatsu");
        assert_eq!(case_id(3, 7, None), "3-07");
    }

    #[test]
    fn every_romanisation_is_a_valid_id_part() {
        for (_, r) in ROMAJI {
            assert!(r.bytes().all(|b| b.is_ascii_lowercase()), "{r}");
        }
    }
}
