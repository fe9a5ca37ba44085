#!/usr/bin/env python3
"""Replace the botocore model files under models/ with those of another botocore release.

    python3 models/update.py 1.44.8            # DMS (the default service)
    python3 models/update.py 1.44.8 dms 2016-01-01

Downloads the botocore wheel from PyPI with `pip download --no-deps`, copies
botocore/data/<service>/<version>/*.json (gunzipping the .gz ones) verbatim into
models/<service>/<version>/, copies botocore's LICENSE.txt and NOTICE, and rewrites
models/README.md with the version and every file's sha256. It also refreshes
runtime/data/partitions.json (botocore/data/partitions.json, used by endpoint resolution). Then regenerate the goldens
(UPDATE_GOLDEN=1 cargo test -p awsgen-codegen --test golden) and read the diff.
"""

import gzip
import hashlib
import pathlib
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    if len(sys.argv) not in (2, 4):
        print(__doc__, file=sys.stderr)
        return 2
    version = sys.argv[1]
    service, api = (sys.argv[2], sys.argv[3]) if len(sys.argv) == 4 else ("dms", "2016-01-01")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
             "-d", tmp, f"botocore=={version}"],
            check=True,
        )
        wheels = list(pathlib.Path(tmp).glob("botocore-*.whl"))
        if len(wheels) != 1:
            print(f"expected one botocore wheel, found {wheels}", file=sys.stderr)
            return 1
        wheel = wheels[0]
        wheel_sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        prefix = f"botocore/data/{service}/{api}/"
        out = HERE / service / api
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        with zipfile.ZipFile(wheel) as z:
            names = [n for n in z.namelist() if n.startswith(prefix) and "/" not in n[len(prefix):]]
            if not names:
                print(f"{wheel.name} has no {prefix}", file=sys.stderr)
                return 1
            for name in sorted(names):
                data = z.read(name)
                base = name[len(prefix):]
                if base.endswith(".gz"):
                    data = gzip.decompress(data)
                    base = base[:-3]
                (out / base).write_bytes(data)
            for name in z.namelist():
                if name.endswith(".dist-info/LICENSE.txt") or name.endswith(".dist-info/NOTICE"):
                    (HERE / pathlib.Path(name).name).write_bytes(z.read(name))
            # The partitions table behind the endpoint rules' `aws.partition`, embedded
            # in the runtime.
            partitions = HERE.parent / "runtime" / "data" / "partitions.json"
            partitions.write_bytes(z.read("botocore/data/partitions.json"))
    write_readme(version, wheel.name, wheel_sha, service, api)
    print(f"models/{service}/{api} now holds botocore {version}; regenerate the goldens and review the diff")
    return 0


def write_readme(version: str, wheel: str, wheel_sha: str, service: str, api: str) -> None:
    rows = []
    for f in sorted(HERE.rglob("*.json")):
        rel = f.relative_to(HERE)
        rows.append(f"| `{rel}` | `{hashlib.sha256(f.read_bytes()).hexdigest()}` |")
    table = "\n".join(rows)
    (HERE / "README.md").write_text(f"""# Models

The botocore service models the generator reads, copied verbatim (gzipped files
uncompressed, nothing else changed) from **botocore {version}** on PyPI
(`{wheel}`, sha256 `{wheel_sha}`), from `botocore/data/<service>/<api-version>/`.

| file | sha256 |
|---|---|
{table}

## License

botocore, and so these files, are licensed under the Apache License 2.0: see
[`LICENSE.txt`](LICENSE.txt) and [`NOTICE`](NOTICE), copied from the same wheel.

## Updating

```sh
python3 models/update.py <botocore-version> [{service} {api}]
UPDATE_GOLDEN=1 cargo test -p awsgen-codegen --test golden
git diff
```

The first command downloads the wheel with `pip download --no-deps`, replaces the files
and rewrites this README; the second regenerates the golden files; then read the diff of
the model and of the generated code together.
""")


if __name__ == "__main__":
    sys.exit(main())
