//! BCP 47 language tags as the TM stores and compares them.
//!
//! Tags are stored in canonical case (`ar`, `ar-SA`, `zh-Hant-TW`, `en-US`). Matching falls back
//! from region to language: a request for `ar` serves `ar`, `ar-SA` and `ar-EG`; a request for
//! `ar-SA` serves `ar-SA` and the bare `ar`, but not `ar-EG`.

use std::fmt;

/// A validated, canonically cased BCP 47 language tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct LangTag(String);

/// A language tag that is not well formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language tag (expected BCP 47, such as `ar`, `ar-SA` or `en-US`)")]
pub struct BadLangTag(pub String);

impl LangTag {
    /// Parses a tag, accepting any letter case and `_` as a separator (`AR`, `en_us`).
    ///
    /// # Errors
    /// [`BadLangTag`] when the tag is empty, has an empty or over-long subtag, or a character
    /// other than ASCII letters and digits.
    ///
    /// ```
    /// use mizan::tm::LangTag;
    /// assert_eq!(LangTag::parse("ar_sa").unwrap().as_str(), "ar-SA");
    /// assert_eq!(LangTag::parse("AR").unwrap().as_str(), "ar");
    /// ```
    pub fn parse(tag: &str) -> Result<LangTag, BadLangTag> {
        let bad = || BadLangTag(tag.to_string());
        let tag_trim = tag.trim();
        if tag_trim.is_empty() {
            return Err(bad());
        }
        let mut parts = Vec::new();
        for (i, sub) in tag_trim.split(['-', '_']).enumerate() {
            if sub.is_empty() || sub.len() > 8 || !sub.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad());
            }
            let canon = if i == 0 {
                if !sub.chars().all(|c| c.is_ascii_alphabetic()) || sub.len() > 8 {
                    return Err(bad());
                }
                sub.to_ascii_lowercase()
            } else if sub.len() == 2 && sub.chars().all(|c| c.is_ascii_alphabetic()) {
                sub.to_ascii_uppercase()
            } else if sub.len() == 4 && sub.chars().all(|c| c.is_ascii_alphabetic()) {
                let mut s = sub.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            } else {
                sub.to_ascii_lowercase()
            };
            parts.push(canon);
        }
        Ok(LangTag(parts.join("-")))
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag (`ar` for `ar-SA`).
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// Whether a unit stored under `stored` serves a request for `self` (region fallback).
    ///
    /// ```
    /// use mizan::tm::LangTag;
    /// let ar = LangTag::parse("ar").unwrap();
    /// let ar_sa = LangTag::parse("ar-SA").unwrap();
    /// let ar_eg = LangTag::parse("ar-EG").unwrap();
    /// assert!(ar.serves(&ar_eg));
    /// assert!(ar_sa.serves(&ar));
    /// assert!(!ar_sa.serves(&ar_eg));
    /// ```
    pub fn serves(&self, stored: &LangTag) -> bool {
        if self.language() != stored.language() {
            return false;
        }
        self.0 == stored.0 || !self.0.contains('-') || !stored.0.contains('-')
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for LangTag {
    type Err = BadLangTag;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LangTag::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_case_and_separators() {
        assert_eq!(LangTag::parse("EN-us").unwrap().as_str(), "en-US");
        assert_eq!(LangTag::parse("zh_hant_tw").unwrap().as_str(), "zh-Hant-TW");
        assert_eq!(LangTag::parse("ar-SA").unwrap().language(), "ar");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", " ", "ar--SA", "a r", "ar-", "123", "عربي"] {
            assert!(LangTag::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn region_fallback_is_one_way_between_regions() {
        let t = |s| LangTag::parse(s).unwrap();
        assert!(t("en").serves(&t("en-US")));
        assert!(t("en-US").serves(&t("en")));
        assert!(!t("en-GB").serves(&t("en-US")));
        assert!(!t("ar").serves(&t("en")));
    }
}
