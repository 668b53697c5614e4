"""Analyse a manifesto file and print the result, storing nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from muhim.manifestos.analysis import ManifestoError, analyse_file, read_coded

SHOWN_SENTENCES = 200  # education sentences printed by --format text


class Command(BaseCommand):
    help = (
        "Analyse a manifesto (PDF, DOCX or plain text, English or Urdu; or with --coded a CSV of "
        "text,cmp_code rows) without storing anything: its quasi-sentences, how many are about "
        "education expansion, the education share (the Manifesto Project's per506 rule) and the "
        "education funding commitments found in it.\n\n"
        "Examples: manage.py analyse_manifesto pti-2018.pdf --format json\n"
        "          manage.py analyse_manifesto manifesto-ur.txt --language ur\n"
        "          manage.py analyse_manifesto 74628_201806.csv --coded"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The manifesto file.")
        parser.add_argument("--format", choices=["json", "text"], default="text", help="What to print.")
        parser.add_argument(
            "--language",
            choices=["en", "ur"],
            default=None,
            help="The manifesto's language (default: detected).",
        )
        parser.add_argument(
            "--coded",
            action="store_true",
            help="The file is pre-coded quasi-sentences (CSV: text,cmp_code); a .csv file, or one whose "
            "first line names cmp_code, is read so without it.",
        )

    def handle(self, *args, path: Path, format: str, language: str | None, coded: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        from muhim.manifestos.models import Manifesto
        from muhim.manifestos.services import detect_source

        # A CSV of text,cmp_code rows is pre-coded, --coded or not, as on the upload page.
        coded = coded or detect_source(data, path.name) == Manifesto.Source.CODED
        try:
            if coded:
                analysis = read_coded(data, path.name)
            else:
                analysis = analyse_file(
                    data, path.name, language=language, progress=self._progress(format, options["verbosity"])
                )
        except ManifestoError as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            self.stdout.write(json.dumps(analysis.as_dict(), ensure_ascii=False, indent=2))
            return
        self._summary(path, analysis)

    def _progress(self, format, verbosity):
        if format == "json" or verbosity < 2:
            return None
        return lambda percent: self.stderr.write(_("Analysed %(percent)s%%") % {"percent": percent})

    def _summary(self, path, analysis):
        write = self.stdout.write
        share = analysis.education_share
        write(_("Manifesto: %(name)s") % {"name": path.name})
        if analysis.pages:
            write(_("Pages: %(pages)s") % {"pages": analysis.pages})
        write(_("Language: %(language)s") % {"language": analysis.language})
        write(_("Quasi-sentences: %(count)s (headings left out)") % {"count": analysis.quasi_sentences})
        write(_("Education quasi-sentences: %(count)s") % {"count": analysis.education_sentences})
        write(
            _("Education share: %(share)s%%") % {"share": share}
            if share is not None
            else _("Education share: none (no quasi-sentences)")
        )
        for note in analysis.notes():
            write(self.style.WARNING(note))
        write("")
        if analysis.commitments:
            write(_("Funding commitments:"))
            for commitment in analysis.commitments:
                amount = f"{commitment.percent}%" if commitment.percent is not None else "—"
                target = (
                    # xgettext:no-python-format
                    _("meets the 4% of GDP target")
                    if commitment.meets_target
                    # xgettext:no-python-format
                    else _("below the 4% of GDP target")
                )
                write(f"  [{amount} {commitment.measure}; {target}] {commitment.text}")
        else:
            write(_("Funding commitments: none found"))
        write("")
        education = [(i, s) for i, s in enumerate(analysis.sentences) if s.education and not s.is_heading]
        write(_("Education sentences:"))
        for index, sentence in education[:SHOWN_SENTENCES]:
            where = _("p. %(page)s") % {"page": sentence.page} if sentence.page else f"#{index + 1}"
            write(f"  {where} [{sentence.topic or '-'}, {sentence.confidence:.2f}] {sentence.text}")
        if len(education) > SHOWN_SENTENCES:
            write(_("  … and %(more)s more") % {"more": len(education) - SHOWN_SENTENCES})
