"""The API's CSV/XLSX rows: nested objects flattened into columns a spreadsheet reads."""

from muhim.core.api.renderers import to_dataset


def test_a_list_of_unnamed_objects_is_written_as_their_values_not_python_notation():
    data = to_dataset(
        [
            {
                "id": 5,
                "party": {"slug": "pti", "name": "PTI"},
                "demands": [
                    {"rank": 1, "demand": "تعلیم", "is_education": True, "share": "47.00"},
                    {"rank": 2, "demand": "Water", "is_education": False, "share": None},
                ],
                "parties": [{"name": "PTI"}, {"name": "PML-N"}],
            }
        ]
    )
    row = dict(zip(data.headers, data[0], strict=True))
    assert row["party.name"] == "PTI"
    assert row["parties"] == "PTI; PML-N"
    assert row["demands"] == (
        "rank: 1, demand: تعلیم, is_education: True, share: 47.00; rank: 2, demand: Water, is_education: False"
    )
    assert "{" not in row["demands"]
