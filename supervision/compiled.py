"""Fixed-shape queries compiled to SQL once per process and database, then run with new values.

Building a Django queryset and compiling it to SQL costs far more than running it for the
small indexed queries a page makes: the log page's own row took 14 M instructions to build
and compile and 0.6 M to run; the unread count, on every page, 1.5 M. A query whose shape
never changes, only its values (the person, the day, the log, the page of a list), is
compiled here once per process and database, and after that only its parameters change.

    UNREAD = FixedQuery(
        lambda person: Notification.objects.filter(recipient_id=person, read_at__isnull=True),
        person=int,
    )
    UNREAD.count(person=request.user.pk)

How it stays safe. The function that builds the queryset receives stand-in values for its
named slots (`int`, `datetime.date`, `datetime.datetime`, `str`, or `(int, n)` for a list of
n ints), and the query is compiled twice with two different sets of stand-ins. The SQL text
must be the same both times and every stand-in must appear among the parameters; any other
parameter must be the same both times. So a query whose shape depends on the values, a slot
that is dropped or transformed on the way (`__year`, `__date`), or a value that changes
between calls without being a slot (`timezone.now()`) is refused with an error the first
time it is used, rather than cached. What the check cannot see is a value that is the same
in both compilations and yet changes later (`timezone.localdate()` called inside the
builder): the day, like the person, must be a slot. Each query here has a test that runs it
for two people and two dates and compares it with the ORM's own answer.

The results are what the ORM would give: Django's converters are applied (dates on SQLite,
time zones), and `objects()` builds model instances with their `select_related` rows and
annotations. Queries run through Django's cursor, so they count in `assertNumQueries` and
the debug tools. A database connection whose vendor differs gets its own compilation.
"""

import datetime
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql import InsertQuery
from django.utils import timezone

Slot = type | tuple[type, int]

# Two sets of stand-ins, far from any value real data would hold in the same place.
_STANDINS: dict[type, Callable[[int, int], Any]] = {
    int: lambda k, run: 1_987_650_001 + 2 * k + run,
    str: lambda k, run: f"~slot{k}.{run}~",
    datetime.date: lambda k, run: datetime.date(1901 + run, 2, 1 + k),
    datetime.datetime: lambda k, run: datetime.datetime(
        1901 + run, 2, 1 + k, 3, 4, 5, tzinfo=datetime.UTC
    ),
}


