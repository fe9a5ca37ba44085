#!/usr/bin/env python3
"""Makes the files each published package needs from outside its directory present in it.

    python3 scripts/package_files.py

- `generated/models/`: the DMS model files and their license, as links to the workspace's
  `models/` (the one source of truth); `cargo package` stores the files they point to.
- `LICENSE` in each published crate: a link to the workspace's `LICENSE`.

Where the file system has no symbolic links, it copies instead. The test
`tests/tests/package_files.rs` fails when a package's copy differs and names this command.
"""

import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (link inside a package, what it points to), both relative to the workspace root.
LINKS = [
    ("generated/models/dms", "models/dms"),
    ("generated/models/LICENSE.txt", "models/LICENSE.txt"),
    ("generated/models/NOTICE", "models/NOTICE"),
    ("generated/models/README.md", "models/README.md"),
    ("codegen/LICENSE", "LICENSE"),
    ("runtime/LICENSE", "LICENSE"),
    ("generated/LICENSE", "LICENSE"),
]


def place(link, target):
    path = os.path.join(ROOT, link)
    source = os.path.join(ROOT, target)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
    try:
        os.symlink(os.path.relpath(source, os.path.dirname(path)), path)
    except OSError:
        if os.path.isdir(source):
            shutil.copytree(source, path)
        else:
            shutil.copyfile(source, path)
    print(f"{link} -> {target}")


def main():
    for link, target in LINKS:
        place(link, target)


if __name__ == "__main__":
    main()
