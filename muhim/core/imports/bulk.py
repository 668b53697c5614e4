"""Inserting many new rows, with their change history, at close to the database's own speed.

`QuerySet.bulk_create` builds a model instance per row and compiles every value through the SQL
compiler; at 100,000 rows that costs a hundred times what SQLite needs to store them. Imports
have already validated every row, so here each column's conversion is decided once and the
rows go to the database with `executemany`. History rows (django-simple-history's tables) are
written the same way, so an imported record's history still says who imported it and when.

Only inserts are done this way; updates of existing records keep the ORM (they are the rare
case and need the old values for history)."""

from django.db import connection, models
from django.utils import timezone

# Column types whose Python values the database drivers take as they are.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def _column_plan(model, fields, now):
    """For each field: (attname, column, default value, converter or None)."""
    plan = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        elif field.null:
            default = None
        elif field.empty_strings_allowed:
            default = ""
        else:
            default = None
        convert = None
        if field.get_internal_type() not in PLAIN_TYPES:

            def convert(value, field=field):
                return None if value is None else field.get_db_prep_save(value, connection)

        plan.append((field, default, convert))
    return plan


def _value(row, field, default):
    if field.attname in row:
        return row[field.attname]
    if field.name in row:
        value = row[field.name]
        return value.pk if isinstance(value, models.Model) else value
    return default


def _insert(model, fields, rows, now):
    """Insert and return each row as stored: {attname: Python value}, defaults filled in."""
    plan = _column_plan(model, fields, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f, _d, _c in plan)
    placeholders = ", ".join(["%s"] * len(plan))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    params, stored = [], []
    for row in rows:
        values, resolved = [], {}
        for field, default, convert in plan:
            value = _value(row, field, default)
            resolved[field.attname] = value
            values.append(convert(value) if convert else value)
        params.append(values)
        stored.append(resolved)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return stored


def insert_rows(model, rows, *, key_fields, user=None, reason=""):
    """Insert `rows` (dicts of field name or attname → value; model instances for foreign keys)
    into `model`'s table and, if the model keeps history, one '+' history row each. Returns
    {key tuple: primary key} for the inserted rows, keys as in `key_fields`."""
    if not rows:
        return {}
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in rows[0]]
    stored = _insert(model, fields, rows, now)

    key_attnames = [model._meta.get_field(name).attname for name in key_fields]
    filters = {f"{attname}__in": {row[attname] for row in stored} for attname in key_attnames}
    pks = {
        tuple(values[:-1]): values[-1]
        for values in model._default_manager.filter(**filters).values_list(*key_attnames, "pk")
    }

    history = getattr(model, "history", None)
    if history is not None:
        history_model = history.model
        pk_attname = model._meta.pk.attname
        special = {
            "history_date": now,
            "history_change_reason": reason or None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
        }
        history_rows = []
        for row in stored:
            key = tuple(row[attname] for attname in key_attnames)
            history_rows.append({**row, pk_attname: pks[key], **special})
        history_fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
        _insert(history_model, history_fields, history_rows, now)
    return pks
