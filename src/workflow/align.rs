//! Aligning two documents and storing the pairs in the TM, with the built-in lexicon and one
//! learned from the TM's own pairs.

use crate::align::{align, align_resegmented, document_sentences, AlignOptions, Lexicon, Link, Sentence};
use crate::formats::pretranslated::tsv_field;
use crate::segment::Segmenter;
use crate::store::Store;
use crate::tm::{AddOutcome, DuplicatePolicy, LangTag, NewUnit, Origin, UnitFilter};
use crate::Result;

/// The property that carries an aligned pair's confidence (three decimals) in the TM and in TMX.
pub const PROP_CONFIDENCE: &str = "x-mizan-confidence";

/// Learns the aligner's lexicon from the TM's units of this language pair (at most
/// [`MAX_LEARN_PAIRS`](crate::align::MAX_LEARN_PAIRS) of them, in id order).
///
/// A TM with no such units gives an empty lexicon (the aligner then relies on lengths and
/// anchors).
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the units cannot be read.
pub fn learn_lexicon(tm: &dyn Store, source_lang: &LangTag, target_lang: &LangTag) -> Result<Lexicon> {
    let filter = UnitFilter {
        source_lang: Some(source_lang.clone()),
        target_lang: Some(target_lang.clone()),
        ..Default::default()
    };
    let mut pairs = Vec::new();
    tm.visit_units(&filter, &mut |u| {
        pairs.push((u.source, u.target));
        pairs.len() < crate::align::MAX_LEARN_PAIRS
    })?;
    Ok(Lexicon::learn(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))))
}

/// The lexicon `mizan align` uses: the built-in Arabic→English one ([`Lexicon::builtin`], when
/// the source language is Arabic and the target English) together with what [`learn_lexicon`]
/// learns from `tm`'s own pairs of this language pair (when a TM is given).
///
/// ```
/// use mizan::tm::{LangTag, Tm};
/// use mizan::workflow::aligner_lexicon;
/// let tm = Tm::open_in_memory()?;
/// let (ar, en, fr) = (LangTag::parse("ar")?, LangTag::parse("en")?, LangTag::parse("fr")?);
/// assert!(aligner_lexicon(Some(&tm), &ar, &en)?.translates("الحكومة", "government"));
/// assert!(aligner_lexicon(None, &fr, &en)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the TM's units cannot be read.
pub fn aligner_lexicon(tm: Option<&dyn Store>, source_lang: &LangTag, target_lang: &LangTag) -> Result<Lexicon> {
    let builtin =
        source_lang.language().eq_ignore_ascii_case("ar") && target_lang.language().eq_ignore_ascii_case("en");
    let learned = match tm {
        Some(tm) => learn_lexicon(tm, source_lang, target_lang)?,
        None => Lexicon::default(),
    };
    Ok(if builtin {
        learned.union(Lexicon::builtin())
    } else {
        learned
    })
}

/// How the documents' text becomes the sentences the aligner links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SentenceSplit {
    /// One sentence per line (every line counts, even an empty one), aligned as given.
    Presegmented,
    /// Each non-empty line is a paragraph (or a headline) that the language's segmenter splits
    /// into sentences; the sentences are aligned as split.
    Segment,
    /// Like [`SentenceSplit::Segment`], and where the alignment shows that the segmenter ran two
    /// sentences together, they are split ([`align_resegmented`]): `mizan align`'s default.
    #[default]
    SegmentAndCorrect,
}

/// How to align two documents ([`align_documents`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentAlignOptions {
    /// The language of the first document (its segmenter, and the stored units' source).
    pub source_lang: LangTag,
    /// The language of the second document.
    pub target_lang: LangTag,
    /// How the text becomes sentences.
    pub split: SentenceSplit,
    /// The aligner's options ([`AlignOptions::gale_church`] for the length model only).
    pub align: AlignOptions,
}

impl DocumentAlignOptions {
    /// Paragraph text segmented and corrected, every aligner feature on.
    pub fn new(source_lang: LangTag, target_lang: LangTag) -> Self {
        DocumentAlignOptions {
            source_lang,
            target_lang,
            split: SentenceSplit::default(),
            align: AlignOptions::default(),
        }
    }
}

