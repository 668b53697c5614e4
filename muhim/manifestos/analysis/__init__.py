"""Manifesto analysis without the database: read a file's text (PDF, DOCX, plain text), split
it into quasi-sentences, classify each as education expansion or not (with a sub-topic and a
confidence), find funding commitments, and compute the education share by the Manifesto
Project's per506 rule. The Django side (models, the analysis task, the review pages) stores
what `analyse_file` / `read_coded` return; `manage.py analyse_manifesto` prints it.

Public interface (stable; the rest of Muhim imports only these names):

    analyse_file(data: bytes, filename: str, *, language: str | None = None,
                 progress: Callable[[int], None] | None = None) -> Analysis
    read_coded(data: bytes, filename: str = "") -> Analysis      # rows of text,cmp_code[,…]
    ManifestoError                                              # str(exc) says what to fix
"""

from dataclasses import dataclass, field
from decimal import Decimal


class ManifestoError(Exception):
    """The file cannot be analysed; `str(exc)` tells the uploader why and what to do."""


@dataclass
class Sentence:
    text: str
    page: int | None = None
    is_heading: bool = False
    cmp_code: str = ""  # pre-coded manifestos only
    education: bool = False
    topic: str = ""  # a muhim.manifestos.models.Topic value, or ""
    confidence: float = 0.0  # 0..1, how sure the classifier is of `education`


@dataclass
class Commitment:
    text: str  # the sentence it was found in
    sentence_index: int  # index into Analysis.sentences
    percent: Decimal | None
    measure: str  # "gdp" | "budget" | "amount" (FundingCommitment.Measure)
    meets_target: bool  # at least 4% of GDP


@dataclass
class Analysis:
    sentences: list[Sentence] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    pages: int | None = None
    language: str = "en"
    textless_pages: list[int] = field(default_factory=list)  # PDF pages with no text to read

    @property
    def quasi_sentences(self) -> int:
        return sum(1 for s in self.sentences if not s.is_heading)

    @property
    def education_sentences(self) -> int:
        return sum(1 for s in self.sentences if s.education and not s.is_heading)

    @property
    def education_share(self) -> Decimal | None:
        from muhim.manifestos.models import share

        return share(self.education_sentences, self.quasi_sentences)

    def as_dict(self) -> dict:
        """What `analyse_manifesto --format json` prints."""
        return {
            "quasi_sentences": self.quasi_sentences,
            "education_sentences": self.education_sentences,
            "education_share": float(self.education_share) if self.education_share is not None else None,
            "funding_commitments": [
                {
                    "text": c.text,
                    "percent": float(c.percent) if c.percent is not None else None,
                    "measure": c.measure,
                    "meets_target": c.meets_target,
                }
                for c in self.commitments
            ],
            "pages": self.pages,
            "pages_without_text": self.textless_pages,
            "language": self.language,
        }

    def notes(self) -> list[str]:
        """What the uploader should know about a successful analysis."""
        from django.utils.translation import ngettext, pgettext

        if not self.textless_pages:
            return []
        return [
            ngettext(
                "Page %(pages)s has no text that can be read (a picture of a page, or a blank page): "
                "anything printed on it is not counted. If it holds part of the manifesto, upload a "
                "PDF with a text layer, the Word document or the text.",
                "Pages %(pages)s have no text that can be read (pictures of pages, or blank pages): "
                "anything printed on them is not counted. If they hold part of the manifesto, upload "
                "a PDF with a text layer, the Word document or the text.",
                len(self.textless_pages),
            )
            % {"pages": page_ranges(self.textless_pages, pgettext("between listed pages", ", "))}
        ]


def detect_language(text: str) -> str:
    """'ur' when Arabic-script letters outnumber Latin ones, else 'en'."""
    arabic = latin = 0
    for ch in text[:50000]:
        if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
            arabic += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
    return "ur" if arabic > latin else "en"


def analyse_file(data, filename, *, language=None, progress=None):
    """Read, split and classify a manifesto (PDF, DOCX or plain text, judged by its content).
    `filename` is only for messages; `progress(percent)` is called as pages and sentences are
    done. Raises ManifestoError with a message for the uploader."""
    from muhim.manifestos.analysis import classify, funding, split
    from muhim.manifestos.analysis.extract import extract

    def report(percent):
        if progress:
            progress(max(0, min(100, int(percent))))

    extracted = extract(data, progress=report)
    report(60 if extracted.kind == "pdf" else 20)
    units = split.split_blocks(extracted.blocks)
    if not any(not heading for _text, _page, heading in units):
        from django.utils.translation import gettext as _

        raise ManifestoError(
            _("No sentences were found in this file, only headings. Upload the manifesto's full text.")
        )
    report(70)
    language = language or detect_language(" ".join(text for text, _page, _heading in units[:400]))
    texts = [text for text, _page, _heading in units]
    decisions = classify.classify(texts, [heading for _t, _p, heading in units], language)
    report(90)
    sentences = []
    commitments = []
    for index, ((text, page, heading), (education, topic, confidence)) in enumerate(
        zip(units, decisions, strict=True)
    ):
        sentences.append(
            Sentence(
                text=text,
                page=page,
                is_heading=heading,
                education=education and not heading,
                topic=topic if education and not heading else "",
                confidence=confidence,
            )
        )
        if not heading:
            for percent, measure, meets in funding.find(text):
                commitments.append(
                    Commitment(
                        text=text, sentence_index=index, percent=percent, measure=measure, meets_target=meets
                    )
                )
    report(100)
    return Analysis(
        sentences=sentences,
        commitments=commitments,
        pages=extracted.pages,
        language=language,
        textless_pages=extracted.textless_pages,
    )


def page_ranges(pages: list[int], separator: str = ", ") -> str:
    """[1, 2, 3, 7, 9, 10] → "1–3, 7, 9–10"."""
    spans: list[list[int]] = []
    for page in sorted(set(pages)):
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return separator.join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def read_coded(data, filename=""):
    """A pre-coded manifesto (CSV rows of text,cmp_code[,eu_code]); education = code 506."""
    from muhim.manifestos.analysis.coded import read

    return read(data, filename)
