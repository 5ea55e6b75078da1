"""Search text gets a space before every word, so that searches match word starts (see
organizations.services.search_text_for)."""

from django.db import migrations


def forward(apps, schema_editor):
    from thidua.common.text import fold

    Person = apps.get_model("organizations", "Person")
    batch = []
    for person in Person.objects.only("family_name", "middle_name", "given_name", "cccd").iterator(chunk_size=2000):
        full_name = " ".join(part for part in (person.family_name, person.middle_name, person.given_name) if part)
        person.search_text = " " + " ".join(filter(None, [fold(full_name), person.cccd or ""]))
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_postgresql_search_indexes")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
