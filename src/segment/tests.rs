use super::*;

fn texts(text: &str, lang: &str) -> Vec<String> {
    segment(text, lang).into_iter().map(|s| s.text).collect()
}

#[test]
fn builtin_rules_compile() {
    for lang in ["ar", "en", "und"] {
        let s = Segmenter::from_srx(BUILTIN_SRX, lang);
        assert!(s.is_ok(), "{lang}: {:?}", s.err());
    }
}
