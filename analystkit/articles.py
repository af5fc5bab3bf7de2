"""Reading articles: files, folders, tables and frames -> the ``articles`` and ``problems`` frames.

Grain
-----
``articles``: one row per article.
    article_id, path, outlet, outlet_source, title, standfirst, subheadings (list[str]),
    author, published, url, dateline, cited_sources (list[str]), truncated, text, n_chars,
    encoding
``problems``: one row per input (file, or table row) that did not become an article, plus
    warning rows (``decoded_with_fallback``, ``repaired_mojibake``) for inputs that did.
    path, reason, detail

``text`` is the *normalized* article (see :func:`normalize_text`); every offset in every
other frame refers to it. The layout of the text (headline, standfirst, subheadings, byline,
sources, captions, trailer junk) is recognised by :func:`parse_layout`, which
:func:`analystkit.tokens.split_paragraphs` uses too.
"""
from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from ._chars import char_mapper

__all__ = [
    "LoadError",
    "read_articles",
    "normalize_text",
    "parse_layout",
    "ARTICLE_COLUMNS",
    "PROBLEM_COLUMNS",
    "TEXT_SUFFIXES",
    "TABLE_SUFFIXES",
]

ARTICLE_COLUMNS = [
    "article_id", "path", "outlet", "outlet_source", "title", "standfirst", "subheadings",
    "author", "published", "url", "dateline", "cited_sources", "truncated", "text", "n_chars",
    "encoding",
]
PROBLEM_COLUMNS = ["path", "reason", "detail"]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"}
SIDECAR_NAMES = {"metadata.csv", "metadata.tsv", "metadata.json", "metadata.jsonl"}

TEXT_COLUMN_CANDIDATES = ("text", "body", "content", "article", "article_text", "full_text",
                          "fulltext", "story")
ID_COLUMN_CANDIDATES = ("article_id", "id", "doc_id", "document_id", "file", "filename")
# metadata field -> accepted column names (first found wins)
META_ALIASES = {
    "outlet": ("outlet", "source", "publisher", "publication", "site", "media", "source_name"),
    "title": ("title", "headline"),
    "author": ("author", "authors", "byline", "writer"),
    "published": ("published", "date", "published_at", "publication_date", "publishedat",
                  "pub_date", "datetime", "timestamp"),
    "url": ("url", "link", "source_url"),
}


class LoadError(ValueError):
    """Input that cannot be read as articles. The message names the file and the problem."""


# --------------------------------------------------------------------------------------
# normalization
# --------------------------------------------------------------------------------------
_CHAR_MAP = {
    "\u2011": "-",  # non-breaking hyphen
    "\u2010": "-",  # hyphen
    "\u2012": "-",  # figure dash
    "\u00ad": "",   # soft hyphen
    "\u200b": "",   # zero width space
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",   # word joiner
    "\ufeff": "",   # BOM / zero width no-break space
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ",
    "\u3000": " ",
    "\t": " ",
    "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n\n", "\x85": "\n",
}
_map_chars = char_mapper(_CHAR_MAP)   # = text.translate(str.maketrans(_CHAR_MAP))

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ESCAPED_QUOTE_RE = re.compile(r"\\([\"'’‘“”])")
_STRAY_BACKSLASH_RE = re.compile(r"(?:(?<=\s)|^)\\+(?=\s|$)|\\+$", re.M)
_SPACES_RE = re.compile(r" {2,}")
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_MOJI_CONT = "[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]"
_MOJIBAKE_RE = re.compile(
    f"[\u00c2-\u00df]{_MOJI_CONT}|[\u00e0-\u00ef]{_MOJI_CONT}{{2}}|[\u00f0-\u00f4]{_MOJI_CONT}{{3}}")


def _mojibake_bytes(run: str) -> bytes:
    out = bytearray()
    for ch in run:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))  # bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
    return bytes(out)


