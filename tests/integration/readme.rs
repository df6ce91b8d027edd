//! The README's tour is run as written: every ```console block's `$ ` commands run in order in one
//! fresh directory (the seed files and `examples/new.ar.txt` copied in, `mizan` on the `PATH`), and
//! what each prints (stdout and stderr, as a terminal would interleave them) must match the lines
//! shown under it. So the tour can never drift from the real output.
//!
//! In an expected line `[..]` stands for any text (dates, times); a line `...` for any number of
//! lines (a long output shown in part).
use std::path::Path;

use crate::common::repo;

/// One command of the tour and the output shown under it.
struct Step {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn steps(readme: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut in_block = false;
    for (n, line) in readme.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block && line.trim() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                line: n + 1,
                command: command.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.expected.push(line.to_string());
        }
    }
    steps
}

/// Whether `line` matches `pattern`, where `[..]` in the pattern matches any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let Some(mut rest) = line.strip_prefix(parts[0]) else {
        return false;
    };
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `actual` matches `expected` line by line, `...` matching any run of lines.
fn output_matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => (0..=actual.len()).any(|skip| output_matches(rest, &actual[skip..])),
        Some((first, rest)) => {
            !actual.is_empty() && line_matches(first, actual[0]) && output_matches(rest, &actual[1..])
        }
    }
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("copying {}: {e}", from.display()));
}

#[test]
fn the_readme_tour_prints_what_it_shows() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let steps = steps(&readme);
    assert!(steps.len() >= 10, "the tour has its commands ({} found)", steps.len());
    let dir = tempfile::tempdir().unwrap();
    for name in ["seed-article.ar.txt", "seed-article.en.txt", "seed-article.pairs.tsv"] {
        copy(&repo().join("seeds").join(name), &dir.path().join(name));
    }
    copy(&repo().join("examples/new.ar.txt"), &dir.path().join("new.ar.txt"));
    copy(
        &repo().join("tests/data/tmx/tico19.en-ar.tmx"),
        &dir.path().join("tico19.en-ar.tmx"),
    );
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for step in &steps {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{{ {}\n}} 2>&1", step.command))
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("USER", "lina")
            .env_remove("MIZAN_TM")
            .env_remove("MIZAN_WAIT")
            .output()
            .expect("sh");
        let text = String::from_utf8_lossy(&out.stdout);
        let actual: Vec<&str> = text.lines().collect();
        if !output_matches(&step.expected, &actual) {
            failures.push(format!(
                "README.md:{}: $ {}\n--- shown\n{}\n--- printed\n{}",
                step.line,
                step.command,
                step.expected.join("\n"),
                text.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_matcher_of_the_tour_check_works() {
    assert!(line_matches(
        "created from [..], last changed [..]",
        "created from 2026-01-01, last changed 2026-01-02"
    ));
    assert!(!line_matches("added [..] units", "added 3 unit"));
    assert!(line_matches("exact", "exact"));
    assert!(!line_matches("exact", "exact "));
    let exp: Vec<String> = ["a", "...", "z"].iter().map(|s| s.to_string()).collect();
    assert!(output_matches(&exp, &["a", "b", "c", "z"]));
    assert!(output_matches(&exp, &["a", "z"]));
    assert!(!output_matches(&exp, &["a", "b"]));
    assert!(!output_matches(&exp, &["a", "z", "extra"]));
}
