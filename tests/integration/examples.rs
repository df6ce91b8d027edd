//! The programs in `examples/` run and print what they promise. They are built by a plain
//! `cargo test` (as `target/<profile>/examples/NAME`); a test run that did not build them
//! (`cargo test --test integration`) skips these checks with a line on stderr, except on CI,
//! where it fails.
use std::path::PathBuf;
use std::process::Output;

use crate::common::{assert_valid_tmx, units, Env};
use mizan::tm::{Origin, Status};

/// The built example `name`, beside this test binary's directory (`target/<profile>/deps/..`).
fn example(name: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let path = exe
        .parent()?
        .parent()?
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        return Some(path);
    }
    let on_ci = std::env::var("CI").is_ok_and(|v| v != "false" && v != "0");
    assert!(
        !on_ci,
        "examples/{name}.rs was not built: CI runs a plain `cargo test`, which builds it"
    );
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED examples/{name}.rs: not built (a plain `cargo test` or `cargo build --examples` builds it)"
    );
    None
}

/// Runs a built example with `args` in `env`'s directory; it must succeed.
fn run(path: &PathBuf, env: &Env, args: &[&std::ffi::OsStr]) -> Output {
    let out = std::process::Command::new(path)
        .args(args)
        .current_dir(env.dir.path())
        .output()
        .expect("run the example");
    assert!(
        out.status.success(),
        "{} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn import_and_match_finds_the_stored_sentence_with_the_new_number() {
    let Some(bin) = example("import_and_match") else { return };
    let env = Env::new();
    let out = stdout(&run(&bin, &env, &[]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "imported 5 pairs (0 rejected)", "{out}");
    assert!(lines[1].starts_with("query: والزيارة هي الأولى لبوتين"), "{out}");
    // The one close unit, reviewed (imported), one number off: 99, and the number put in.
    assert!(lines[2].starts_with(" 99.0  unit 3 (import, reviewed)  "), "{out}");
    assert!(lines[2].contains("منذ 24 عامًا"), "{out}");
    assert_eq!(
        lines[3],
        "       → The visit is Putin's first to the North Korean capital in 25 years and is likely to reshape decades of relations between the two countries at a time when both face international isolation."
    );
    assert_eq!(lines.len(), 4, "{out}");
    // A sentence the TM knows nothing of.
    let none = stdout(&run(&bin, &env, &["قال المتحدث إن الاجتماع سيعقد غدا.".as_ref()]));
    assert!(none.ends_with("no match of 50 or more\n"), "{none}");
}

#[test]
fn align_and_store_then_export_tmx_round_the_seed_article_through_a_tm_file() {
    let (Some(align), Some(export)) = (example("align_and_store"), example("export_tmx")) else {
        return;
    };
    let env = Env::new();
    let tm = env.tm();
    let out = stdout(&run(&align, &env, &[tm.as_os_str()]));
    assert!(
        out.starts_with(&format!(
            "aligned 24 Arabic and 26 English sentences into 24 links\nstored 24 pairs in {} (0 below confidence 0.50, 0 already there, 0 one-sided)\n",
            tm.display()
        )),
        "{out}"
    );
    // The headline pair, with a confidence the calibration puts above the review line (0.5; not
    // at 0.9: the colon on both sides is a possible sentence end the segmenter did not take).
    let headline = out
        .lines()
        .position(|l| l.ends_with("  بوتين خلال زيارة نادرة لكوريا الشمالية: نحن نحارب الإمبريالية الأمريكية (فيديو)"))
        .expect(&out);
    let lines: Vec<&str> = out.lines().collect();
    let confidence: f64 = lines[headline].split_whitespace().next().unwrap().parse().unwrap();
    assert!((0.5..0.9).contains(&confidence), "{out}");
    assert_eq!(
        lines[headline + 1],
        "       Putin on rare visit to North Korea: We are fighting American imperialism (video)"
    );
    let stored = units(&tm);
    assert_eq!(stored.len(), 24);
    assert!(stored
        .iter()
        .all(|u| u.origin == Origin::Align && u.status == Status::Unreviewed));
    assert!(stored
        .iter()
        .all(|u| u.document.as_deref() == Some("seed-article.ar.txt")));
    // Again: the 24 pairs are there already (the lexicon learned from them changes no link).
    let again = stdout(&run(&align, &env, &[tm.as_os_str()]));
    assert!(
        again.contains("stored 0 pairs in")
            && again.contains("(0 below confidence 0.50, 24 already there, 0 one-sided)"),
        "{again}"
    );
    assert_eq!(units(&tm).len(), 24);

    // That TM as TMX on stdout.
    let out = run(&export, &env, &[tm.as_os_str()]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "exported 24 units\n");
    let tmx = stdout(&out);
    assert!(tmx.contains(r#"srclang="ar""#), "{tmx}");
    assert_eq!(tmx.matches("<tu ").count(), 24);
    assert_eq!(tmx.matches("<prop type=\"x-mizan-origin\">align</prop>").count(), 24);
    assert!(tmx.contains("<seg>A rare visit</seg>"));
    let file = env.write("aligned.tmx", &tmx);
    assert_valid_tmx(&file);

    // Without a TM: the seed article's 23 hand-checked pairs.
    let out = run(&export, &env, &[]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "exported 23 units\n");
    assert_eq!(stdout(&out).matches("<tu ").count(), 23);
}