def _repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was decoded as cp1252 ("Russiaâ€™s" -> "Russia’s"), run by run, so a
    text that also holds genuine non-Latin characters is repaired too."""
    if not _MOJIBAKE_RE.search(text):
        return text, False
    repaired = False

    def fix(m: re.Match) -> str:
        nonlocal repaired
        try:
            out = _mojibake_bytes(m.group()).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return m.group()
        repaired = True
        return out

    fixed = _MOJIBAKE_RE.sub(fix, text)
    return fixed, repaired


def normalize_text(raw: str) -> str:
    """Return the normalized article text that every offset refers to.

    What changes (and nothing else): Unicode NFC; line ends to ``\\n``; non-breaking and
    other hyphens (U+2010/2011/2012) to ``-``; no-break, thin and other special spaces to a
    plain space; zero-width characters and soft hyphens removed; control characters removed;
    HTML entities (``&amp;``, ``&#8217;``) decoded; escaped quotes (``\\"``) unescaped and
    stray backslashes (``Ushakov’s \\ extremely``) removed; runs of spaces folded to one;
    spaces at line ends stripped; three or more newlines folded to a blank line; leading and
    trailing blank space removed.

    Quote marks are *kept as written* (curly, straight, guillemets): the statements stage
    needs them, and the analyst sees the article as published.
    """
    if not raw:
        return ""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\\n" in text and text.count("\\n") > text.count("\n"):
        # scraped JSON with literal "\n" escapes
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _map_chars(text)
    text = _CONTROL_RE.sub("", text)
    if "&" in text and _ENTITY_RE.search(text):
        text = _map_chars(html.unescape(text))
    if "\\" in text:
        text = _ESCAPED_QUOTE_RE.sub(r"\1", text)
        text = _STRAY_BACKSLASH_RE.sub("", text)
    text = _SPACES_RE.sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()


# --------------------------------------------------------------------------------------
# layout: headline, standfirst, subheadings, byline, sources, captions, trailer
# --------------------------------------------------------------------------------------
CONTENT_KINDS = ("headline", "standfirst", "subheading", "body")
PARAGRAPH_KINDS = ("headline", "standfirst", "subheading", "body", "byline", "sources",
                   "caption", "trailer")

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
           r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_AGENCIES = (r"(?:Reuters|AP|AFP|TASS|RIA(?: Novosti)?|Interfax|Ukrinform|Bloomberg|UNIAN|"
             r"Anadolu|Xinhua|dpa|DPA|EFE|ANSA|PAP|Sputnik|CNN|BBC|Al Jazeera)")
_AGENCY_NAMES = set(_AGENCIES[3:-1].replace("(?: Novosti)?", "").split("|")) | {"RIA Novosti"}
_NAME = r"[A-Z][\w.'’\-]*(?:\s+(?:de|van|von|der|da|del|al|bin|la|le)?\s*[A-Z][\w.'’\-]*){0,3}"

_TRAILER_RE = re.compile(
    r"""^(?:
        comments?\s*\(\s*\d*\s*\)
      | (?:read|see)\s+(?:more|also)\b.{0,200}
      | related(?:\s+(?:articles?|stories|coverage|content|topics|news|reading))?\s*:?.{0,200}
      | more\s+(?:on\s+this(?:\s+story)?|from|stories)\b.{0,120}
      | (?:you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular)|
          trending(?:\s+now)?|editor'?s\s+picks?|latest\s+news|top\s+stories)\b.{0,80}
      | advertisement|advertising|sponsored(?:\s+content)?\b.{0,80}|ad
      | share(?:\s+(?:this|on|via)\b.{0,60})?|print|email|tweet|whatsapp|facebook|twitter|telegram
      | (?:subscribe|sign\s+up|follow\s+us|join\s+our|download\s+(?:our|the)\s+app|
          get\s+(?:our|the)\s+(?:daily\s+)?newsletter|newsletter)\b.{0,160}
      | (?:tags?|topics?|filed\s+under|categories|category|keywords)\s*:.{0,300}
      | ©.{0,200} | \(c\)\s.{0,200} | copyright\b.{0,200} | all\s+rights\s+reserved.{0,100}
      | click\s+here\b.{0,160} | listen\s+to\s+(?:this\s+)?(?:article|story).{0,60}
      | \d+\s+min(?:ute)?s?\s+read | loading\.*|skip\s+to\s+(?:main\s+)?content
      | this\s+(?:story|article)\s+(?:has\s+been|was)\s+(?:updated|corrected|amended).{0,200}
      | (?:image|video|photo)\s+(?:source|caption)\s*:?.{0,160}
      | \[\+\d+\s*chars?\]
      | (?:https?://|www\.)\S+
      | unsubscribe\b.{0,80} | manage\s+preferences
      | the\s+views\s+expressed\b.{0,200}
      | (?:independent\s+)?journalism\s+costs\s+money\b.{0,120} | become\s+a\s+(?:member|subscriber|patron)\b.{0,80}
      | (?:support|donate\s+to)\s+(?:our|independent)\s+journalism\b.{0,120}
      | [a-z]{2,4}(?:-[a-z]{2,4})*/[a-z]{2,4}(?:/[a-z]{2,4})*
      | our\s+verdict\s*:.{0,60}
      | also\s+read\b.{0,200}
      | (?:(?:share|tweet|email|e-mail|print|subscribe|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|
          copy\s+link|save|comment|comments)\s*(?:[·|/•,]\s*|$)){2,}
      | [^|\d]{1,30}(?:\s\|\s[^|\d]{1,30}){2,}   # breadcrumbs: "Markets | Energy | Sanctions"
      | (?:forwarded\s+this\s+email|you'?re\s+reading\s+an?\s+(?:excerpt|preview))\b.{0,200}
    )\s*$""",
    re.I | re.X,
)
# headers after which short link lines are junk too ("Related:", "Read more:")
_TRAILER_HEADER_RE = re.compile(
    r"^(?:read\s+more|related(?:\s+\w+)?|more\s+on\s+this(?:\s+story)?|see\s+also|also\s+read|"
    r"you\s+may\s+also\s+like|recommended|most\s+read|more\s+stories|explore\s+more(?:\s+on\s+these\s+topics)?|"
    r"related\s+topics|more\s+from\s+[\w ]{1,30}|note\s+from\s+the\s+(?:author|editor)|"
    r"about\s+the\s+author|share\s+this(?:\s+\w+)?)\s*:?\s*$", re.I)
_WORD2_RE = re.compile(r"[^\W\d_]{2,}")  # a line without a two-letter word is furniture ("👁 48.2K")
_CREDITS_RE = re.compile(
    r"^(?:\(?(?:additional\s+)?(?:reporting|writing|editing|edited|compiled|translated|research|"
    r"graphics?|produced|fact-checked)\s+by\b.{0,300}"
    r"|.{0,200}\b(?:contributed(?:\s+to\s+this\s+(?:report|story|article))?|contributed\s+reporting)\.?\)?"
    r"|forwarded\s+from\s*:.{0,120}"
    r"|translated\s+(?:from\s+[A-Z]\w+\s+)?by\b.{0,120}"
    r"|[—–-]\s*(?:compiled|reported|written)\s+by\b.{0,100})$", re.I)
_FROM_OUTLET_RE = re.compile(r"^From\s+(?P<outlet>[A-Z][\w&.\- ]{1,40}?)['’]s\s+(?P<author>[A-Z].{1,120})$")
_INPUTS_RE = re.compile(r"^\(?\s*(?:with\s+inputs\s+from|inputs\s+from|with\s+agency\s+inputs?|with(?=\s+(?:AFP|AP|Reuters|agencies|wires|dpa|Reuters\s+and\s+AFP)\b)|"
                        r"with\s+(?:additional\s+)?reporting\s+from)\s*:?\s*(?P<list>[^)]+)\)?\.?$", re.I)
_PIPE_META_RE = re.compile(r"^(?P<first>[^|]{2,60}?)\s*\|.*\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|"
                           r"\d{1,2}:\d{2})\b.*$")
_KICKER_RE = re.compile(r"^(?:opinion|analysis|news\s+analysis|comment|commentary|editorial|exclusive|"
                        r"explainer|live|live\s+updates|breaking(?:\s+news)?|world|europe|politics|"
                        r"in\s+brief|fact\s+check|interview|feature|watch|video|podcast|"
                        r"ukraine\s+war|russia-ukraine\s+war)\s*:?$", re.I)
KNOWN_OUTLETS = ("Associated Press", "Reuters", "AFP", "Agence France-Presse", "BBC News", "BBC", "CNN",
                 "Al Jazeera", "The Guardian", "The New York Times", "The Washington Post", "Politico",
                 "Bloomberg", "TASS", "RIA Novosti", "Interfax", "Ukrinform", "Kyiv Independent",
                 "The Kyiv Independent", "Meduza", "Financial Times", "The Wall Street Journal",
                 "Sky News", "NBC News", "CBS News", "ABC News", "Fox News", "Euronews", "DW",
                 "Deutsche Welle", "France 24", "RFE/RL", "Radio Free Europe", "Ukrainska Pravda",
                 "Novaya Gazeta", "Kommersant", "RT", "Sputnik", "PTI", "ANI", "Anadolu")
_TRAILING_OUTLET_RE = re.compile(r"(?:,|\s)\s*(?P<outlet>" + "|".join(
    re.escape(o) for o in sorted(KNOWN_OUTLETS, key=len, reverse=True)) + r")(?:\s+[A-Z][a-z]+)?\s*$")
_ANY_OUTLET_RE = re.compile(r"(?:,|\s)\s*(?P<outlet>" + "|".join(
    re.escape(o) for o in sorted(KNOWN_OUTLETS, key=len, reverse=True)) + r")\b")
_WRITTEN_BY_RE = re.compile(
    r"^(?:written|reported|compiled|prepared|posted)\s+by\s+(?P<author>.+?)"
    r"(?:\s+(?:for|at|of)\s+(?P<outlet>[^,.;|]+?))?\s*(?:[,.;|].*)?$", re.I)
_BY_RE = re.compile(
    rf"^(?:by|words\s+by|story\s+by|author\s*:)\s+(?P<author>{_NAME}"
    rf"(?:\s*(?:,|and|&)\s*{_NAME})*)\s*(?:(?:,|\||-|—|–|for|in)\s*(?P<rest>.{{0,120}}))?$",
    re.I,
)
_META_RE = re.compile(
    rf"^(?:(?:published|updated|posted|last\s+updated|first\s+published)\b.{{0,120}}|"
    rf"\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,4}})?,?\s*(?:(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}),?\s*\d{{4}})?|"
    rf"(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+(?:\d{{1,2}}\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}),?\s+\d{{4}}.{{0,40}}|"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{{1,2}}\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}),?\s+\d{{4}}"
    rf"(?:\s*(?:,|at|-|—|–)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{{2,4}})?)?\s*"
    rf"(?:\|.{{0,80}})?)$",
    re.I,
)
_SOURCES_RE = re.compile(r"^(?:sources?|source\s+material|via|citations?)\s*:\s*(?P<list>.+)$", re.I)
_CAPTION_RE = re.compile(
    r"""(?:^(?:file\s+)?(?:photo|photograph|picture|image|pictured|illustration|caption|video)\b\s*[:|—–-]
      | \b(?:photo|photograph|picture|image|illustration)\s*(?:by|:|credit)\s*
      | \((?:AP|AFP|Reuters|EPA|Getty|Sputnik|TASS|Pool|Bloomberg|Anadolu)[^)]{0,60}\)\s*$
      | \b(?:AP|AFP|EPA|Reuters|Getty\s+Images|Bloomberg|Sputnik|TASS|Pool|Anadolu(?:\s+Agency)?|Shutterstock|Kremlin\.ru)\s*(?:via\s+[\w ]+)?\)?\s*$
      | ^FILE\s+PHOTO\b
    )""",
    re.I | re.X,
)
_CAPTION_CREDIT_TAIL_RE = re.compile(r"[/|]\s*[A-Z][\w .&-]{1,40}\)?\s*$")
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+")
_MD_BOLD_LINE_RE = re.compile(r"^(\*\*|__)(.+)\1$")
_BULLET_RE = re.compile(r"^(?:[-*•·▪]\s+|>\s*)")
_TERMINAL_RE = re.compile(r"[.!?…:;,\"”’»)\]]$")
_TRUNC_MARK_RE = re.compile(r"\s*(?:…|\.\.\.)?\s*\[\+\d+\s*chars?\]\s*$")
_DATELINE_RE = re.compile(
    rf"""^(?P<dateline>
        (?:(?P<place>[A-Z][A-Z.'’\-]+(?:[ /-][A-Z][A-Z.'’\-]+){{0,3}}
          |[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}})
        (?:,\s*(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}|[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))?
        (?:,\s*(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}))?
        (?:,?\s*\d{{4}})?)?
        (?:\s*\((?P<agency>{_AGENCIES}(?:[/, ]+{_AGENCIES})*|[A-Z][\w&.]*(?:\s(?:with\s)?[A-Z0-9][\w&.]*){{0,4}})\))?
      )(?:\s*(?P<dash>—|–|--|-|:)|\.?\s*/(?P<agency2>[A-Z][A-Za-z\-]{{1,20}})/\.?(?P<dash2>))\s+(?=\S)""",
    re.X | re.M,
)


@dataclass
class Layout:
    """The recognised layout of one normalized text: spans and their kinds, plus metadata."""

    spans: list = field(default_factory=list)  # (kind, start, end, content_start, content_end)
    title: str | None = None
    standfirst: str | None = None
    subheadings: list = field(default_factory=list)
    author: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    agency: str | None = None
    cited_sources: list = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    truncated: bool = False


def _line_spans(text: str):
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _word_count(s: str) -> int:
    return len(s.split())


def _looks_like_title(line: str) -> bool:
    words = _word_count(line)
    if words == 0 or words > 30 or len(line) > 250:
        return False
    if line.endswith(("?", "!")):
        return True
    if line.endswith("."):
        return words <= 12 and line.count(". ") == 0
    return not line.endswith((",", ";"))


def _split_sources(value: str) -> list[str]:
    value = value.strip().rstrip(".")
    parts = re.split(r"\s*[;,|]\s*|\s+and\s+", value)
    return [p.strip(" .") for p in parts if p.strip(" .")]


_ROLE_WORDS_RE = re.compile(r"\b(?:editor|correspondent|reporter|writer|staff|desk|bureau|chief|columnist|"
                           r"contributor|analyst|wire\s+reports?)\b", re.I)


def _clean_author(value: str) -> str:
    """"Jane Doe and John Roe, Defence correspondent" -> "Jane Doe, John Roe"."""
    value = re.sub(r"\s+(?:and|&)\s+", ", ", value.strip(" ,.;|"))
    parts = [p.strip(" .;|") for p in value.split(",")]
    keep = [p for p in parts if p and not _ROLE_WORDS_RE.search(p)
            and not any(p == o or p.startswith(o + " ") for o in KNOWN_OUTLETS)]
    return ", ".join(keep or [p for p in parts if p])


def _is_caption(line: str) -> bool:
    if _word_count(line) > 70:
        return False
    if _CAPTION_RE.search(line):
        return True
    # "Vladimir Putin meets Steve Witkoff in Moscow. Alexander Kazakov/Sputnik"
    return bool(_CAPTION_CREDIT_TAIL_RE.search(line)) and not line.rstrip().endswith((".", '"', "”"))


def parse_layout(text: str) -> Layout:
    """Recognise the layout of a normalized article text.

    Returns a :class:`Layout` whose ``spans`` are ``(kind, start, end, content_start,
    content_end)`` for every non-empty line (one paragraph per line), where ``kind`` is one of
    ``headline, standfirst, subheading, body, byline, sources, caption, trailer`` and the
    content span excludes markup (``# ``, ``**``, bullets) and, for the first body
    paragraph, the dateline ("MOSCOW —"). A trailing truncation marker ("[+2481 chars]") is
    split off the last line as its own ``trailer`` span.
    """
    lay = Layout()
    lines = list(_line_spans(text))
    # split the truncation marker off the last line
    if lines:
        s, e = lines[-1]
        m = _TRUNC_MARK_RE.search(text, s, e)
        if m and m.start() > s:
            lines[-1] = (s, m.start())
            ms = m.start() + (len(m.group()) - len(m.group().lstrip()))
            lines.append((ms, e))
            lay.truncated = True
    n = len(lines)
    kinds: list[str | None] = [None] * n
    if lay.truncated:
        kinds[-1] = "trailer"
    content: list[tuple[int, int]] = list(lines)

    # markup-stripped content spans
    md_heading = [False] * n
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        m = _MD_HEADING_RE.match(line)
        if m:
            md_heading[i] = True
            content[i] = (s + m.end(), e)
            continue
        m = _MD_BOLD_LINE_RE.match(line)
        if m and _word_count(m.group(2)) <= 15:
            md_heading[i] = True
            content[i] = (s + len(m.group(1)), e - len(m.group(1)))
            continue
        m = _BULLET_RE.match(line)
        if m:
            content[i] = (s + m.end(), e)

    def txt(i):
        cs, ce = content[i]
        return text[cs:ce]

    # pass 1: lines recognisable on their own
    in_trailer_block = False
    last_byline = -2
    for i in range(n):
        if kinds[i] is not None:
            continue
        line = txt(i).strip().strip("*_ ").replace("**", "")
        if not line:
            kinds[i] = "trailer"
            continue
        if in_trailer_block and _word_count(line) <= 25:
            kinds[i] = "trailer"
            continue
        in_trailer_block = False
        if _TRAILER_HEADER_RE.match(line):
            kinds[i] = "trailer"
            in_trailer_block = True
        elif _TRAILER_RE.match(line) or not _WORD2_RE.search(line):
            kinds[i] = "trailer"
            if lay.url is None:
                um = re.match(r"^(?:https?://|www\.)\S+$", line)
                if um:
                    lay.url = um.group()
        elif (m := _SOURCES_RE.match(line) or _INPUTS_RE.match(line)) and _word_count(line) <= 60:
            kinds[i] = "sources"
            lay.cited_sources.extend(_split_sources(m.group("list")))
        elif _CREDITS_RE.match(line) and _word_count(line) <= 60:
            kinds[i] = "byline"
        elif (m := _FROM_OUTLET_RE.match(line)) and _word_count(line) <= 20:
            kinds[i] = "byline"
            lay.author = lay.author or _clean_author(m.group("author"))
            lay.outlet = lay.outlet or m.group("outlet").strip()
        elif (m := _WRITTEN_BY_RE.match(line)) and _word_count(line) <= 30:
            kinds[i] = "byline"
            lay.author = lay.author or _clean_author(m.group("author"))
            if m.group("outlet"):
                lay.outlet = lay.outlet or m.group("outlet").strip()
        elif (m := _BY_RE.match(line)) and _word_count(line) <= 20 and not line.endswith((".", "?")) \
                or (m and line.endswith(".") and _word_count(line) <= 6):
            kinds[i] = "byline"
            author = m.group("author")
            rest = (m.group("rest") or "").strip()
            tail = _TRAILING_OUTLET_RE.search(line) or _ANY_OUTLET_RE.search(line)
            if tail and lay.outlet is None:
                lay.outlet = tail.group("outlet")
                if tail.start() > m.start("author") and tail.start() < m.end("author"):
                    author = line[m.start("author"):tail.start()]
            elif rest and not re.search(r"\d", rest) and _word_count(rest) <= 6 and lay.outlet is None:
                lay.outlet = rest.strip(" .|,")
            lay.author = lay.author or _clean_author(author)
        elif _META_RE.match(line) and _word_count(line) <= 16:
            kinds[i] = "byline"
            if lay.published is None:
                lay.published = _parse_date(line)
        elif (m := _PIPE_META_RE.match(line)) and _word_count(line) <= 16:
            kinds[i] = "byline"
            first = m.group("first").strip()
            if lay.outlet is None and _word_count(first) <= 4 and not re.search(r"\d", first):
                lay.outlet = first
            if lay.published is None:
                lay.published = _parse_date(line)
        elif i == last_byline + 1 and lay.author and _word_count(line) <= 30 and \
                re.match(re.escape(lay.author.split(",")[0].strip()) + r"\s+(?:is|was|has|writes|covers)\b", line):
            kinds[i] = "byline"  # the author's one-line bio under the byline
        elif i <= 2 and _KICKER_RE.match(line):
            kinds[i] = "byline"  # a section label above the headline ("OPINION", "News Analysis")
        elif _is_caption(line):
            kinds[i] = "caption"
        if kinds[i] == "byline":
            last_byline = i

    # pass 2: headline, standfirst, subheadings, body
    content_idx = [i for i in range(n) if kinds[i] is None]
    if content_idx:
        first = content_idx[0]
        if first <= 3 and len(content_idx) > 1 and (md_heading[first] or _looks_like_title(txt(first).strip())):
            kinds[first] = "headline"
            lay.title = txt(first).strip()
            rest = content_idx[1:]
            # a standfirst: the next line, not a dateline lede, without closing punctuation
            nxt = rest[0] if rest else None
            if nxt is not None and len(rest) >= 3 and not md_heading[nxt]:
                line = txt(nxt).strip()
                if (_word_count(line) >= 8 and not _TERMINAL_RE.search(line)
                        and not _DATELINE_RE.match(line)) :
                    kinds[nxt] = "standfirst"
                    lay.standfirst = line
        remaining = [i for i in content_idx if kinds[i] is None]
        for j, i in enumerate(remaining):
            line = txt(i).strip()
            later = [k for k in remaining[j + 1:]]
            is_sub = False
            if md_heading[i]:
                is_sub = True
            elif later and _word_count(line) <= 12 and len(line) <= 100:
                last_char = line[-1]
                if line.endswith("?"):
                    is_sub = _word_count(line) <= 10
                elif not _TERMINAL_RE.search(last_char) or line.endswith(":") and _word_count(line) <= 6:
                    is_sub = line[:1].isupper() or line[:1].isdigit() or line[:1] in "‘“\"'"
                # a subheading is followed by a longer paragraph
                if is_sub and _word_count(txt(later[0])) <= _word_count(line) and not md_heading[later[0]]:
                    is_sub = _word_count(txt(later[0])) > 12
            if is_sub:
                kinds[i] = "subheading"
                lay.subheadings.append(line.rstrip(":"))
            else:
                kinds[i] = "body"

    # dateline on the first body paragraph
    for i in range(n):
        if kinds[i] == "body":
            cs, ce = content[i]
            m = _DATELINE_RE.match(text, cs, ce)
            if m and _is_dateline(m):
                lay.dateline = m.group("dateline").strip()
                if m.group("agency2"):
                    lay.dateline = text[cs:m.end()].strip()
                agency = m.group("agency") or m.group("agency2")
                lay.agency = re.split(r"\s+with\s+", agency)[0] if agency else None
                content[i] = (m.end(), ce)
                if lay.published is None:
                    lay.published = _parse_date(m.group("dateline"))
            break

    # truncated: the last content paragraph ends mid-sentence
    body_idx = [i for i in range(n) if kinds[i] == "body"]
    if body_idx:
        last = txt(body_idx[-1]).rstrip()
        if last and not re.search(r"[.!?…\"”’»)\]]$", last):
            lay.truncated = True
        if last.endswith(("…", "...")) and body_idx[-1] == n - 1:
            lay.truncated = True

    for i, (s, e) in enumerate(lines):
        cs, ce = content[i]
        # trim whitespace inside content spans
        while cs < ce and text[cs].isspace():
            cs += 1
        while ce > cs and text[ce - 1].isspace():
            ce -= 1
        lay.spans.append((kinds[i] or "body", s, e, cs, ce))
    return lay


def _is_dateline(m: re.Match) -> bool:
    place = m.group("place") or ""
    if m.group("agency2"):
        return True
    if not place:
        return bool(m.group("agency")) and m.group("dash") in ("—", "–", "--", "-")
    if m.group("agency") and (place.isupper() or m.group("agency") in _AGENCY_NAMES):
        return True
    if place.isupper() and len(place) >= 3:
        return True
    # "Moscow — ..." : a title-case place only with a real dash, and short
    return m.group("dash") in ("—", "–", "--") and len(place.split()) <= 2 and m.group("dash") != ":"


def _parse_date(value: str) -> str | None:
    """Best-effort ISO date (YYYY-MM-DD) from a date or dateline string; None when unknown."""
    m = re.search(rf"(\d{{1,2}})\s+({_MONTHS})\s*,?\s+(\d{{4}})|({_MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})|"
                  r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        ts = pd.to_datetime(m.group(0).replace(".", ""), errors="coerce")
    except (ValueError, TypeError):
        return None
    if ts is None or pd.isna(ts):
        return None
    return ts.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------
def _decode(data: bytes) -> tuple[str | None, str, str | None]:
    """Decode bytes -> (text or None, encoding, problem reason or None)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            return None, "utf-16", "undecodable"
    if b"\x00" in data[:8192]:
        return None, "", "binary"
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    for enc in ("cp1252", "latin-1"):
        try:
            return data.decode(enc), enc, "decoded_with_fallback"
        except UnicodeDecodeError:
            continue
    return None, "", "undecodable"  # pragma: no cover - latin-1 decodes any byte


_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x80-\x9f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    # control characters other than \t\n\v\f\r, C1 controls, U+FFFD (one regex scan)
    bad = len(_BINARY_CHARS.findall(sample))
    return bad / len(sample) > 0.05


@dataclass
class _Collector:
    records: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem(self, path, reason, detail=""):
        self.problems.append({"path": str(path), "reason": reason, "detail": detail})


def _article_record(article_id: str, path: str, raw: str, encoding: str, meta: dict | None = None,
                    normalized: str | None = None) -> dict:
    text = normalize_text(raw) if normalized is None else normalized   # normalized once
    lay = parse_layout(text)
    meta = {k: v for k, v in (meta or {}).items() if _present(v)}
    rec = {
        "article_id": article_id,
        "path": path,
        "outlet": None,
        "outlet_source": None,
        "title": lay.title,
        "standfirst": lay.standfirst,
        "subheadings": list(lay.subheadings),
        "author": lay.author,
        "published": lay.published,
        "url": lay.url,
        "dateline": lay.dateline,
        "cited_sources": list(dict.fromkeys(lay.cited_sources)),
        "truncated": bool(lay.truncated),
        "text": text,
        "n_chars": len(text),
        "encoding": encoding,
        "_outlet_byline": lay.outlet,
        "_agency": lay.agency,
        "_spans": lay.spans,   # handed to split_paragraphs by load_corpus (not a column)
    }
    for key in ("title", "author", "published", "url"):
        if key in meta:
            rec[key] = str(meta[key]).strip()
    if "outlet" in meta:
        rec["outlet"] = str(meta["outlet"]).strip()
        rec["outlet_source"] = "metadata"
    return rec


def _present(value) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and pd.isna(value):
        return False
    if isinstance(value, str) and not value.strip():
        return False
    try:
        if pd.isna(value) is True:
            return False
    except (TypeError, ValueError):
        pass
    return True


def _read_file(path: Path, article_id: str, col: _Collector) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        col.problem(path, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
        return
    if not data.strip():
        col.problem(path, "empty", "the file has no text" if data == b"" else "the file holds only whitespace")
        return
    text, encoding, reason = _decode(data)
    if reason in ("binary", "undecodable") or text is None:
        col.problem(path, reason or "undecodable",
                    "NUL bytes: this is a binary file, not text" if reason == "binary"
                    else "the bytes are not text in any supported encoding")
        return
    if _looks_binary(text):
        col.problem(path, "binary", "mostly control characters: this is not a text file")
        return
    text, repaired = _repair_mojibake(text)
    if reason == "decoded_with_fallback":
        col.problem(path, "decoded_with_fallback",
                    f"not valid UTF-8; decoded as {encoding} (loaded as article {article_id!r})")
    if repaired:
        col.problem(path, "repaired_mojibake",
                    f"UTF-8 text that had been decoded as cp1252 was repaired (article {article_id!r})")
        encoding = f"{encoding}+repaired"
    normalized = normalize_text(text)
    if not normalized:
        col.problem(path, "empty", "nothing but whitespace and invisible characters")
        return
    col.records.append(_article_record(article_id, str(path), text, encoding, normalized=normalized))


def _pick_column(columns: Sequence[str], candidates: Iterable[str]) -> str | None:
    lower = {str(c).lower().strip(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace")
        if suffix == ".tsv":
            return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding_errors="replace")
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True, dtype=False)
        if suffix == ".json":
            with open(path, encoding="utf-8") as fh:
                obj = json.load(fh)
            if isinstance(obj, dict):
                obj = obj.get("articles", obj.get("data", [obj]))
            return pd.DataFrame(obj)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
    except LoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - re-raised with the file named
        raise LoadError(f"{path}: cannot read as a {suffix[1:]} table: {exc}") from exc
    raise LoadError(f"{path}: unsupported table format {suffix!r}")


def _frame_records(df: pd.DataFrame, origin: str, col: _Collector, *, text_column: str | None) -> None:
    if text_column is not None:
        if text_column not in df.columns:
            raise LoadError(f"{origin}: no column {text_column!r}; columns are {list(df.columns)}")
        tcol = text_column
    else:
        tcol = _pick_column(df.columns, TEXT_COLUMN_CANDIDATES)
        if tcol is None:
            raise LoadError(
                f"{origin}: no text column; expected one of {', '.join(TEXT_COLUMN_CANDIDATES)} "
                f"(or pass text_column=...), found columns {list(df.columns)}")
    idcol = _pick_column(df.columns, ID_COLUMN_CANDIDATES)
    metacols = {key: _pick_column(df.columns, names) for key, names in META_ALIASES.items()}
    stem = Path(origin).stem if origin != "<DataFrame>" else "row"
    for pos, row in enumerate(df.to_dict("records")):
        where = f"{origin}#row={pos}"
        raw = row.get(tcol)
        if not _present(raw):
            col.problem(where, "empty", f"empty {tcol!r} column")
            continue
        if not isinstance(raw, str):
            raw = str(raw)
        if idcol is not None and _present(row.get(idcol)):
            aid = Path(str(row[idcol]).strip()).stem if idcol in ("file", "filename") else str(row[idcol]).strip()
        else:
            aid = f"{stem}-{pos:05d}"
        meta = {key: row.get(c) for key, c in metacols.items() if c is not None}
        raw_fixed, repaired = _repair_mojibake(raw)
        if repaired:
            col.problem(where, "repaired_mojibake", "UTF-8 text that had been decoded as cp1252 was repaired")
        if not normalize_text(raw_fixed):
            col.problem(where, "empty", "nothing but whitespace and invisible characters")
            continue
        col.records.append(_article_record(aid, where, raw_fixed, "utf-8", meta))


def _iter_folder(folder: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            out.append(Path(root) / name)
    return out


def _sidecar_in(folder: Path) -> Path | None:
    for name in ("metadata.csv", "metadata.tsv", "metadata.jsonl", "metadata.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def _load_metadata(metadata) -> pd.DataFrame | None:
    if metadata is None:
        return None
    if isinstance(metadata, pd.DataFrame):
        df = metadata.copy()
        origin = "<metadata DataFrame>"
    else:
        path = Path(metadata)
        if not path.exists():
            raise LoadError(f"{path}: metadata file does not exist")
        df = _read_table(path)
        origin = str(path)
    key = _pick_column(df.columns, ("article_id", "id", "file", "filename", "path"))
    if key is None:
        raise LoadError(f"{origin}: metadata needs an 'article_id' (or 'file') column; found {list(df.columns)}")
    df = df.rename(columns={key: "article_id"})
    df["article_id"] = [Path(str(v).strip()).stem if key in ("file", "filename", "path") else str(v).strip()
                        for v in df["article_id"]]
    return df


def _apply_metadata(records: list[dict], meta: pd.DataFrame | None, col: _Collector, origin: str) -> None:
    if meta is None or meta.empty:
        return
    by_id = {r["article_id"]: r for r in records}
    metacols = {key: _pick_column(meta.columns, names) for key, names in META_ALIASES.items()}
    for row in meta.to_dict("records"):
        aid = row["article_id"]
        rec = by_id.get(aid)
        if rec is None:
            if aid:
                col.problem(origin, "metadata_unmatched", f"metadata row for {aid!r} matches no article")
            continue
        for key, c in metacols.items():
            if c is None or c == "article_id" or not _present(row.get(c)):
                continue
            rec[key] = str(row[c]).strip()
            if key == "outlet":
                rec["outlet_source"] = "metadata"
        for c, v in row.items():
            # extra user columns are carried along as metadata columns
            if c not in metacols.values() and c != "article_id" and c not in rec and _present(v):
                rec[c] = v


def _unique_ids(paths: list[Path], base: Path | None) -> list[str]:
    stems = [p.stem for p in paths]
    counts = pd.Series(stems).value_counts()
    out = []
    for p, stem in zip(paths, stems):
        if counts.get(stem, 0) > 1:
            rel = p.relative_to(base) if base is not None and p.is_relative_to(base) else p
            out.append(rel.with_suffix("").as_posix() + p.suffix.replace(".", "_"))
        else:
            out.append(stem)
    return out


def read_articles(source, *, metadata=None, text_column: str | None = None,
                  progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read articles from a folder, file(s), a table file or a DataFrame.

    ``source``
        a folder (read recursively: ``.txt``/``.md`` files are articles, ``.csv``/``.jsonl``/
        ``.parquet`` files are tables of articles, ``metadata.csv`` is the sidecar, hidden
        files and folders are skipped, anything else is a ``problems`` row); a path or a list of
        paths; a CSV/TSV/JSON/JSONL/Parquet file with a text column (``text``, ``body``,
        ``content``, ... or ``text_column=``) and optional metadata columns (``article_id``,
        ``outlet``/``source``, ``title``, ``author``, ``published``/``date``, ``url``); or a
        DataFrame with the same columns.
    ``metadata``
        a sidecar table (path or DataFrame) keyed by ``article_id`` (or ``file``) whose
        non-empty cells fill or override the fields parsed from the text. A folder's own
        ``metadata.csv`` is used when no ``metadata`` is given.
    ``progress``
        a tqdm progress bar; by default shown when reading more than 200 files.

    Returns ``(articles, problems)``: one row per article, and one row per input that did
    not become an article (or that did, with a warning). Nothing is dropped silently.
    Raises :class:`LoadError` for a missing path, an unreadable table or a table without a
    text column, naming the file.
    """
    articles, problems, _ = _read_articles(source, metadata=metadata, text_column=text_column,
                                           progress=progress)
    return articles, problems


def _read_articles(source, *, metadata=None, text_column: str | None = None,
                   progress: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """:func:`read_articles`, plus the layout spans parsed on the way (article id ->
    :attr:`Layout.spans`), so that :func:`analystkit.tokens.split_paragraphs` need not parse
    every text a second time."""
    col = _Collector()
    base: Path | None = None
    sidecar = None
    if isinstance(source, pd.DataFrame):
        _frame_records(source, "<DataFrame>", col, text_column=text_column)
    else:
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if not path.exists():
                raise LoadError(f"{path}: no such file or folder")
            if path.is_dir():
                base = path
                files = _iter_folder(path)
                sidecar = _sidecar_in(path) if metadata is None else None
                if not files:
                    raise LoadError(f"{path}: the folder holds no files")
            else:
                files = [path]
        else:
            files = [Path(p) for p in source]
            if not files:
                raise LoadError("no input files given")
        text_files: list[Path] = []
        for f in files:
            if sidecar is not None and f == sidecar:
                continue
            if f.name.startswith("."):
                continue
            if not f.exists():
                col.problem(f, "missing", "no such file")
            elif f.is_dir():
                col.problem(f, "not_a_file", "a folder inside a list of files; pass the folder itself")
            elif f.suffix.lower() in TABLE_SUFFIXES:
                if base is None:
                    _frame_records(_read_table(f), str(f), col, text_column=text_column)
                else:
                    # inside a folder a table may be anything (gold labels, exports): a table
                    # without a text column is a problem row, not a reason to stop
                    try:
                        _frame_records(_read_table(f), str(f), col, text_column=text_column)
                    except LoadError as exc:
                        col.problem(f, "not_articles", str(exc).split(": ", 1)[-1])
            elif f.suffix.lower() in TEXT_SUFFIXES or f.suffix == "":
                text_files.append(f)
            else:
                col.problem(f, "unsupported_type",
                            f"{f.suffix} files are not read; supported: "
                            f"{', '.join(sorted(TEXT_SUFFIXES | TABLE_SUFFIXES))}")
        ids = _unique_ids(text_files, base)
        show = progress if progress is not None else len(text_files) > 200
        iterator = zip(text_files, ids)
        if show:
            from tqdm.auto import tqdm
            iterator = tqdm(iterator, total=len(text_files), desc="reading articles", unit="file")
        for f, aid in iterator:
            _read_file(f, aid, col)

    meta = _load_metadata(metadata if metadata is not None else sidecar)
    _apply_metadata(col.records, meta, col, str(metadata if metadata is not None else sidecar))

    # outlets: metadata > byline > url domain > dateline agency > honest unknown label
    for rec in col.records:
        byline_outlet = rec.pop("_outlet_byline", None)
        agency = rec.pop("_agency", None)
        if rec["outlet"]:
            continue
        if byline_outlet:
            rec["outlet"], rec["outlet_source"] = byline_outlet, "byline"
        elif rec["url"]:
            host = re.sub(r"^(?:https?://)?(?:www\.)?", "", rec["url"]).split("/")[0].split(":")[0]
            rec["outlet"], rec["outlet_source"] = (host.lower(), "url") if host else (None, None)
        if not rec["outlet"] and agency:
            rec["outlet"], rec["outlet_source"] = agency, "dateline"
        if not rec["outlet"]:
            rec["outlet"], rec["outlet_source"] = f"Unknown outlet ({rec['article_id']})", "unknown"

    # duplicate ids (tables) and duplicate texts
    kept: list[dict] = []
    seen_ids: dict[str, int] = {}
    seen_text: dict[str, str] = {}
    spans: dict[str, list] = {}
    for rec in col.records:
        rec_spans = rec.pop("_spans")
        key = re.sub(r"\s+", " ", rec["text"]).strip().casefold()
        if key in seen_text:
            col.problem(rec["path"], "duplicate", f"same text as article {seen_text[key]!r}")
            continue
        aid = rec["article_id"]
        if aid in seen_ids:
            seen_ids[aid] += 1
            rec["article_id"] = f"{aid}~{seen_ids[aid]}"
        else:
            seen_ids[aid] = 1
        seen_text[key] = rec["article_id"]
        spans[rec["article_id"]] = rec_spans
        kept.append(rec)

    articles = pd.DataFrame(kept)
    extra = [c for c in articles.columns if c not in ARTICLE_COLUMNS]
    articles = articles.reindex(columns=ARTICLE_COLUMNS + extra)
    articles = _article_dtypes(articles)
    problems = pd.DataFrame(col.problems, columns=PROBLEM_COLUMNS).astype(
        {"path": "str", "reason": "str", "detail": "str"})
    return articles, problems, spans


def _article_dtypes(articles: pd.DataFrame) -> pd.DataFrame:
    articles = articles.copy()
    for c in ("article_id", "path", "outlet", "outlet_source", "text", "encoding"):
        articles[c] = articles[c].astype("str")
    for c in ("title", "standfirst", "author", "published", "url", "dateline"):
        articles[c] = articles[c].astype("object").where(articles[c].notna(), None)
    articles["n_chars"] = articles["n_chars"].astype("int64")
    articles["truncated"] = articles["truncated"].astype(bool)
    for c in ("subheadings", "cited_sources"):
        articles[c] = [list(v) if isinstance(v, (list, tuple)) else [] for v in articles[c]]
    return articles.reset_index(drop=True)
