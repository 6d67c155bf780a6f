#!/usr/bin/env bash
# Builds the fuzz seed corpora in fuzz/corpus/<target>/ from real inputs in
# the repository (and the MIC publication in ../shared/seeds beside it):
# the bundled cases, the broken case files of the check tests, dates,
# amounts and lead times found in them, the MIC text cut into cases, the
# judged queries and the README's jirei.toml. Existing corpus files are
# kept (libFuzzer adds what it finds there). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - "$@" <<'PY'
import hashlib, pathlib, re, sys, tomllib

repo = pathlib.Path(".").resolve()
out = repo / "fuzz" / "corpus"
counts = {}

def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data:
        return
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    path = d / hashlib.sha1(data).hexdigest()
    if not path.exists():
        path.write_bytes(data)
        counts[target] = counts.get(target, 0) + 1

# front_matter: whole case files, valid and broken (binary, Shift_JIS, UTF-16 …).
cases = sorted((repo / "cases").glob("*.md"))
for p in cases + sorted((repo / "tests/fixtures/check/broken/cases").iterdir()):
    add("front_matter", p.read_bytes())

case_text = "\n".join(p.read_text() for p in cases)
mic_path = repo.parent / "shared/seeds/003_b7b77d4349d817ea.txt"
mic = mic_path.read_text() if mic_path.exists() else ""
if not mic:
    print(f"warning: {mic_path} not found; no MIC seeds", file=sys.stderr)

# era_date: schedule dates of the cases and era dates printed in the MIC text.
for m in re.finditer(r"^\s*- date: (.+)$", case_text, re.M):
    add("era_date", m.group(1).strip().strip('"'))
era = r"(?:令和|平成|昭和|[RHS])[0-9０-９元]{1,2}[.．年][0-9０-９]{0,2}[月日年度]*(?:[~～〜\-][^\s|、。]{0,12})?"
for m in re.finditer(era, mic):
    add("era_date", m.group(0))
for s in ["2023-04", "2023年4月", "令和5年度", "R5.11.17～R5.11.24", "R3.9～", "H27～", "R元.5"]:
    add("era_date", s)

# amount: cost amounts and lead times of the cases, money printed in the MIC text.
for m in re.finditer(r"^\s*(?:amount|initial|running|lead_time): (.+)$", case_text, re.M):
    add("amount", m.group(1).strip().strip('"'))
for m in re.finditer(r"約?[0-9０-９][0-9０-９,，.．]*\s*(?:千円|万円|億円|円)", mic):
    add("amount", m.group(0))
for s in ["非公表", "(非公表)", "－", "算定不可", "1年1か月", "半年", "12,000", "約1.2万人", "31,415千円 ※税抜"]:
    add("amount", s)

# mic_blocks: each case of the publication as a chapter of one case (its
# title lines renumbered 1, as the importer expects a chapter to start),
# and each chapter's table of contents.
title = re.compile(r"^(\d{1,2})(\s*.+?\s*【[^】]+】\s*)$")
lines = mic.split("\n")
chunks, current, key = [], [], None
for line in lines:
    m = title.match(line.strip())
    if m and (m.group(1), m.group(2)) != key:
        if current:
            chunks.append(current)
        current, key = [], (m.group(1), m.group(2))
    current.append("1" + m.group(2) if m else line)
if current:
    chunks.append(current)
for chunk in chunks:
    add("mic_blocks", "\n".join(chunk) + "\n")
for m in re.finditer(r"目次\n(.*?)参考事例集の構成", mic, re.S):
    add("mic_blocks", m.group(1)[:20000])

# query: the judged queries, their filters' ranges, and a few odd ones.
judged = tomllib.loads((repo / "tests/relevance/queries.toml").read_text())
for q in judged["query"]:
    add("query", q["q"])
for s in ["1万..5万", "..5000", "「書かない 窓口」 RPA", "\"AI\" 会議録"]:
    add("query", s)

# config: the README's jirei.toml, with and without the finer bands.
readme = (repo / "README.md").read_text()
m = re.search(r"## 設定ファイル `jirei.toml`\n\n```toml\n(.*?)```", readme, re.S)
if m:
    add("config", m.group(1))
    add("config", re.sub(r"^# (\[\[bands\]\]|id|label|min|max)", r"\1", m.group(1), flags=re.M))
add("config", (repo / "tests/fixtures/check/broken/jirei.toml").read_bytes())

for target in sorted(counts):
    print(f"{target}: {counts[target]} new seeds in {(out / target).relative_to(repo)}")
PY
