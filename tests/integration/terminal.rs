//! What a person sees on a real terminal (a pseudo-terminal): colour codes work, they are not
//! printed as text.
use crate::common::{has_tool, repo, skip_without, Env};

#[test]
fn match_highlights_differences_in_colour_on_a_terminal() {
    if !has_tool("python3") {
        return skip_without("python3", "the pseudo-terminal colour test");
    }
    let env = Env::new();
    env.import_seed_pairs();
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/integration/pty_drive.py"))
        .arg("[]")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("mizan"))
        .arg("--tm")
        .arg(env.tm())
        .args(["match", "--min", "50", "الزيارة تثير قلق روسيا"])
        .env_remove("NO_COLOR")
        .output()
        .expect("python3 runs");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(screen.contains("\x1b[1;33mأمريكا\x1b[0m"), "no colour: {screen:?}");
    assert!(!screen.contains("\\u{1B}"), "escape codes printed as text: {screen:?}");
    // With NO_COLOR the difference is still marked, in brackets.
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/integration/pty_drive.py"))
        .arg("[]")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("mizan"))
        .arg("--tm")
        .arg(env.tm())
        .args(["match", "--min", "50", "الزيارة تثير قلق روسيا"])
        .env("NO_COLOR", "1")
        .output()
        .expect("python3 runs");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("[أمريكا]") && !screen.contains('\x1b'), "{screen:?}");
}

#[test]
fn completions_and_man_pages_come_from_the_parser() {
    let env = Env::new();
    let out = env.mizan().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    for sub in [
        "concordance",
        "pretranslate",
        "completions",
        "--min-confidence",
        "--on-duplicate",
    ] {
        assert!(script.contains(sub), "bash completion lacks {sub}");
    }
    // The script is valid bash.
    let mut check = std::process::Command::new("bash")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("bash");
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), script.as_bytes()).unwrap();
    assert!(check.wait().unwrap().success(), "bash -n rejects the completion script");

    let page = env.mizan().arg("man").output().unwrap();
    assert!(page.status.success());
    let page = String::from_utf8(page.stdout).unwrap();
    assert!(page.contains(".TH mizan 1"), "{page}");
    assert!(page.contains("concordance") && page.contains("\\-\\-tm"), "{page}");
    let sub = env.mizan().args(["man", "match"]).output().unwrap();
    let sub = String::from_utf8(sub.stdout).unwrap();
    assert!(
        sub.contains(".TH mizan-match 1") && sub.contains("\\-\\-exhaustive"),
        "{sub}"
    );
    env.mizan().args(["man", "nope"]).assert().code(2);
    env.mizan().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn export_shows_progress_on_a_terminal_only() {
    if !has_tool("python3") {
        return skip_without("python3", "the pseudo-terminal progress test");
    }
    let env = Env::new();
    env.import_seed_pairs();
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/integration/pty_drive.py"))
        .arg("[]")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("mizan"))
        .arg("--tm")
        .arg(env.tm())
        .args(["export", "--out"])
        .arg(env.path("out.tmx"))
        .output()
        .expect("python3 runs");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{screen}");
    assert!(
        screen.contains("exporting") && screen.contains("written"),
        "no progress: {screen:?}"
    );
    assert!(screen.contains("exported 23 units"), "{screen:?}");
    // On a pipe: the summary only.
    let piped = env
        .mizan()
        .args(["export", "--out"])
        .arg(env.path("again.tmx"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&piped.stderr),
        format!("exported 23 units to {}\n", env.path("again.tmx").display())
    );
}

#[test]
fn one_is_singular() {
    let env = Env::new();
    env.import_stdin("زيارة نادرة\tA rare visit\n");
    env.mizan()
        .arg("stats")
        .assert()
        .success()
        .stdout(predicates::str::contains(": 1 unit\n"));
    let out = env
        .mizan()
        .args(["export", "--out"])
        .arg(env.path("one.tmx"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("exported 1 unit to "));
}
