"""`manage.py analyse_manifesto` prints an analysis and stores nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from muhim.manifestos.models import FundingCommitment, Manifesto, QuasiSentence

TEXT = (
    "EDUCATION\n"
    "We will spend 4% of GDP on education. Every child will go to a good school.\n"
    "ROADS\n"
    "We will build a motorway to Gwadar. Tolls will be cut.\n"
)


@pytest.mark.django_db
def test_json_output_and_nothing_is_stored(tmp_path, capsys, django_assert_num_queries):
    path = tmp_path / "manifesto.txt"
    path.write_text(TEXT, encoding="utf-8")

    with django_assert_num_queries(0):
        call_command("analyse_manifesto", str(path), "--format", "json")

    printed = json.loads(capsys.readouterr().out)
    assert printed["quasi_sentences"] == 4
    assert printed["education_sentences"] == 2
    assert printed["education_share"] == 50.0
    assert printed["funding_commitments"] == [
        {
            "text": "We will spend 4% of GDP on education.",
            "percent": 4.0,
            "measure": "gdp",
            "meets_target": True,
        }
    ]
    assert not Manifesto.objects.exists()
    assert not QuasiSentence.objects.exists()
    assert not FundingCommitment.objects.exists()


def test_text_output_lists_the_education_sentences(tmp_path, capsys):
    path = tmp_path / "manifesto.txt"
    path.write_text(TEXT, encoding="utf-8")

    call_command("analyse_manifesto", str(path))

    out = capsys.readouterr().out
    assert "Education share: 50.000%" in out
    assert "Every child will go to a good school." in out
    assert "motorway" not in out.split("Education sentences:")[1]
    assert "meets the 4% of GDP target" in out


def test_coded_csv(tmp_path, capsys):
    path = tmp_path / "coded.csv"
    path.write_text("text,cmp_code\nSchools for all.,506\nLower taxes.,402\nTitle,H\n", encoding="utf-8")

    call_command("analyse_manifesto", str(path), "--coded", "--format", "json")

    printed = json.loads(capsys.readouterr().out)
    assert (printed["quasi_sentences"], printed["education_sentences"]) == (2, 1)
    # Without --coded, as on the upload page: a CSV naming cmp_code is read as coded.
    for name in ("coded.csv", "coded.txt"):
        renamed = tmp_path / name
        renamed.write_bytes(path.read_bytes())
        call_command("analyse_manifesto", str(renamed), "--format", "json")
        printed = json.loads(capsys.readouterr().out)
        assert (printed["quasi_sentences"], printed["education_sentences"]) == (2, 1)


def test_a_bad_file_fails_with_the_reason(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("analyse_manifesto", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("analyse_manifesto", str(tmp_path / "missing.txt"))


def test_pages_without_text_are_named_in_both_outputs(tmp_path, capsys):
    from .test_analysis_extract import MANIFESTO_PAGES, pdf_bytes

    path = tmp_path / "part-scanned.pdf"
    path.write_bytes(pdf_bytes([MANIFESTO_PAGES[0], None, None, MANIFESTO_PAGES[1]]))

    call_command("analyse_manifesto", str(path), "--format", "json")
    assert json.loads(capsys.readouterr().out)["pages_without_text"] == [2, 3]
    call_command("analyse_manifesto", str(path))
    assert "Pages 2–3 have no text that can be read" in capsys.readouterr().out
