"""Peak memory of `newsidx index` on one large file and on eight at once
(issue: a 9.9 MB file of short lines must cost a small multiple of its size).

    bench/memory.sh            # builds the release binary, prints a table

The files are generated (seeded): short lines of article words and numbers,
the shape that costs most per byte (one paragraph, list and mention per few
words). Peak RSS from /usr/bin/time, median of --runs; "above base" subtracts
the peak of indexing the five seed articles, which is the process's own
(taxonomy automata, tantivy's writer).
"""
import argparse
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, WORK, build_newsidx, log, median, run_gnu_time  # noqa: E402

WORDS = ("Assam chip plant Tokyo Osaka investment crore semiconductor Karnataka electric vehicle "
         "battery minister signed agreement Japanese company factory jobs state government policy "
         "rare earth magnets Uttar Pradesh Gujarat port logistics").split()


def short_lines(path: Path, size: int, seed: int):
    rnd = random.Random(seed)
    with path.open("w") as out:
        out.write(f"Assam courts Japanese chip makers, part {seed}\n\n")
        n = 0
        while n < size:
            line = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 5))) + f" {rnd.randint(0, 99999)}\n"
            out.write(line)
            n += len(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=9.9, help="size of each file")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    newsidx = build_newsidx()
    work = WORK / "memory"
    size = int(args.mb * 1e6)
    sets = {"seeds (base)": ROOT / "seeds", "one file": work / "one", "eight files": work / "eight"}
    for name, count in (("one", 1), ("eight", 8)):
        folder = work / name
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for i in range(count):
                short_lines(folder / f"short{i}.txt", size, i + 1)
            (folder / ".complete").touch()
    rows = {}
    for name, folder in sets.items():
        runs = []
        for _ in range(args.runs):
            index = work / "index"
            shutil.rmtree(index, ignore_errors=True)
            wall, rss, code = run_gnu_time([str(newsidx), "--index", str(index), "--articles", str(folder),
                                            "index", "--quiet"])
            if code != 0:
                sys.exit(f"bench: index of {folder} failed")
            runs.append((wall, rss))
        rows[name] = (median([w for w, _ in runs]), median([r for _, r in runs]))
        log(f"{name}: {rows[name][0]:.2f} s, {rows[name][1]:.0f} MB")
    base = rows["seeds (base)"][1]
    print(f"| input | wall (median of {args.runs}) | peak RSS | above base | ÷ input size |")
    print("| --- | --- | --- | --- | --- |")
    for name, (wall, rss) in rows.items():
        mb = {"seeds (base)": 0, "one file": args.mb, "eight files": 8 * args.mb}[name]
        ratio = f"{(rss - base) / mb:.1f}×" if mb else "-"
        print(f"| {name} | {wall:.2f} s | {rss:.0f} MB | {rss - base:.0f} MB | {ratio} |")


if __name__ == "__main__":
    main()
