"""Build a synthetic news corpus of N articles from the seeds' paragraphs.

    python benchmarks/generate_corpus.py --n 10000 --out /tmp/ak-bench/10k [--seed 7]

Every article is one UTF-8 ``.txt`` file, laid out the way real scraped articles are:
a headline, sometimes a standfirst, body paragraphs (with an occasional subheading),
sometimes a byline and a "Sources:" line, sometimes a "Comments ()" trailer. Paragraphs are
sampled (with replacement) from the seed articles' body paragraphs, so the text is real news
prose; the layout, lengths, outlets, author names and numbers vary per article. About half
the files separate paragraphs with blank lines, the rest with single newlines (both occur in
the seeds). A small share of articles are exact copies of an earlier one (syndication), so the
duplicate-detection path is exercised at scale.

The output depends only on ``--seed``, ``--n`` and the seed texts: the same command writes
byte-identical files, so benchmark runs are comparable. Nothing here imports analystkit.
"""
from __future__ import annotations

import argparse
import pathlib
import random
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_SEEDS = HERE.parent / "seeds"

OUTLETS = [
    "NENC Media Group", "Reuters", "Associated Press", "Al Jazeera", "BBC News", "Sky News",
    "The Guardian", "The Kyiv Independent", "Meduza", "TASS", "RIA Novosti", "Politico Europe",
    "Deutsche Welle", "France 24", "Euronews", "CNN", "NBC News", "Fox News", "The Hill",
    "Axios", "iNews", "Al Arabiya", "Anadolu Agency", "Kyiv Post", "The Moscow Times",
    "Financial Times", "Bloomberg", "Le Monde (English)", "Ukrainska Pravda", "Novaya Gazeta Europe",
    "Daily Sabah", "South China Morning Post", "Times of India", "The Japan Times",
    "ABC News (Australia)", "CBC News", "RFE/RL", "Voice of America", "The Independent",
    "Daily Telegraph",
]
FIRST = ["Anna", "Mark", "Olena", "Dmitry", "Sarah", "James", "Leila", "Tomasz", "Ines",
         "Kenji", "Maria", "Oleksandr", "Nick", "Fatima", "Pierre", "Hannah", "Yusuf", "Irina"]
LAST = ["Ravenshade", "Kowalski", "Petrenko", "Smirnova", "Okafor", "Lindqvist", "Haddad",
        "Moreau", "Tanaka", "Bianchi", "Novak", "Fischer", "O'Neill", "Garcia", "Ivanova",
        "Shevchenko", "Brennan", "Rahman"]
SUBHEADS = ["What happened in Moscow", "The Issues", "Blockages: Territory and NATO",
            "Kyiv and Washington take sides", "Next steps and scenarios", "Reaction",
            "What's at stake", "Background", "Analysis", "What happens next"]
DATELINES = ["MOSCOW —", "KYIV —", "WASHINGTON —", "BRUSSELS —", "LONDON, Dec 3 (Reuters) -",
             "MOSCOW, Dec. 2 (AP) —"]
CAPTIONS = ["Photo: Kremlin press service / AFP", "(Photo by Alexander Kazakov/Sputnik)",
            "Image: Reuters/Evelyn Hockstein"]


def _is_heading(line: str) -> bool:
    """A short line without final punctuation is a headline/subheading, not body prose."""
    return len(line.split()) <= 14 and not re.search(r"[.!?\"'’”]$", line)


