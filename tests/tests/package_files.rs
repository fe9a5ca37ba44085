//! The files a published package needs from outside its directory are in it, identical to
//! the workspace's: the DMS model (the top-level `models/` is the one source of truth) and
//! each crate's `LICENSE`. `scripts/package_files.py` (re)makes them.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir`, relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The differences between the package's copy and the source, one line each.
fn differences(copy: &str, source: &str) -> Vec<String> {
    let (copy, source) = (root().join(copy), root().join(source));
    let mut out = Vec::new();
    let pairs: Vec<(PathBuf, PathBuf)> = if source.is_dir() {
        let (want, have) = (files(&source), files(&copy));
        for missing in want.iter().filter(|f| !have.contains(f)) {
            out.push(format!("{} is missing", copy.join(missing).display()));
        }
        for extra in have.iter().filter(|f| !want.contains(f)) {
            out.push(format!(
                "{} is not in {}",
                copy.join(extra).display(),
                source.display()
            ));
        }
        want.iter()
            .filter(|f| have.contains(f))
            .map(|f| (copy.join(f), source.join(f)))
            .collect()
    } else {
        vec![(copy, source)]
    };
    for (c, s) in pairs {
        match (std::fs::read(&c), std::fs::read(&s)) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(_), Ok(_)) => out.push(format!("{} differs from {}", c.display(), s.display())),
            (Err(e), _) => out.push(format!("{}: {e}", c.display())),
            (_, Err(e)) => out.push(format!("{}: {e}", s.display())),
        }
    }
    out
}

#[test]
fn packages_hold_the_workspace_files() {
    let mut problems = Vec::new();
    for (copy, source) in [
        ("generated/models/dms", "models/dms"),
        ("generated/models/LICENSE.txt", "models/LICENSE.txt"),
        ("generated/models/NOTICE", "models/NOTICE"),
        ("generated/models/README.md", "models/README.md"),
        ("codegen/LICENSE", "LICENSE"),
        ("runtime/LICENSE", "LICENSE"),
        ("generated/LICENSE", "LICENSE"),
    ] {
        problems.extend(differences(copy, source));
    }
    assert!(
        problems.is_empty(),
        "the packages' copies of workspace files are stale:\n  {}\nrefresh them with \
         `python3 scripts/package_files.py`",
        problems.join("\n  ")
    );
}
