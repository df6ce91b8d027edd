//! Aligns an Arabic document with its English translation and prints the links as TSV
//! (the `mizan align --format tsv` contract), for the alignment scorer.
//!
//! ```text
//! align_tsv AR_FILE EN_FILE [--presegmented] [--gale-church] [--lexicon PAIRS.tsv]
//! ```
//! Without `--presegmented` each non-empty line is a paragraph, split into sentences by
//! `mizan::segment::segment`; ids then number the sentences of the whole document. With
//! `--presegmented` line i is sentence i (every line counts, even an empty one) and, as the
//! input carries no paragraph marks, all sentences are in paragraph 0.
//! `--lexicon` reads `arabic<TAB>english` pairs (a TM dump) to learn a lexicon;
//! `--gale-church` disables anchors, paragraphs and lexicon (the baseline).
//! Output: `ar_ids<TAB>en_ids<TAB>ar_text<TAB>en_text<TAB>confidence` per link.

use std::io::Write;

use anyhow::{bail, Context};
use mizan::align::{align, AlignOptions, Lexicon, Sentence};

fn read(path: &str) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

fn sentences(text: &str, lang: &str, presegmented: bool) -> Vec<Sentence> {
    mizan::align::document_sentences(text, &mizan::segment::Segmenter::for_language(lang), presegmented)
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files = Vec::new();
    let mut presegmented = false;
    let mut opts = AlignOptions::default();
    let mut lexicon_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--presegmented" => presegmented = true,
            "--gale-church" => opts = AlignOptions::gale_church(),
            "--lexicon" => lexicon_path = Some(it.next().ok_or(Usage)?.clone()),
            _ if a.starts_with("--") => bail!(Usage),
            _ => files.push(a.clone()),
        }
    }
    let [ar_path, en_path] = files.as_slice() else {
        bail!(Usage);
    };
    let lexicon = match lexicon_path {
        Some(p) => {
            let text = read(&p)?;
            Lexicon::learn(text.lines().filter_map(|l| l.split_once('\t')))
        }
        None => Lexicon::default(),
    };
    let ar = sentences(&read(ar_path)?, "ar", presegmented);
    let en = sentences(&read(en_path)?, "en", presegmented);
    let links = align(&ar, &en, &lexicon, &opts);
    let join = |ids: &[usize], s: &[Sentence]| ids.iter().map(|&i| clean(&s[i].text)).collect::<Vec<_>>().join(" ");
    let ids = |v: &[usize]| v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for l in &links {
        let r = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{:.3}",
            ids(&l.ar_ids),
            ids(&l.en_ids),
            join(&l.ar_ids, &ar),
            join(&l.en_ids, &en),
            l.confidence
        );
        if let Err(e) = r {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(Into::into),
    }
}

/// A usage error (exit code 2).
#[derive(Debug)]
struct Usage;

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("usage: align_tsv AR_FILE EN_FILE [--presegmented] [--gale-church] [--lexicon PAIRS.tsv]")
    }
}

impl std::error::Error for Usage {}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("align_tsv: {e:#}");
            let usage = e.downcast_ref::<Usage>().is_some();
            std::process::ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}