/// Two documents' sentences and the links between them.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignedDocuments {
    /// The first document's language.
    pub source_lang: LangTag,
    /// The second document's language.
    pub target_lang: LangTag,
    /// The first (Arabic) document's sentences, as corrected by the alignment.
    pub ar: Vec<Sentence>,
    /// The second (English) document's sentences, as corrected by the alignment.
    pub en: Vec<Sentence>,
    /// The links, in document order ([`crate::align`] states their invariants).
    pub links: Vec<Link>,
}

impl AlignedDocuments {
    /// The text of a link's Arabic sentences, joined by one space, tabs and line breaks made
    /// spaces (one TSV field; the source of the stored unit).
    pub fn ar_text(&self, link: &Link) -> String {
        join(&link.ar_ids, &self.ar)
    }

    /// The text of a link's English sentences, as [`AlignedDocuments::ar_text`].
    pub fn en_text(&self, link: &Link) -> String {
        join(&link.en_ids, &self.en)
    }
}

fn join(ids: &[usize], sentences: &[Sentence]) -> String {
    ids.iter()
        .map(|&i| tsv_field(&sentences[i].text))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits both documents into sentences as `opts.split` says and aligns them with `lexicon`.
///
/// Never fails: any text is accepted (an empty side gives only one-sided links).
pub fn align_documents(
    ar_text: &str,
    en_text: &str,
    lexicon: &Lexicon,
    opts: &DocumentAlignOptions,
) -> AlignedDocuments {
    let presegmented = opts.split == SentenceSplit::Presegmented;
    let ar = document_sentences(
        ar_text,
        &Segmenter::for_language(opts.source_lang.as_str()),
        presegmented,
    );
    let en = document_sentences(
        en_text,
        &Segmenter::for_language(opts.target_lang.as_str()),
        presegmented,
    );
    let (ar, en, links) = match opts.split {
        SentenceSplit::Presegmented | SentenceSplit::Segment => {
            let links = align(&ar, &en, lexicon, &opts.align);
            (ar, en, links)
        }
        SentenceSplit::SegmentAndCorrect => {
            let r = align_resegmented(&ar, &en, lexicon, &opts.align);
            (r.ar, r.en, r.links)
        }
    };
    AlignedDocuments {
        source_lang: opts.source_lang.clone(),
        target_lang: opts.target_lang.clone(),
        ar,
        en,
        links,
    }
}

/// Which links to store and how to label them ([`store_aligned`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreOptions {
    /// Links below this confidence (0–1) are not stored.
    pub min_confidence: f64,
    /// The document name recorded on every stored unit (with the position of its first Arabic
    /// sentence).
    pub document: Option<String>,
}

impl Default for StoreOptions {
    /// `mizan align --import`'s default: confidence 0.5 and up, no document name.
    fn default() -> Self {
        StoreOptions {
            min_confidence: 0.5,
            document: None,
        }
    }
}

/// What [`store_aligned`] did with the links.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreReport {
    /// Links stored as new units.
    pub stored: usize,
    /// Links identical to a unit already stored (nothing changed).
    pub duplicates: usize,
    /// Links (with both sides) below the minimum confidence.
    pub below_min_confidence: usize,
    /// Links with one side only (a sentence left untranslated): nothing to store.
    pub one_sided: usize,
    /// Links with three sentences on a side (3-1, 1-3): not stored. `align --import` stores
    /// 1-1, 2-1, 1-2 and 2-2 links only (the command-line contract); a unit that long is rarely
    /// matched again, and such a link is better reviewed by a person (the web page's align view
    /// stores what a person accepts, whatever its kind).
    pub over_two: usize,
    /// Links whose text on one side is only white space: nothing to store.
    pub empty: usize,
}

