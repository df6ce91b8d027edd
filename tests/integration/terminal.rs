//! What a person sees on a real terminal (a pseudo-terminal): colour codes work, they are not
//! printed as text.
use crate::common::{has_tool, repo, skip_without, Env};

/// Runs `mizan --tm <env's TM> ARGS` on a pseudo-terminal, colour allowed unless `no_color`;
/// returns whether it succeeded and everything the terminal showed.
fn on_terminal(env: &Env, args: &[&std::ffi::OsStr], no_color: bool) -> (bool, String) {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(repo().join("tests/integration/pty_drive.py"))
        .arg("[]")
        .arg("--")
        .arg(assert_cmd::cargo::cargo_bin("mizan"))
        .arg("--tm")
        .arg(env.tm())
        .args(args);
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let out = cmd.output().expect("python3 runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).to_string())
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(std::ffi::OsString::from).collect()
}

#[test]
fn match_highlights_differences_in_colour_on_a_terminal() {
    if !has_tool("python3") {
        return skip_without("python3", "the pseudo-terminal colour test");
    }
    let env = Env::new();
    env.import_seed_pairs();
    let query = os(&["match", "--min", "50", "الزيارة تثير قلق روسيا"]);
    let query: Vec<&std::ffi::OsStr> = query.iter().map(|a| a.as_os_str()).collect();
    let (ok, screen) = on_terminal(&env, &query, false);
    assert!(ok, "{screen}");
    assert!(screen.contains("\x1b[1;33mأمريكا\x1b[0m"), "no colour: {screen:?}");
    assert!(!screen.contains("\\u{1B}"), "escape codes printed as text: {screen:?}");
    // With NO_COLOR the difference is still marked, in brackets.
    let (_, screen) = on_terminal(&env, &query, true);
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
    let dest = env.path("out.tmx");
    let (ok, screen) = on_terminal(&env, &["export".as_ref(), "--out".as_ref(), dest.as_os_str()], false);
    assert!(ok, "{screen}");
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
