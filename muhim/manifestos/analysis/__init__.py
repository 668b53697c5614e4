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
            "language": self.language,
        }


def analyse_file(data, filename, *, language=None, progress=None):
    raise NotImplementedError


def read_coded(data, filename=""):
    raise NotImplementedError
