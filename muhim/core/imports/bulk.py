"""Inserting many new rows, with their change history, at close to the database's own speed.

`QuerySet.bulk_create` builds a model instance per row and compiles every value through the SQL
compiler; at 100,000 rows that costs many times what the database needs to store them.
Imports have already validated every row, so here each column's conversion is decided once and
the rows go to the database with `executemany`. History rows (django-simple-history's tables)
are written the same way from the same converted values, so an imported record's history still
says who imported it and when.

Only inserts are done this way; updates of existing records keep the ORM (they are the rarer
case and history needs the old values)."""

from operator import itemgetter

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
_MISSING = object()


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    return "" if field.empty_strings_allowed else None


def _converter(field):
    if field.get_internal_type() in PLAIN_TYPES:
        return None

    def convert(value):
        return None if value is None else field.get_db_prep_save(value, connection)

    return convert


def _insert_sql(model, columns):
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"


def _row_params(model, fields, rows, now):
    """The database values of `rows` for `fields`, in order. A column no row mentions holds its
    default everywhere and is converted once."""
    constant, dynamic = {}, []
    for index, field in enumerate(fields):
        # Rows of one import name a field the same way: by attname ("parent_id") or by name
        # ("parent", a model instance).
        if any(field.attname in row for row in rows):
            key, unwrap = field.attname, False
        elif any(field.name in row for row in rows):
            key, unwrap = field.name, field.is_relation
        else:
            convert = _converter(field)
            value = _default(field, now)
            constant[index] = convert(value) if convert else value
            continue
        dynamic.append((index, key, unwrap, _default(field, now), _converter(field)))
    template = [constant.get(i) for i in range(len(fields))]
    params = []
    for row in rows:
        values = template.copy()
        for index, key, unwrap, default, convert in dynamic:
            value = row.get(key, default)
            if unwrap and isinstance(value, models.Model):
                value = value.pk
            values[index] = value if convert is None or value is None else convert(value)
        params.append(values)
    return params


def select_keys(model, key_attnames, keys):
    """{key tuple: primary key} of the rows whose key columns hold one of `keys`. Plain SQL:
    Django would prepare each of thousands of IN values one by one."""
    keys = set(keys)
    if not keys:
        return {}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(a).column) for a in key_attnames]
    found = {}
    # Narrow by the first key column, then match whole keys here.
    first_values = sorted({k[0] for k in keys}, key=str)
    step = min(connection.features.max_query_params or 5000, 5000)
    with connection.cursor() as cursor:
        for start in range(0, len(first_values), step):
            batch = first_values[start : start + step]
            cursor.execute(
                f"SELECT {', '.join(columns)}, {pk_column} FROM {table} "
                f"WHERE {columns[0]} IN ({', '.join(['%s'] * len(batch))})",
                batch,
            )
            for row in cursor.fetchall():
                key = tuple(row[:-1])
                if key in keys:
                    found[key] = row[-1]
    return found


def insert_rows(model, rows, *, key_fields, user=None, reason=""):
    """Insert `rows` (dicts of field name or attname → value; model instances for foreign keys)
    into `model`'s table and, if the model keeps history, one '+' history row each. Key fields
    must be plain columns (text, numbers, foreign keys). Returns {key tuple: primary key}."""
    if not rows:
        return {}
    now = timezone.now()
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])]
    params = _row_params(model, fields, rows, now)
    position = {f.attname: i for i, f in enumerate(fields)}
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, [f.column for f in fields]), params)

    key_attnames = [meta.get_field(name).attname for name in key_fields]
    key_of = itemgetter(*[position[a] for a in key_attnames])
    row_keys = [key_of(values) for values in params]
    if len(key_attnames) == 1:
        row_keys = [(key,) for key in row_keys]
    pks = select_keys(model, key_attnames, row_keys)

    history = getattr(model, "history", None)
    if history is not None:
        history_fields = [f for f in history.model._meta.concrete_fields if f.attname != "history_id"]
        special = {
            "history_date": history.model._meta.get_field("history_date").get_db_prep_save(now, connection),
            "history_change_reason": reason or None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
        }
        pk_attname = meta.pk.attname
        # Each history column is a column of the record (same type, so the same converted value),
        # the record's key, or one of simple-history's own.
        sources = []
        for field in history_fields:
            if field.attname == pk_attname:
                sources.append(("pk", None))
            elif field.attname in special:
                sources.append(("constant", special[field.attname]))
            elif field.attname in position:
                sources.append(("column", position[field.attname]))
            else:
                convert = _converter(field)
                value = _default(field, now)
                sources.append(("constant", convert(value) if convert else value))
        history_params = []
        for values, key in zip(params, row_keys, strict=True):
            pk = pks[key]
            history_params.append(
                [pk if kind == "pk" else values[arg] if kind == "column" else arg for kind, arg in sources]
            )
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(history.model, [f.column for f in history_fields]), history_params)
    return pks
