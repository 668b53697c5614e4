from io import StringIO
from django.core.management import call_command
from muhim.geography.models import Constituency

def test_probe(gazetteer, shared_data, tmp_path):
    out = StringIO()
    path = shared_data / "elections-2018" / "na-seats-2018.csv"
    call_command("import", "constituencies", str(path), stdout=out, verbosity=2)
    print(out.getvalue()[-3000:])
    print(Constituency.objects.count())
    out = StringIO()
    call_command("import", "constituencies", str(path), stdout=out)
    print(out.getvalue()[-1500:])
    for c in Constituency.objects.filter(links__isnull=True): print("NOLINK", c)
    print([ (l.area.code, l.area.level) for l in Constituency.objects.get(code="NA-236").links.select_related("area")])
