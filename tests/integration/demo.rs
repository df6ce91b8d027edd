//! `mizan demo` on a fresh directory: the whole path, and a TMX file valid against the DTD.
use predicates::prelude::*;

use crate::common::{assert_valid_tmx, Env};

#[test]
fn demo_runs_the_whole_path_and_leaves_valid_tmx() {
    let env = Env::new();
    let mut cmd = assert_cmd::Command::cargo_bin("mizan").unwrap();
    cmd.current_dir(env.dir.path()).env_remove("MIZAN_TM").arg("demo");
    cmd.assert()
        .success()
        .stdout(predicate::str::contains("1. Segment"))
        .stdout(predicate::str::contains("23 segments"))
        .stdout(predicate::str::contains("the TM now holds 23 units"))
        .stdout(predicate::str::contains("wrote 23 units"));
    let tmx = env.path("mizan-demo/seed-article.tmx");
    assert_valid_tmx(&tmx);
    // Running it again starts from a fresh TM.
    let mut again = assert_cmd::Command::cargo_bin("mizan").unwrap();
    again
        .current_dir(env.dir.path())
        .env_remove("MIZAN_TM")
        .arg("demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("added 23"));
}
