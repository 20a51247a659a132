#!/usr/bin/env python3
"""newsidx against its peers on one generated corpus, in one run (see bench/README.md).

Usage: bench/run.sh [--articles N] [--seed S] [--rounds R] [--build-runs B] [--no-peers]

Phases, tools interleaved within each:
  build        newsidx, tantivy-cli, SQLite FTS5 from scratch (+ cat of the corpus as the floor)
  query        one query per process, every query of bench/queries.txt, R rounds
  batch        newsidx search --queries (and the same SELECTs in one sqlite3 process)
  incremental  one new article via the folder walk, via a named path, unchanged rerun
Prints one markdown table (and a per-query table) and writes them to bench/.work/.
"""

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
TOOLS = WORK / "tools"


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


# ---------------------------------------------------------------- measuring


def run_timed(cmd, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=None, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS in MB, exit code). The RSS from
    wait4 includes the forked Python's pages: only an upper bound."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, stdin=stdin, env=env, cwd=cwd)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, p.returncode


def run_gnu_time(cmd, env=None, cwd=None):
    """Runs cmd under /usr/bin/time -v; returns (wall s, peak RSS MB, exit code)."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = int(m.group(1)) / 1024.0 if m else float("nan")
    if p.returncode != 0:
        log(f"FAILED ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    return wall, rss, p.returncode


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def p95(xs):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    # nearest-rank
    k = max(0, min(len(xs) - 1, int(round(0.95 * len(xs) + 0.5)) - 1))
    return xs[k]


def dir_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# ---------------------------------------------------------------- set-up


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def build_newsidx():
    if os.environ.get("NEWSIDX_BIN"):
        return Path(os.environ["NEWSIDX_BIN"])
    log("cargo build --release (newsidx, gen_corpus)")
    sh(["cargo", "build", "--release", "--bin", "newsidx", "--example", "gen_corpus"], cwd=ROOT)
    return target_dir() / "release" / "newsidx"


def corpus(n, seed, families=0.0):
    out = WORK / (f"corpus-{n}-s{seed}" + (f"-f{families}" if families else ""))
    stamp = out / ".complete"
    if not stamp.exists():
        log(f"generating {n} articles (seed {seed}, near-duplicate families {families}) into {out}")
        sh(["cargo", "run", "--release", "--example", "gen_corpus", "--",
            "--articles", str(n), "--seed", str(seed), "--out", str(out),
            "--families", str(families)], cwd=ROOT)
        stamp.write_text("ok\n")
    return out


def ensure_tools(peers):
    missing = [t for t in ("/usr/bin/time",) if not Path(t).exists()]
    if missing:
        sys.exit("bench: /usr/bin/time is missing: apt-get install -y time")
    if not peers:
        return {}
    tools = {"sqlite3": shutil.which("sqlite3"), "rg": shutil.which("rg")}
    tantivy = TOOLS / "bin" / "tantivy"
    if not tantivy.exists():
        log("cargo install tantivy-cli --root bench/.work/tools (once; without --locked)")
        sh(["cargo", "install", "tantivy-cli", "--root", str(TOOLS)])
    tools["tantivy"] = str(tantivy)
    for name, path in tools.items():
        if not path:
            sys.exit(f"bench: {name} not found (apt-get install -y sqlite3 ripgrep)")
    return tools


def tool_versions(newsidx, tools):
    def first_line(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:  # noqa: BLE001
            return "?"

    v = {"newsidx": first_line([str(newsidx), "--version"])}
    if tools:
        v["sqlite3"] = first_line([tools["sqlite3"], "--version"])
        v["tantivy-cli"] = first_line([tools["tantivy"], "--version"])
        v["ripgrep"] = first_line([tools["rg"], "--version"])
    v["rustc"] = first_line(["rustc", "--version"])
    return v


# ---------------------------------------------------------------- queries


class Query:
    def __init__(self, cls, text, flags):
        self.cls = cls
        self.text = text
        self.flags = shlex.split(flags) if flags else []

    def label(self):
        return (self.text + (" " + " ".join(shlex.quote(f) for f in self.flags) if self.flags else ""))

    def parts(self):
        """[(is_phrase, words)] of the text part."""
        out = []
        for m in re.finditer(r'"([^"]*)"|(\S+)', self.text):
            if m.group(1) is not None:
                out.append((True, m.group(1)))
            else:
                out.append((False, m.group(2)))
        return out

    def fts5(self):
        return " ".join('"' + p.replace('"', '""') + '"' for _, p in self.parts())

    def tantivy(self):
        return " ".join("+" + ('"' + p + '"' if ph else re.sub(r"[^\w]", " ", p).strip().split()[0])
                        for ph, p in self.parts())

    def batch_json(self, qid):
        d = {"id": qid, "query": self.text}
        f = self.flags
        i = 0
        while i < len(f):
            key = f[i].lstrip("-")
            if key in ("state", "sector", "prefecture"):
                d.setdefault(key, []).append(f[i + 1])
            else:
                d[key] = f[i + 1]
            i += 2
        return json.dumps(d)


def load_queries():
    out = []
    for line in (BENCH / "queries.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        out.append(Query(cols[0], cols[1], cols[2] if len(cols) > 2 else ""))
    return out


def fts5_sql(q):
    m = q.fts5().replace("'", "''")
    return ("SELECT title, snippet(docs, 1, '[', ']', '…', 24) FROM docs "
            f"WHERE docs MATCH '{m}' ORDER BY bm25(docs) LIMIT 10;")


def rg_cmd(q, articles, rg):
    parts = q.parts()
    first = ["-l", "-i", "-F", "--no-messages"]
    word = lambda ph: [] if ph else ["-w"]  # noqa: E731
    ph, p = parts[0]
    cmd = f"{shlex.quote(rg)} -0 {' '.join(first + word(ph))} -- {shlex.quote(p)} {shlex.quote(str(articles))}"
    for ph, p in parts[1:]:
        cmd += f" | xargs -0 -r {shlex.quote(rg)} -0 {' '.join(first + word(ph))} -- {shlex.quote(p)}"
    cmd += " | head -c 1000000 | tr '\\0' '\\n' | head -10"
    return ["bash", "-o", "pipefail", "-c", cmd]


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3, help="repeats of every query per tool")
    ap.add_argument("--build-runs", type=int, default=None, help="builds per tool (default 3, 1 at >= 50k)")
    ap.add_argument("--batch-repeat", type=int, default=10, help="copies of the query set in the batch")
    ap.add_argument("--no-peers", action="store_true", help="newsidx only")
    ap.add_argument("--families", type=float, default=0.0,
                    help="share of articles in near-duplicate families (reprints, wire copies, templated stories)")
    args = ap.parse_args()
    build_runs = args.build_runs or (1 if args.articles >= 50000 else 3)
    peers = not args.no_peers

    WORK.mkdir(parents=True, exist_ok=True)
    newsidx = build_newsidx()
    tools = ensure_tools(peers)
    base = corpus(args.articles, args.seed, args.families)
    articles = base / "articles"
    ndjson = base / "articles.ndjson"
    new_dir = articles / "zz-bench-new"
    if new_dir.exists():
        shutil.rmtree(new_dir)
    files = sorted(str(p) for p in articles.rglob("*.txt"))
    corpus_bytes = sum(os.path.getsize(f) for f in files)
    mb = corpus_bytes / 1e6
    queries = load_queries()
    run_dir = WORK / (f"run-{args.articles}" + (f"-f{args.families}" if args.families else ""))
    run_dir.mkdir(exist_ok=True)
    idx_newsidx = run_dir / "newsidx-index"
    idx_tantivy = run_dir / "tantivy-index"
    db_fts5 = run_dir / "fts5.db"
    env = dict(os.environ, NEWSIDX_INDEX=str(idx_newsidx), NEWSIDX_ARTICLES=str(articles), NO_COLOR="1")
    loads = [("start", loadavg())]
    log(f"corpus {len(files)} files, {mb:.1f} MB; {len(queries)} queries; load {loadavg()}")
    R = {}  # results

    # ------------------------------------------------ build
    def build_newsidx_index():
        shutil.rmtree(idx_newsidx, ignore_errors=True)
        return run_gnu_time([str(newsidx), "--index", str(idx_newsidx), "--articles", str(articles),
                             "index", "--quiet"], env=env)

    def build_tantivy():
        shutil.rmtree(idx_tantivy, ignore_errors=True)
        idx_tantivy.mkdir(parents=True)
        text = lambda name: {  # noqa: E731
            "name": name, "type": "text",
            "options": {"indexing": {"record": "position", "fieldnorms": True, "tokenizer": "default"},
                        "stored": True, "fast": False}}
        meta = {"index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
                "segments": [], "schema": [text("title"), text("body")], "opstamp": 0}
        (idx_tantivy / "meta.json").write_text(json.dumps(meta, indent=2))
        return run_gnu_time([tools["tantivy"], "index", "-i", str(idx_tantivy), "-f", str(ndjson), "-t", "2"])

    def build_fts5():
        if db_fts5.exists():
            db_fts5.unlink()
        script = run_dir / "fts5-build.sql"
        script.write_text(
            "PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n"
            "CREATE TEMP TABLE raw(line TEXT);\n"
            # One line = one row: the column separator is a control character
            # that JSON text cannot contain unescaped.
            ".mode ascii\n.separator \"\x1f\" \"\\n\"\n"
            f".import '{ndjson}' raw\n"
            "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61');\n"
            "INSERT INTO docs(title, body) SELECT json_extract(line,'$.title'), json_extract(line,'$.body') FROM raw;\n"
            "INSERT INTO docs(docs) VALUES('optimize');\n")
        return run_gnu_time(["bash", "-c", f"{shlex.quote(tools['sqlite3'])} {shlex.quote(str(db_fts5))} < {shlex.quote(str(script))}"])

    def cat_all():
        lst = run_dir / "files.lst"
        lst.write_text("\0".join(files))
        return run_gnu_time(["bash", "-c", f"xargs -0 cat < {shlex.quote(str(lst))} > /dev/null"])

    builders = [("newsidx", build_newsidx_index), ("cat", cat_all)]
    if peers:
        builders += [("tantivy-cli", build_tantivy), ("FTS5", build_fts5)]
    cat_all()  # warm the page cache
    builds = {name: [] for name, _ in builders}
    for r in range(build_runs):
        order = builders[r % len(builders):] + builders[:r % len(builders)]
        for name, fn in order:
            log(f"build {r + 1}/{build_runs}: {name} (load {loadavg()})")
            wall, rss, code = fn()
            if code != 0:
                sys.exit(f"bench: {name} build failed")
            builds[name].append((wall, rss))
            log(f"  {wall:.2f} s, {rss:.0f} MB")
    loads.append(("after build", loadavg()))
    sizes = {"newsidx": dir_bytes(idx_newsidx)}
    if peers:
        sizes["tantivy-cli"] = dir_bytes(idx_tantivy)
        sizes["FTS5"] = os.path.getsize(db_fts5)

    # ------------------------------------------------ one query per process
    out_file = run_dir / "query.out"

    def q_newsidx(q):
        return [str(newsidx), "--index", str(idx_newsidx), "--articles", str(articles),
                "search", "--json", "--limit", "10", q.text] + q.flags

    qtools = [("newsidx", q_newsidx)]
    if peers:
        qtools += [
            ("FTS5", lambda q: [tools["sqlite3"], "-readonly", str(db_fts5), fts5_sql(q)]),
            ("tantivy-cli", lambda q: [tools["tantivy"], "search", "-i", str(idx_tantivy), "-q", q.tantivy()]),
            ("ripgrep", lambda q: rg_cmd(q, articles, tools["rg"])),
        ]
    times = {name: [[] for _ in queries] for name, _ in qtools}
    hits = [None] * len(queries)
    log(f"queries: {len(queries)} x {args.rounds} rounds x {len(qtools)} tools (load {loadavg()})")
    for r in range(args.rounds):
        for i, q in enumerate(queries):
            k = (r + i) % len(qtools)
            for name, mk in qtools[k:] + qtools[:k]:
                with open(out_file, "wb") as out:
                    wall, _, code = run_timed(mk(q), stdout=out, env=env)
                if name == "newsidx":
                    if code not in (0, 1):
                        sys.exit(f"bench: newsidx search failed ({code}) for {q.label()}")
                    if hits[i] is None:
                        try:
                            doc = json.loads(out_file.read_text())
                            more = "" if doc.get("totals_exact", True) else "+"
                            hits[i] = (f'{doc.get("total_hits")}{more}', f'{doc.get("total_articles")}{more}', len(doc.get("hits", [])))
                        except ValueError:
                            hits[i] = ("?", "?", "?")
                times[name][i].append(wall)
    # Peak RSS, one more pass under /usr/bin/time: wait4 from Python would
    # count the forked Python's own pages (Linux keeps the high-water mark
    # across exec).
    rss_q = {name: [] for name, _ in qtools}
    for q in queries:
        for name, mk in qtools:
            cmd = mk(q)
            with open(out_file, "wb") as out:
                p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=out, stderr=subprocess.PIPE,
                                   text=True, env=env)
            m = re.search(r"(\d+)\s*$", p.stderr)
            if m:
                rss_q[name].append(int(m.group(1)) / 1024.0)
    loads.append(("after queries", loadavg()))
    per_query = {name: [median(ts) * 1000 for ts in times[name]] for name in times}

    # ------------------------------------------------ batch
    batch_file = run_dir / "batch.jsonl"
    with open(batch_file, "w") as f:
        for rep in range(args.batch_repeat):
            for i, q in enumerate(queries):
                f.write(q.batch_json(f"{rep}-{i}") + "\n")
    nbatch = len(queries) * args.batch_repeat
    batch = {"newsidx": [], "newsidx-1": []}
    sql_file = run_dir / "batch.sql"
    if peers:
        batch["FTS5"] = []
        sql_file.write_text("".join(fts5_sql(q) + "\n" for _ in range(args.batch_repeat) for q in queries))
    for r in range(3):
        wall, _, code = run_timed([str(newsidx), "--index", str(idx_newsidx), "--articles", str(articles),
                                   "search", "--queries", str(batch_file)], env=env)
        if code not in (0, 1):
            sys.exit(f"bench: newsidx batch failed ({code})")
        batch["newsidx"].append(nbatch / wall)
        # The same batch on one thread: the default uses every core.
        wall, _, code = run_timed([str(newsidx), "--index", str(idx_newsidx), "--articles", str(articles),
                                   "search", "--threads", "1", "--queries", str(batch_file)], env=env)
        if code not in (0, 1):
            sys.exit(f"bench: newsidx batch (one thread) failed ({code})")
        batch["newsidx-1"].append(nbatch / wall)
        if peers:
            with open(sql_file) as sql:
                wall, _, code = run_timed([tools["sqlite3"], "-readonly", str(db_fts5)], stdin=sql)
            batch["FTS5"].append(nbatch / wall)

    # ------------------------------------------------ incremental
    new_dir.mkdir()
    sample = Path(files[len(files) // 2]).read_text()
    inc = {"walk": [], "named": [], "unchanged": []}
    peer_inc = {"FTS5": [], "tantivy-cli": []}
    base_cmd = [str(newsidx), "--index", str(idx_newsidx), "--articles", str(articles), "index", "--quiet"]
    for r in range(3):
        a = new_dir / f"walk-{r}.txt"
        a.write_text(f"Bench walk article {r}\n" + sample)
        wall, _, code = run_timed(base_cmd, env=env)
        inc["walk"].append(wall)
        b = new_dir / f"named-{r}.txt"
        b.write_text(f"Bench named article {r}\n" + sample)
        wall, _, code2 = run_timed(base_cmd + [str(b)], env=env)
        inc["named"].append(wall)
        wall, _, code3 = run_timed(base_cmd, env=env)
        inc["unchanged"].append(wall)
        if (code, code2, code3) != (0, 0, 0):
            sys.exit(f"bench: incremental index failed {(code, code2, code3)}")
        if peers:
            one = run_dir / "one.ndjson"
            one.write_text(json.dumps({"title": f"Bench named article {r}", "body": sample}) + "\n")
            wall, _, _ = run_timed([tools["tantivy"], "index", "-i", str(idx_tantivy), "-f", str(one), "-t", "1", "-m", "50000000"])
            peer_inc["tantivy-cli"].append(wall)
            ins = (f"INSERT INTO docs(title, body) SELECT json_extract(readfile('{one}'),'$.title'), "
                   f"json_extract(readfile('{one}'),'$.body');")
            wall, _, _ = run_timed([tools["sqlite3"], str(db_fts5), ins])
            peer_inc["FTS5"].append(wall)
    # Restore the corpus and the index to the generated state.
    shutil.rmtree(new_dir)
    run_timed(base_cmd, env=env)
    loads.append(("end", loadavg()))

    # ------------------------------------------------ report
    def f1(x, d=1):
        return "–" if x is None or x != x else f"{x:.{d}f}"

    def ratio(a, b):
        return "–" if not a or not b or a != a or b != b else f"{a / b:.2f}×"

    bmed = {k: (median([w for w, _ in v]), max(r for _, r in v)) for k, v in builds.items()}
    nq = lambda name, fn: fn(per_query[name]) if name in per_query else None  # noqa: E731
    rows = []
    add = rows.append
    nb, nr = bmed["newsidx"]
    add(("build: wall s", f1(nb, 2), f"≤ tantivy-cli", *[(f1(bmed[p][0], 2), ratio(nb, bmed[p][0])) if p in bmed else ("–", "–") for p in ("tantivy-cli", "FTS5", "cat")]))
    add(("build: MB/s of text", f1(mb / nb), "", *[(f1(mb / bmed[p][0]) if p in bmed else "–", ratio(mb / nb, mb / bmed[p][0]) if p in bmed else "–") for p in ("tantivy-cli", "FTS5", "cat")]))
    add(("build: peak RSS MB", f1(nr, 0), "≤ 600", *[(f1(bmed[p][1], 0) if p in bmed else "–", ratio(nr, bmed[p][1]) if p in bmed else "–") for p in ("tantivy-cli", "FTS5", "cat")]))
    add(("index bytes ÷ corpus bytes", f1(sizes["newsidx"] / corpus_bytes, 2), "≤ 1.0", *[(f1(sizes[p] / corpus_bytes, 2) if p in sizes else "–", ratio(sizes["newsidx"], sizes.get(p))) for p in ("tantivy-cli", "FTS5")], ("–", "–")))
    qmed, q95 = nq("newsidx", median), nq("newsidx", p95)
    fts_med = nq("FTS5", median)
    add(("query/process: median ms", f1(qmed), f"≤ 10 and ≤ {f1(0.4 * fts_med) if fts_med else '0.4× FTS5'}", *[(f1(nq(p, median)) if p in per_query else "–", ratio(qmed, nq(p, median)) if p in per_query else "–") for p in ("tantivy-cli", "FTS5", "ripgrep")]))
    add(("query/process: p95 ms", f1(q95), f"< FTS5 p95 ({f1(nq('FTS5', p95))})" if peers else "< FTS5 p95", *[(f1(nq(p, p95)) if p in per_query else "–", ratio(q95, nq(p, p95)) if p in per_query else "–") for p in ("tantivy-cli", "FTS5", "ripgrep")]))
    bq = median(batch["newsidx"])
    add(("batch --queries: queries/s (all cores)", f1(bq, 0), "≥ 500", ("–", "–"), (f1(median(batch["FTS5"]), 0), ratio(bq, median(batch["FTS5"]))) if "FTS5" in batch else ("–", "–"), ("–", "–")))
    bq1 = median(batch["newsidx-1"])
    add(("batch --queries --threads 1: queries/s", f1(bq1, 0), "", ("–", "–"), (f1(median(batch["FTS5"]), 0), ratio(bq1, median(batch["FTS5"]))) if "FTS5" in batch else ("–", "–"), ("–", "–")))
    add(("incremental: 1 new, folder walk, s", f1(median(inc["walk"]), 3), "≤ 0.5", ("–", "–"), ("–", "–"), ("–", "–")))
    named = median(inc["named"])
    add(("incremental: 1 new, named path, ms", f1(named * 1000), "≤ 50",
         *((f1(median(peer_inc[p]) * 1000), ratio(named, median(peer_inc[p]))) if peers else ("–", "–") for p in ("tantivy-cli", "FTS5")), ("–", "–")))
    add(("incremental: unchanged rerun, s", f1(median(inc["unchanged"]), 3), "≤ 0.4", ("–", "–"), ("–", "–"), ("–", "–")))
    qr = max(rss_q["newsidx"])
    add(("query peak RSS MB (max over runs)", f1(qr, 0), "≤ 64", *[(f1(max(rss_q[p]), 0) if p in rss_q else "–", ratio(qr, max(rss_q[p])) if p in rss_q else "–") for p in ("tantivy-cli", "FTS5", "ripgrep")]))

    hdr = "| measure | newsidx | target | tantivy-cli | newsidx/tantivy | FTS5 | newsidx/FTS5 | ripgrep or cat | newsidx/that |"
    lines = [hdr, "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        name, val, target, *cols = row
        flat = [c for pair in cols for c in pair]
        lines.append(f"| {name} | {val} | {target} | " + " | ".join(flat) + " |")
    table = "\n".join(lines)

    detail = ["| class | query | newsidx hits (passages/articles; + marks a lower bound) | newsidx ms | FTS5 ms | tantivy-cli ms | ripgrep ms |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for i, q in enumerate(queries):
        h = hits[i] or ("?", "?", "?")
        cell = lambda name: f1(per_query[name][i]) if name in per_query else "–"  # noqa: E731
        detail.append(f"| {q.cls} | `{q.label()}` | {h[0]}/{h[1]} | {cell('newsidx')} | {cell('FTS5')} | {cell('tantivy-cli')} | {cell('ripgrep')} |")
    classes = sorted({q.cls for q in queries}, key=[q.cls for q in queries].index)
    by_class = ["| class | newsidx median ms | FTS5 median ms | tantivy-cli median ms |", "| --- | ---: | ---: | ---: |"]
    for c in classes:
        ix = [i for i, q in enumerate(queries) if q.cls == c]
        cell = lambda name: f1(median([per_query[name][i] for i in ix])) if name in per_query else "–"  # noqa: E731
        by_class.append(f"| {c} | {cell('newsidx')} | {cell('FTS5')} | {cell('tantivy-cli')} |")

    versions = tool_versions(newsidx, tools)
    report = [
        f"## {args.articles:,} articles, seed {args.seed} ({mb:.1f} MB of text in {len(files):,} files)",
        "",
        f"`bench/run.sh --articles {args.articles} --seed {args.seed} --rounds {args.rounds} --build-runs {build_runs}`"
        f" · {time.strftime('%Y-%m-%d %H:%M')} · builds: median of {build_runs} (peak RSS: max);"
        f" queries: median of {args.rounds} rounds per query, then median / p95 over {len(queries)} queries;"
        f" batch: {nbatch} queries, median of 3; incremental: median of 3.",
        "",
        table,
        "",
        "Per class (median over the class of the per-query medians):",
        "",
        "\n".join(by_class),
        "",
        "Load average (1/5/15 min): " + "; ".join(f"{k}: {v}" for k, v in loads),
        "",
        "Versions: " + "; ".join(f"{k}: {v}" for k, v in versions.items()),
        "",
        "<details><summary>Per query</summary>",
        "",
        "\n".join(detail),
        "",
        "</details>",
    ]
    text = "\n".join(report) + "\n"
    (run_dir / "results.md").write_text(text)
    raw = {"builds": builds, "sizes": sizes, "corpus_bytes": corpus_bytes, "per_query": per_query,
           "queries": [q.label() for q in queries], "batch": batch, "inc": inc, "peer_inc": peer_inc,
           "rss_q": {k: max(v) for k, v in rss_q.items()}, "loads": loads, "versions": versions,
           "machine": platform.platform()}
    (run_dir / "results.json").write_text(json.dumps(raw, indent=1))
    print(text)
    log(f"written {run_dir / 'results.md'}")


if __name__ == "__main__":
    main()
