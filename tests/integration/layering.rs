//! The library's modules form layers with no cycle: each uses only modules listed before it in
//! the crate guide (`src/lib.rs`), and nothing in the library uses the binary's crates. Read from
//! the source, so that a new upward import fails here instead of growing a cycle unnoticed.
use crate::common::repo;

/// Bottom to top, as the crate guide lists them.
const ORDER: [&str; 15] = [
    "text", "segment", "unit", "fuzzy", "align", "formats", "terms", "check", "tm", "pg", "outfile", "error", "store",
    "report", "workflow",
];

/// The library source of a module (its file, or every file of its folder), without tests and
/// comments.
fn source_of(module: &str) -> String {
    let src = repo().join("src");
    let mut files = Vec::new();
    let dir = src.join(module);
    if dir.is_dir() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".rs") && !name.contains("tests") {
                files.push(p);
            }
        }
    } else {
        files.push(src.join(format!("{module}.rs")));
    }
    let mut all = String::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            all.push_str(line);
            all.push('\n');
        }
    }
    all
}

#[test]
fn modules_only_use_the_layers_below_them() {
    let lib = std::fs::read_to_string(repo().join("src/lib.rs")).unwrap();
    for m in ORDER {
        assert!(lib.contains(&format!("pub mod {m};")), "src/lib.rs has no module {m}");
    }
    let mut upward = Vec::new();
    for (i, m) in ORDER.iter().enumerate() {
        let src = source_of(m);
        for (j, other) in ORDER.iter().enumerate() {
            let uses = src.contains(&format!("crate::{other}::"))
                || src.contains(&format!("crate::{other};"))
                || (*other == "error" && (src.contains("crate::Result") || src.contains("crate::Error")));
            if j > i && uses {
                upward.push(format!("{m} uses {other}"));
            }
        }
        for cli_crate in ["clap::", "anyhow::", "indicatif::", "rustyline::", "mimalloc::"] {
            assert!(!src.contains(cli_crate), "the library module {m} uses {cli_crate}");
        }
        // The PostgreSQL client is the `pg` module's (and the feature-gated glue in `store` and
        // `error`): everything else builds without the `postgres` feature.
        if !["pg", "store", "error"].contains(m) {
            assert!(
                !src.contains("postgres::"),
                "the library module {m} uses the postgres crate"
            );
        }
    }
    assert!(upward.is_empty(), "imports against the layering: {upward:?}");
}