def load_pool(seeds: pathlib.Path) -> tuple[list[str], list[str]]:
    """(headlines, body paragraphs) of every .txt file under ``seeds``."""
    heads, body = [], []
    files = sorted(seeds.glob("*.txt"))
    if not files:
        raise SystemExit(f"generate_corpus: no .txt files in {seeds}")
    for f in files:
        lines = [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
        heads.append(lines[0])
        for ln in lines[1:]:
            if ln.startswith(("Written by", "Sources:", "Comments (")) or _is_heading(ln):
                continue
            body.append(ln)
    return heads, body


def _vary(par: str, rng: random.Random) -> str:
    """Small, realistic surface variation: numbers, hyphen/quote styles, a name spelling."""
    par = re.sub(r"\b28-point\b", lambda m: f"{rng.choice([12, 20, 28, 30])}-point", par)
    par = re.sub(r"\bfive hours\b", lambda m: rng.choice(["five hours", "four hours", "six hours"]), par)
    r = rng.random()
    if r < 0.15:
        par = par.replace("-", "\u2011")          # non-breaking hyphens, as some outlets emit
    elif r < 0.30:
        par = par.replace("\u2011", "-")
    if rng.random() < 0.2:
        par = par.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    if rng.random() < 0.3:
        par = par.replace("Zelenskyy", "Zelensky")
    if rng.random() < 0.1:
        par = par.replace("U.S.", "U. S.")
    return par


def make_article(i: int, rng: random.Random, heads: list[str], body: list[str]) -> tuple[str, str]:
    """Return (outlet, text) for article ``i``."""
    outlet = OUTLETS[rng.randrange(len(OUTLETS))]
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    n_par = max(2, int(rng.lognormvariate(2.0, 0.6)))   # median ~7, long tail to ~40
    n_par = min(n_par, 45)
    pars = [_vary(rng.choice(body), rng) for _ in range(n_par)]
    lines: list[str] = [rng.choice(heads) if rng.random() < 0.3 else _headline(rng, pars[0])]
    if rng.random() < 0.4:
        lines.append(pars.pop(0) if len(pars) > 2 else rng.choice(body))   # standfirst
    if rng.random() < 0.3:
        pars[0] = f"{rng.choice(DATELINES)} {pars[0]}"
    for k, p in enumerate(pars):
        if k and rng.random() < 0.12:
            lines.append(rng.choice(SUBHEADS))
        if rng.random() < 0.03:
            lines.append(rng.choice(CAPTIONS))
        lines.append(p)
    if rng.random() < 0.02:                              # truncated article
        lines[-1] = lines[-1][: max(20, len(lines[-1]) // 2)]
    r = rng.random()
    if r < 0.35:
        lines.append(f"Written by {author} for {outlet}, original article and analysis.")
    elif r < 0.6:
        lines.insert(1, f"By {author}, {outlet}")
    if rng.random() < 0.3:
        srcs = rng.sample(OUTLETS, k=rng.randint(2, 5))
        lines.append("Sources: " + ", ".join(srcs) + ".")
    if rng.random() < 0.15:
        lines.append("Comments ()")
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    return outlet, sep.join(lines) + ("\n" if rng.random() < 0.7 else "")


def _headline(rng: random.Random, first_par: str) -> str:
    words = first_par.split()
    n = rng.randint(7, 14)
    h = " ".join(words[:n]).rstrip(",;:.—-")
    return h[:1].upper() + h[1:]


def generate(n: int, out: pathlib.Path, *, seed: int = 7, seeds: pathlib.Path = DEFAULT_SEEDS,
             duplicates: float = 0.005) -> dict:
    """Write ``n`` articles to ``out``; return a summary (files, words, bytes, duplicates)."""
    heads, body = load_pool(seeds)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    written: list[str] = []
    words = nbytes = dups = 0
    width = max(5, len(str(n)))
    for i in range(n):
        if written and rng.random() < duplicates:
            text = written[rng.randrange(len(written))]
            dups += 1
        else:
            _, text = make_article(i, rng, heads, body)
            written.append(text)
        data = text.encode("utf-8")
        (out / f"art_{i:0{width}d}.txt").write_bytes(data)
        words += len(text.split())
        nbytes += len(data)
    return {"files": n, "words": words, "bytes": nbytes, "duplicates": dups, "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--out", type=pathlib.Path, required=True, help="output folder (its *.txt are replaced)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seeds", type=pathlib.Path, default=DEFAULT_SEEDS, help="folder of seed articles")
    ap.add_argument("--duplicates", type=float, default=0.005, help="share of exact copies")
    a = ap.parse_args(argv)
    s = generate(a.n, a.out, seed=a.seed, seeds=a.seeds, duplicates=a.duplicates)
    print(f"wrote {s['files']} files ({s['words']:,} words, {s['bytes'] / 1e6:.1f} MB, "
          f"{s['duplicates']} duplicates) to {s['out']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