/// Stores the links that have both sides and at least `opts.min_confidence` as units of origin
/// `align`, unreviewed (the origin's default status: alignment is machine output until a person
/// confirms it), with the document name, the position of the first Arabic sentence and the
/// confidence ([`PROP_CONFIDENCE`]); in one transaction, identical units kept once.
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) (e.g. another process holds the TM's write lock past the wait);
/// nothing is stored then.
pub fn store_aligned(tm: &mut dyn Store, aligned: &AlignedDocuments, opts: &StoreOptions) -> Result<StoreReport> {
    let mut report = StoreReport::default();
    let mut batch = tm.writer(DuplicatePolicy::KeepBoth)?;
    for l in &aligned.links {
        if l.ar_ids.is_empty() || l.en_ids.is_empty() {
            report.one_sided += 1;
            continue;
        }
        if l.ar_ids.len() > 2 || l.en_ids.len() > 2 {
            report.over_two += 1;
            continue;
        }
        if l.confidence < opts.min_confidence {
            report.below_min_confidence += 1;
            continue;
        }
        let Ok(mut unit) = NewUnit::with_tags(
            aligned.source_lang.clone(),
            aligned.target_lang.clone(),
            aligned.ar_text(l),
            aligned.en_text(l),
            Origin::Align,
        ) else {
            report.empty += 1;
            continue;
        };
        unit.document = opts.document.clone();
        unit.position = Some(l.ar_ids[0] as i64);
        unit.props
            .push((PROP_CONFIDENCE.into(), format!("{:.3}", l.confidence)));
        match batch.add(&unit)? {
            AddOutcome::Added(_) => report.stored += 1,
            _ => report.duplicates += 1,
        }
    }
    batch.commit()?;
    Ok(report)
}

/// How to align two documents and store the pairs ([`align_and_store`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AlignAndStoreOptions {
    /// The languages, the sentence split and the aligner's options.
    pub alignment: DocumentAlignOptions,
    /// Align with a lexicon: the built-in one and what the TM's own pairs teach
    /// ([`aligner_lexicon`]); without it the lexicon is empty.
    pub learn_lexicon: bool,
    /// Which links to store, under which document name.
    pub store: StoreOptions,
}

impl AlignAndStoreOptions {
    /// `mizan align --import`'s defaults: segmented and corrected, the built-in lexicon and one
    /// learned from the TM,
    /// links of confidence 0.5 and up stored.
    pub fn new(source_lang: LangTag, target_lang: LangTag) -> Self {
        AlignAndStoreOptions {
            alignment: DocumentAlignOptions::new(source_lang, target_lang),
            learn_lexicon: true,
            store: StoreOptions::default(),
        }
    }
}

/// What [`align_and_store`] did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AlignAndStoreReport {
    /// The sentences and links (all of them, stored or not).
    pub aligned: AlignedDocuments,
    /// Entries of the lexicon the alignment used (0 without one).
    pub lexicon_entries: usize,
    /// What was stored.
    pub store: StoreReport,
}

/// Aligns an Arabic document with its English translation and stores the pairs in `tm`:
/// [`aligner_lexicon`] (when asked), [`align_documents`], then [`store_aligned`].
///
/// ```
/// use mizan::tm::{LangTag, Tm};
/// use mizan::workflow::{align_and_store, AlignAndStoreOptions};
/// let mut tm = Tm::open_in_memory()?;
/// let mut opts = AlignAndStoreOptions::new(LangTag::parse("ar")?, LangTag::parse("en")?);
/// opts.store.document = Some("visit.ar.txt".into());
/// let done = align_and_store(&mut tm, "زيارة نادرة\n", "A rare visit\n", &opts)?;
/// assert_eq!((done.aligned.links.len(), done.store.stored), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Tm`](crate::Error::Tm) when the TM cannot be read or written; nothing is stored then.
pub fn align_and_store(
    tm: &mut dyn Store,
    ar_text: &str,
    en_text: &str,
    opts: &AlignAndStoreOptions,
) -> Result<AlignAndStoreReport> {
    let lexicon = if opts.learn_lexicon {
        aligner_lexicon(Some(&*tm), &opts.alignment.source_lang, &opts.alignment.target_lang)?
    } else {
        Lexicon::default()
    };
    let aligned = align_documents(ar_text, en_text, &lexicon, &opts.alignment);
    let store = store_aligned(tm, &aligned, &opts.store)?;
    Ok(AlignAndStoreReport {
        aligned,
        lexicon_entries: lexicon.len(),
        store,
    })
}