class ShapeError(RuntimeError):
    """The query cannot be compiled once: its shape or a parameter depends on something
    other than its slots."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the constants, with None where a slot's value goes
    positions: tuple[tuple[int, str, int | None], ...]  # (param index, slot name, list index)
    converters: dict
    compiler: Any  # keeps select, klass_info and annotation_col_map for objects()
    populators: list


class FixedQuery:
    """One query of a fixed shape; see the module's docstring."""

    def __init__(
        self, build: Callable[..., QuerySet], *, as_given: tuple[str, ...] = (), **slots: Slot
    ):
        """`as_given` names integer columns taken as the database gives them: Django passes
        every integer an expression computes (a constant, a COUNT, a COALESCE) through
        `int()` again, row by row; PostgreSQL and SQLite give ints already, so a query of
        many rows whose only conversions are these skips the pass over its rows. A test
        compares the rows with the ORM's on both databases."""
        self._build = build
        self._slots = slots
        self._as_given = frozenset(as_given)
        self._compiled: dict[tuple[str, str, str, str], _Compiled] = {}
        self._using: str | None = None

    # ------------------------------------------------------------------ running

    def count(self, **values: Any) -> int:
        """How many rows the query gives (`queryset.count()`)."""
        compiled = self._get("count")
        with connections[self._alias()].cursor() as cursor:
            cursor.execute(compiled.sql, self._params(compiled, values))
            return cursor.fetchone()[0]

    def rows(self, *, limit: int | None = None, offset: int = 0, **values: Any) -> list[tuple]:
        """The rows of a `values_list()` query as tuples, converted as the ORM converts them.
        `limit` and `offset` are written into the SQL as numbers (see `_sliced`)."""
        compiled = self._get("rows")
        params = self._params(compiled, values)
        sql = compiled.sql if limit is None else _sliced(compiled.sql, limit, offset)
        return list(self._run(compiled, params, sql))

    def objects(self, **values: Any) -> list[Model]:
        """The model instances of a model query, with `select_related` rows and annotations."""
        compiled = self._get("rows")
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        names = [f[0].target.attname for f in select[start:end]]
        found = []
        for row in self._run(compiled, self._params(compiled, values)):
            obj = model.from_db(compiler.using, names, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def orm(self, **values: Any) -> QuerySet:
        """The queryset itself, built by the ORM for these values (for tests: the compiled
        query must give what the ORM gives)."""
        return self._build(**values)

    def sql(self, kind: str = "rows", *, limit: int | None = None, offset: int = 0) -> str:
        """The compiled SQL (for tests and for reading); with `limit`, a page's."""
        sql = self._get(kind).sql
        return sql if limit is None else _sliced(sql, limit, offset)

    def params(self, kind: str = "rows", **values: Any) -> list:
        """The parameters the SQL is run with for these values (for tests)."""
        return self._params(self._get(kind), values)

    # ------------------------------------------------------------------ compiling

    def _alias(self) -> str:
        """The database the queryset reads from, found once (building it costs)."""
        if self._using is None:
            self._using = self._build(**self._standins(0)).db
        return self._using

    def _get(self, kind: str) -> _Compiled:
        if kind not in ("rows", "count"):
            raise ValueError(f"A query is compiled for its rows or its count, not {kind!r}.")
        alias = self._alias()
        # A local day (`__date`) puts the current time zone's name in the SQL as a constant:
        # each time zone has its own compilation.
        key = (alias, connections[alias].vendor, kind, timezone.get_current_timezone_name())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(kind)
        return compiled

    def _standins(self, run: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        counter = itertools.count()
        for name, slot in self._slots.items():
            if isinstance(slot, tuple):
                kind, n = slot
                values[name] = [_STANDINS[kind](next(counter), run) for _ in range(n)]
            else:
                values[name] = _STANDINS[slot](next(counter), run)
        return values

    def _sql_of(self, queryset: QuerySet, kind: str):
        if kind == "count":
            queryset = queryset.order_by()
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if kind == "count":
            # Django's own compiled SQL; every value in it is still a parameter.
            sql = f"SELECT COUNT(*) FROM ({sql}) counted"  # noqa: S608
        return compiler, sql, tuple(params)

    def _compile(self, kind: str) -> _Compiled:
        runs = [self._standins(0), self._standins(1)]
        (compiler, sql, params), (_, sql_b, params_b) = (
            self._sql_of(self._build(**values), kind) for values in runs
        )
        if sql != sql_b or len(params) != len(params_b):
            raise ShapeError("The query's SQL changes with its values: it has no fixed shape.")
        adapted = [self._adapted(values, compiler.connection) for values in runs]
        positions = []
        for index, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if a == b:
                continue
            slot = next(
                (key for key, value in adapted[0].items() if value == a and adapted[1][key] == b),
                None,
            )
            if slot is None:
                raise ShapeError(f"Parameter {index} changes between calls and is not a slot.")
            positions.append((index, *slot))
        missing = set(self._slots) - {name for _, name, _ in positions}
        if missing:
            raise ShapeError(f"Slots {sorted(missing)} are not parameters of the SQL.")
        sql, params, positions = _inlined(sql, params, positions)
        constants = tuple(
            None if i in {p[0] for p in positions} else v for i, v in enumerate(params)
        )
        converters = {}
        populators: list = []
        if kind != "count":
            fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
            converters = compiler.get_converters(fields)
            if self._as_given:
                names = [alias for _, _, alias in compiler.select[0 : compiler.col_count]]
                if not self._as_given <= set(names):
                    raise ShapeError(f"No columns {sorted(self._as_given - set(names))}.")
                converters = {
                    position: converter
                    for position, converter in converters.items()
                    if names[position] not in self._as_given
                }
            if compiler.klass_info:
                populators = get_related_populators(
                    compiler.klass_info, compiler.select, compiler.using
                )
        return _Compiled(sql, constants, tuple(positions), converters, compiler, populators)

    def _adapted(self, values: dict[str, Any], connection) -> dict[tuple[str, int | None], Any]:
        """Each slot's value (each item of a list slot) as the database receives it."""
        found: dict[tuple[str, int | None], Any] = {}
        for name, value in values.items():
            if isinstance(value, list):
                for i, item in enumerate(value):
                    found[(name, i)] = _adapt(item, connection)
            else:
                found[(name, None)] = _adapt(value, connection)
        return found

    def _params(self, compiled: _Compiled, values: dict[str, Any]) -> list:
        if set(values) != set(self._slots):
            raise TypeError(f"Expected values for {sorted(self._slots)}, got {sorted(values)}.")
        connection = connections[self._alias()]
        params = list(compiled.params)
        for index, name, item in compiled.positions:
            value = values[name] if item is None else values[name][item]
            params[index] = _adapt(value, connection)
        return params

    def _run(self, compiled: _Compiled, params: list, sql: str | None = None) -> Iterator[tuple]:
        connection = connections[self._alias()]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql if sql is None else sql, params)
            rows = cursor.fetchall()
        converters = list(compiled.converters.items())
        for row in rows:
            if converters:
                row = list(row)
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            yield tuple(row)


# A constant written into the SQL: a plain name (a status, a decision, a kind) or an integer.
_LITERAL_TEXT = re.compile(r"[A-Za-z0-9_]{1,64}")
_PLACEHOLDER = re.compile(r"(%%|%s)")


def _literal(value: Any) -> str | None:
    """`value` as SQL text if it may be written into the SQL, else None. Only integers and
    plain names (letters, digits, underscores) qualify, so nothing written in can be read as
    SQL; a date, a boolean or any other text stays a parameter."""
    if type(value) is int:
        return str(value)
    if isinstance(value, str) and _LITERAL_TEXT.fullmatch(value):
        return f"'{str.__str__(value)}'"
    return None


def _inlined(sql: str, params: tuple, positions: list) -> tuple[str, tuple, list]:
    """The query with its constants (the parameters that are the same whoever asks: a status
    such as 'submitted', a decision) written into the SQL, its slots still parameters.

    Why: PostgreSQL keeps one plan for a prepared query, made without its parameters' values
    (`docs/performance.md`, "Prepared statements"). With the status a parameter, the plan it
    could keep must serve any status, so it kept planning the queue's query anew at every
    run (it judged a plan made with the value cheaper); with the status in the SQL, the plan
    made once knows it. Slots are never written in: the person and the day stay parameters,
    so the SQL is the same for everyone. Done on every database, so that the tests on
    SQLite run the same SQL text as production does, but for its placeholders."""
    pieces = _PLACEHOLDER.split(sql)
    holes = [i for i, piece in enumerate(pieces) if piece == "%s"]
    if len(holes) != len(params):
        return sql, params, positions  # not plain placeholders: leave the query as it is
    slots = {p[0] for p in positions}
    kept: list = []
    renumbered: dict[int, int] = {}
    for index, (hole, value) in enumerate(zip(holes, params, strict=True)):
        literal = None if index in slots else _literal(value)
        if literal is None:
            renumbered[index] = len(kept)
            kept.append(value)
        else:
            pieces[hole] = literal
    moved = [(renumbered[index], *rest) for index, *rest in positions]
    return "".join(pieces), tuple(kept), moved


def _sliced(sql: str, limit: int, offset: int) -> str:
    """A page of the query: `limit` and `offset` written into the SQL as numbers. As
    parameters, PostgreSQL's kept plan could not know how few rows a page wants and guessed
    a tenth of them, so it planned a list's page anew at every run; in the SQL, each page
    size has its own kept plan (a page is 20 rows, a strip's section 4)."""
    if type(limit) is not int or type(offset) is not int or limit < 0 or offset < 0:
        raise TypeError("A page's limit and offset are whole numbers, not below zero.")
    return f"{sql} LIMIT {limit} OFFSET {offset}"


def _adapt(value: Any, connection) -> Any:
    """A value as Django sends it to this database (dates as text on SQLite)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def prefetched(
    instance: Model, name: str, objects: list[Model], *, back: str | None = None
) -> None:
    """Leave `instance.<name>.all()` giving `objects`, as `prefetch_related` leaves it (the
    related manager reads the instance's prefetch cache), for objects a FixedQuery read:
    the relation's own queryset is never built. `back` names the objects' foreign key to
    `instance`, set as the ORM's prefetch sets it, so reading it back costs no query."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    field = instance._meta.get_field(name)
    found: QuerySet = QuerySet(model=field.related_model)  # type: ignore[arg-type]
    found._result_cache = objects  # type: ignore[attr-defined]
    found._prefetch_done = True  # type: ignore[attr-defined]
    cache[name] = found
    if back is not None:
        for obj in objects:
            setattr(obj, back, instance)


class FixedInsert:
    """One row into one model's table, the INSERT compiled once per process and database.

    `Model.objects.create()` builds and compiles its INSERT on every call; a row written on
    every visit of a page (the audit trail's) pays that each time. The SQL here is Django's
    own, compiled once; each call prepares its values as the fields prepare them for a save
    (`get_db_prep_save`: time zones, dates as text on SQLite). No model instance is made, no
    signal is sent and nothing is returned: for append-only rows nobody reads back at once.
    A test writes the same row both ways on each database and compares them.
    """

    def __init__(self, model: type[Model], *fields: str):
        self._model = model
        self._fields: tuple[Field, ...] = tuple(
            cast(Field, model._meta.get_field(name)) for name in fields
        )
        self._compiled: dict[tuple[str, str], str] = {}

    def insert(self, **values: Any) -> None:
        if set(values) != {f.name for f in self._fields}:
            raise TypeError(f"Expected values for {[f.name for f in self._fields]}.")
        alias = router.db_for_write(self._model)
        connection = connections[alias]
        key = (alias, connection.vendor)
        sql = self._compiled.get(key)
        if sql is None:
            sql = self._compiled[key] = self._compile(alias)
        params = [f.get_db_prep_save(values[f.name], connection) for f in self._fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _compile(self, alias: str) -> str:
        query = InsertQuery(self._model)
        query.insert_values(list(self._fields), [self._model()])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = None  # type: ignore[attr-defined]
        ((sql, params),) = compiler.as_sql()
        if len(params) != len(self._fields) or sql.count("%s") != len(self._fields):
            raise ShapeError("The INSERT does not take one plain parameter per field.")
        return sql
