"""Billing at a million invoices: list and search, number gaps, chain verification, issuing, PDF.

Needs a running stack (``bench/run.py`` starts one) and the billing database URL::

    uv run python bench/billing_invoices.py --gateway http://127.0.0.1:8000 \
        --identity http://127.0.0.1:8001 \
        --billing-db mysql+pymysql://root@127.0.0.1:3306/clinic_billing

Seeds six years of a big clinic's invoices (see ``billing_data``: about 1,000,000 invoices with
their lines and payments, 80,000 customers, the last 100,000 invoices on the Verifactu chain)
straight into the database with LOAD DATA LOCAL INFILE in primary-key order, and the counters
and chain head where the data ends. Checks that the API's pages are what a plain reference
query over the same rows answers, then measures through the gateway, sequentially on one
keep-alive connection after a warm-up (the kinds taking turns):

- ``GET /api/invoices`` by customer name (accent- and case-insensitive), by number, filtered by
  status, series, customer, patient and issue dates, first and later pages;
- ``GET /api/invoices/number-gaps?year=`` of each year (about 180,000 numbers a year);
- ``GET /api/invoices/chain/verify`` over the 100,000 records;
- issuing: drafts made first, then issued by concurrent clients (``POST …/issue``), the rate
  and the check that the numbers are consecutive and number-gaps and the chain still hold;
- ``GET /api/invoices/{id}/export/pdf`` of random one-page invoices with the renderer warm,
  each asked twice: rendered, then again (the service keeps a PDF per invoice version).

``bench/billing_pdf.py`` times the renderer alone, without the stack.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    and_,
    case,
    create_engine,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))

from billing_data import (
    ISSUER_TAX_ID,
    Clinic,
    chain_rows,
    column_names,
    invoice_lines_of,
    line_rows,
    name_word_rows,
    new_clinic,
)
from billing_data import payment_rows as payment_lines
from common import (
    ApiClient,
    Target,
    insert_rows,
    login,
    loopback_target,
    percentile,
    print_latency_table,
)
from mariadb_memory import buffer_pool

from clinic_billing.infrastructure.tables import (
    chain_heads,
    counters,
    customers,
    invoice_lines,
    invoice_name_words,
    invoices,
    payments,
    verifactu_records,
)
from clinic_shared.text import fold

SEED = 2026
LIST_TARGET_MS = 20.0
GAPS_TARGET_MS = 100.0
CHAIN_TARGET_S = 2.0
ISSUE_TARGET_PER_S = 200.0
PDF_TARGET_MS = 50.0
BATCH = 5000
Params = dict[str, Any]


# ---- seeding ---------------------------------------------------------------------------------


def _load(engine: Engine, table: Table, lines: Iterable[str], columns: list[str]) -> float:
    """LOAD DATA ``lines`` into ``table`` (empty: InnoDB then builds its indexes sorted)."""
    started = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as data:
        data.writelines(lines)
        data.flush()
        with engine.begin() as conn:
            # Both off, InnoDB loads an empty table in bulk (sorted index builds): 6x faster.
            conn.exec_driver_sql("SET SESSION unique_checks = 0, foreign_key_checks = 0")
            # The path is our own temporary file; LOAD DATA takes no parameter for it.
            conn.exec_driver_sql(
                f"LOAD DATA LOCAL INFILE '{data.name}' INTO TABLE {table.name} "
                f"CHARACTER SET utf8mb4 ({', '.join(columns)})"
            )
    return time.perf_counter() - started


def seed(url: str, clinic: Clinic, rng: random.Random) -> None:
    """Load customers, invoices, lines, payments, the chain, counters and head (once)."""
    engine = create_engine(url, connect_args={"local_infile": True})
    if engine.dialect.name != "mysql":
        raise SystemExit("the billing benchmark seeds MariaDB/MySQL only")
    with engine.connect() as conn:
        present = conn.scalar(select(func.count()).select_from(invoices)) or 0
    if present >= len(clinic.invoices):
        print(f"{present} invoices already seeded; reusing them")
        engine.dispose()
        return
    if present:
        raise SystemExit(f"the billing database already holds {present} invoices")
    started = time.perf_counter()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [customer.row(now.isoformat(" ")) for customer in clinic.customers]
    with engine.begin() as conn:
        for start in range(0, len(rows), BATCH):
            insert_rows(conn, customers, rows[start : start + BATCH])
    seconds: dict[str, float] = {}

    def load(table: Table, lines: Iterable[str], skip_id: bool = False) -> None:
        columns = [name for name in column_names(table) if not (skip_id and name == "id")]
        seconds[table.name] = _load(engine, table, lines, columns)

    # Two tables load at once (the server works on each with its own thread) while the next
    # ones' rows are drawn here. In primary-key order InnoDB only appends: the ids are random
    # UUIDs, so the lines are sorted (the AUTO_INCREMENT ones come in order).
    with ThreadPoolExecutor(2) as pool:
        invoice_rows = sorted(invoice_lines_of(clinic, rng))
        loads = [pool.submit(load, invoices, invoice_rows)]
        loads.append(pool.submit(load, invoice_name_words, name_word_rows(invoice_rows)))
        loads.append(pool.submit(load, invoice_lines, list(line_rows(clinic)), True))
        loads.append(pool.submit(load, payments, sorted(payment_lines(clinic))))
        records, last_hash = chain_rows(clinic)
        loads.append(pool.submit(load, verifactu_records, records, True))
        generated = time.perf_counter()
        for job in loads:
            job.result()
    with engine.begin() as conn:
        conn.execute(delete(counters))
        conn.execute(
            insert(counters),
            [{"series": series, "year": year, "last_sequence": sequence, "last_issued_on": day}
             for series, (year, sequence, day) in clinic.heads.items()],
        )  # fmt: skip
        conn.execute(delete(chain_heads))
        conn.execute(
            insert(chain_heads).values(
                issuer_tax_id=ISSUER_TAX_ID, last_position=len(records), last_hash=last_hash
            )
        )
        conn.execute(
            text(
                "ANALYZE TABLE invoices, invoice_lines, payments, verifactu_records, customers, "
                "invoice_name_words"
            )
        )
    loads_text = ", ".join(f"{name} {value:.0f}s" for name, value in seconds.items())
    print(
        f"seeded {len(clinic.customers)} customers, {len(clinic.invoices)} invoices and "
        f"{len(records)} Verifactu records in {time.perf_counter() - started:.0f}s "
        f"(rows drawn for {generated - started:.0f}s; LOAD DATA, two at a time: {loads_text})"
    )
    engine.dispose()


def table_sizes(url: str) -> str:
    """Rows and on-disk size of the invoice tables."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, table_rows, data_length, index_length "
                "FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name "
                "IN ('invoices', 'invoice_lines', 'payments', 'verifactu_records', 'customers')"
            )
        ).all()
    engine.dispose()
    return "; ".join(
        f"{name} ~{count} rows {data / 2**20:.0f}+{index / 2**20:.0f} MiB (data+indexes)"
        for name, count, data, index in rows
    )


# ---- what to ask ------------------------------------------------------------------------------


class Draw:
    """Queries a front desk makes, drawn from the seeded invoices (common customers oftener)."""

    def __init__(self, clinic: Clinic, rng: random.Random) -> None:
        self.rng = rng
        self.issued = [i for i in clinic.invoices if i.number is not None]
        # Patients (first names and two surnames); insurers and companies are not searched so.
        self.named = [i for i in self.issued if i.customer and i.customer.kind == "person"]
        self.first_day = min(i.issued_at for i in self.issued if i.issued_at).date()
        self.last_day = clinic.today

    def _customer_words(self) -> list[str]:
        invoice = self.rng.choice(self.named)
        assert invoice.customer is not None
        return invoice.customer.name.split()

    def _styled(self, words: str) -> str:
        """As people type: accents or not, any case."""
        return self.rng.choice([words, words.lower(), fold(words), words.upper()])

    def surname(self) -> Params:
        words = self._customer_words()
        return {"q": self._styled(self.rng.choice(words[-2:]))}

    def first_and_surname(self) -> Params:
        words = self._customer_words()
        return {"q": self._styled(f"{words[0]} {words[-2]}")}

    def prefix(self) -> Params:
        word = fold(self.rng.choice(self._customer_words()[-2:]))
        return {"q": word[: self.rng.randint(3, 5)]}

    def number(self) -> Params:
        return {"q": str(self.rng.choice(self.issued).number)}

    def last_digits(self) -> Params:
        """The sequence as people read it off a number (``F2026001234`` → ``1234``)."""
        number = self.rng.choice(self.issued).number
        assert number is not None
        return {"q": str(number.sequence)}

    def status(self) -> Params:
        choices = [
            ["paid"],
            ["issued"],
            ["partially_paid"],
            ["draft"],
            ["issued", "partially_paid"],
        ]
        return {"status": self.rng.choice(choices)}

    def series(self) -> Params:
        return {"series": self.rng.choices(["F", "S", "R"], [50, 40, 10])[0]}

    def customer(self) -> Params:
        invoice = self.rng.choice(self.named)
        assert invoice.customer is not None
        return {"customerId": invoice.customer.id}

    def patient(self) -> Params:
        invoice = self.rng.choice(self.named)
        while invoice.customer is None or invoice.customer.patient_id is None:
            invoice = self.rng.choice(self.named)
        return {"patientId": invoice.customer.patient_id}

    def month(self) -> Params:
        days = (self.last_day - self.first_day).days
        start = self.first_day + timedelta(days=self.rng.randrange(days))
        start = start.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        params: Params = {"from": start.isoformat(), "to": end.isoformat()}
        if self.rng.random() < 0.3:
            params["status"] = ["issued", "partially_paid"]
        return params

    def outstanding(self) -> Params:
        return {"outstanding": "true"}

    def no_filter(self) -> Params:
        return {}

    def later_page(self) -> Params:
        base = self.rng.choice([{}, {}, {"series": "F"}, {"status": ["paid"]}, self.surname()])
        return {**base, "page": str(self.rng.randint(2, 20))}


def kinds(draw: Draw) -> list[tuple[str, Callable[[], Params]]]:
    """(label, params maker) of every measured list/search query."""
    return [
        ("name: surname", draw.surname),
        ("name: first + surname", draw.first_and_surname),
        ("name: 3-5 letters", draw.prefix),
        ("number: full", draw.number),
        ("number: its last digits", draw.last_digits),
        ("status", draw.status),
        ("series", draw.series),
        ("customerId", draw.customer),
        ("patientId", draw.patient),
        ("from-to (a month)", draw.month),
        ("outstanding", draw.outstanding),
        ("no filter, page 1", draw.no_filter),
        ("later page (2-20)", draw.later_page),
    ]


# ---- checks -----------------------------------------------------------------------------------


def _reference_where(params: Params) -> list[ColumnElement[bool]]:
    """Every filter as the API documents it, in the plainest SQL (no index in mind)."""
    found: list[ColumnElement[bool]] = []
    q = str(params.get("q") or "").strip()
    c = invoices.c
    if q:
        upper = q.upper()
        if re.match(r"^[FSR]\d{10}$", upper):
            found.append(c.number == upper)
        elif re.match(r"^[FSR]\d+$", upper):
            found.append(c.number.startswith(upper))
        elif re.match(r"^\d+$", upper):
            found.append(c.number.endswith(upper))
        else:
            words = re.findall(r"\w+", fold(q)) or [None]
            found += [
                or_(c.customer_search.startswith(word, autoescape=True),
                    c.customer_search.contains(f" {word}", autoescape=True))
                if word else c.id.is_(None)
                for word in words
            ]  # fmt: skip
    if params.get("status"):
        found.append(c.status.in_(params["status"]))
    for name, column in (("series", c.series), ("customerId", c.customer_id),
                         ("patientId", c.patient_id)):  # fmt: skip
        if params.get(name):
            found.append(column == params[name])
    if "from" in params:
        found.append(c.issued_on >= date.fromisoformat(params["from"]))
    if "to" in params:
        found.append(c.issued_on <= date.fromisoformat(params["to"]))
    if params.get("outstanding") == "true":
        found.append(and_(c.status.in_(["issued", "partially_paid"]), c.total > c.paid))
    return found


def _reference_ids(engine: Engine, params: Params) -> list[str]:
    """The page a plain query answers: drafts first, newest first, 15 a page."""
    page = int(params.get("page", 1))
    query = (
        select(invoices.c.id)
        .where(*_reference_where(params))
        .order_by(
            case((invoices.c.issued_at.is_(None), 0), else_=1),
            invoices.c.issued_at.desc(),
            invoices.c.created_at.desc(),
            invoices.c.id.desc(),
        )
        .offset((page - 1) * 15)
        .limit(15)
    )
    with engine.connect() as conn:
        return [str(row) for row in conn.scalars(query)]


def check_pages(api: ApiClient, url: str, draw: Draw, per_kind: int = 3) -> None:
    """The API's pages are exactly what the reference query gives for the same filters."""
    engine = create_engine(url)
    checked = 0
    for label, make in kinds(draw):
        for _ in range(per_kind):
            params = make()
            body, _ = get_json(api, "/api/invoices", params)
            assert isinstance(body, dict)
            got = [member["id"] for member in body["member"]]
            expected = _reference_ids(engine, params)
            if got != expected:
                raise SystemExit(f"{label} {params}: the API answered {got}, not {expected}")
            checked += 1
    engine.dispose()
    print(f"check: {checked} pages (every kind) are what a plain query over the rows answers")


def check_number(api: ApiClient, draw: Draw) -> None:
    """A number finds its invoice, a customer's full name finds their invoices."""
    for invoice in draw.rng.sample(draw.named, 5):
        body, _ = get_json(api, "/api/invoices", {"q": str(invoice.number)})
        assert isinstance(body, dict)
        if [m["id"] for m in body["member"]] != [invoice.id]:
            raise SystemExit(f"the API did not find {invoice.number}: {body['member']}")
        assert invoice.customer is not None
        body, _ = get_json(
            api, "/api/invoices", {"q": invoice.customer.name, "itemsPerPage": "100"}
        )
        assert isinstance(body, dict)
        # A name search finds every invoice whose customer has a word beginning with each
        # word asked, in any order: "María Costa" also finds "María Carmen Sánchez Costa".
        asked = fold(invoice.customer.name).split()
        if not body["member"] or any(
            not all(
                any(w.startswith(a) for w in fold(m["customer"]["name"]).split()) for a in asked
            )
            for m in body["member"]
        ):
            names = [m["customer"]["name"] for m in body["member"]]
            raise SystemExit(f"the name search for {invoice.customer.name!r} found {names}")
    print("check: numbers and full names find their invoices")


# ---- measuring --------------------------------------------------------------------------------


def measure_lists(api: ApiClient, draw: Draw, count: int, warmup: int) -> dict[str, list[float]]:
    """Latencies (ms) per kind, the kinds taking turns so load elsewhere hits them alike."""
    chosen = kinds(draw)
    samples: dict[str, list[float]] = {label: [] for label, _ in chosen}
    for i in range(warmup + count):
        for label, make in chosen:
            _, elapsed = get_json(api, "/api/invoices", make())
            if i >= warmup:
                samples[label].append(elapsed)
    return samples


def measure_gaps(api: ApiClient, years: list[int], count: int) -> list[float]:
    """number-gaps of every seeded year in turn; each answer must be empty."""
    samples = []
    for i in range(count + len(years)):
        year = years[i % len(years)]
        body, elapsed = get_json(api, "/api/invoices/number-gaps", {"year": str(year)})
        assert isinstance(body, dict)
        if body["gaps"] or body["duplicates"]:
            raise SystemExit(f"number-gaps {year}: {body}")
        if i >= len(years):
            samples.append(elapsed)
    return samples


def verify_chain(api: ApiClient, expected: int) -> float:
    """One chain verification (ms); it must hold and count ``expected`` records."""
    body, elapsed = get_json(api, "/api/invoices/chain/verify", {})
    assert isinstance(body, dict)
    if not body["ok"] or body["records"] != expected:
        raise SystemExit(f"chain verification: {body}")
    return elapsed


class Issuing:
    """Draft invoices made first (``POST /api/invoices``), then issued by concurrent clients."""

    def __init__(self, clinic: Clinic, rng: random.Random) -> None:
        self.rng = rng
        self.ordinary = [
            c for c in clinic.customers if c.kind == "person" and c.tax_id and c.street
        ]
        self.lock = threading.Lock()
        self.drafts: list[tuple[str, str]] = []  # (id, ETag)
        self.issued: list[tuple[str, float]] = []  # (number, ms)
        self.errors: list[str] = []

    def _body(self, rng: random.Random) -> Params:
        customer = rng.choice(self.ordinary)
        line = {"description": f"Sesión de fisioterapia {date.today():%d/%m/%Y}", "quantity": "1",
                "unitPrice": "40.00", "vatRate": "0", "exemption": "health_care"}  # fmt: skip
        series = "F" if rng.random() < 0.6 else "S"
        return {"series": series, "customerId": customer.id, "lines": [line]}

    def _run(self, make_api: Callable[[], ApiClient], clients: int,
             work: Callable[[ApiClient, random.Random], bool]) -> float:  # fmt: skip
        apis = [make_api() for _ in range(clients)]

        def loop(api: ApiClient, rng: random.Random) -> None:
            while work(api, rng):
                pass

        threads = [threading.Thread(target=loop, args=(api, random.Random(SEED + n)))
                   for n, api in enumerate(apis)]  # fmt: skip
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for api in apis:
            api.close()
        if self.errors:
            raise SystemExit(f"{len(self.errors)} requests failed, e.g. {self.errors[0]}")
        return elapsed

    def make_drafts(self, make_api: Callable[[], ApiClient], clients: int, count: int) -> float:
        """``count`` drafts (F or S, one session line) to ordinary customers; the seconds."""
        remaining = [count]

        def draft(api: ApiClient, rng: random.Random) -> bool:
            with self.lock:
                if remaining[0] == 0:
                    return False
                remaining[0] -= 1
            status, payload, _ = api.call("POST", "/api/invoices", body=self._body(rng))
            with self.lock:
                if status == 201:
                    body = json.loads(payload)
                    self.drafts.append((body["id"], f'"{body["version"]}"'))
                else:
                    self.errors.append(f"POST /api/invoices: {status} {payload[:200]!r}")
            return True

        return self._run(make_api, clients, draft)

    def issue_all(self, make_api: Callable[[], ApiClient], clients: int) -> float:
        """Issue every draft with ``clients`` concurrent clients; the seconds it took."""

        def issue(api: ApiClient, _rng: random.Random) -> bool:
            with self.lock:
                if not self.drafts:
                    return False
                invoice_id, etag = self.drafts.pop()
            status, payload, elapsed = _call(
                api, "POST", f"/api/invoices/{invoice_id}/issue", {"If-Match": etag}
            )
            with self.lock:
                if status == 200:
                    self.issued.append((json.loads(payload)["number"], elapsed))
                else:
                    self.errors.append(f"issue {invoice_id}: {status} {payload[:200]!r}")
            return True

        return self._run(make_api, clients, issue)


def get_json(api: ApiClient, path: str, params: Params) -> tuple[Any, float]:
    """A GET that must answer 200 (a list value repeats its parameter: ``status=a&status=b``)."""
    url = f"{path}?{urlencode(params, doseq=True)}" if params else path
    status, payload, elapsed = api.call("GET", url)
    if status != 200:
        raise SystemExit(f"GET {url}: {status} {payload[:300]!r}")
    return json.loads(payload), elapsed


def _call(api: ApiClient, method: str, path: str, headers: dict[str, str]
          ) -> tuple[int, bytes, float]:  # fmt: skip
    """A request with extra headers (``If-Match``) on the client's keep-alive connection."""
    started = time.perf_counter()
    api.connection.request(method, path, None, headers={**api.headers, **headers})
    response = api.connection.getresponse()
    payload = response.read()
    return response.status, payload, (time.perf_counter() - started) * 1000


def check_consecutive(numbers: list[str], clinic: Clinic) -> str:
    """The issued numbers continue each series' seeded last one without a hole or a repeat."""
    by_series: dict[str, list[int]] = {}
    for number in numbers:
        by_series.setdefault(number[0], []).append(int(number[5:]))
    report = []
    for series, sequences in sorted(by_series.items()):
        year, last, _ = clinic.heads[series]
        expected = list(range(last + 1, last + 1 + len(sequences)))
        if sorted(sequences) != expected or any(n[1:5] != str(year) for n in numbers
                                                if n[0] == series):  # fmt: skip
            raise SystemExit(f"series {series}: the issued numbers are not consecutive")
        report.append(f"{series}{year}{expected[0]:06d}..{series}{year}{expected[-1]:06d}")
    return ", ".join(report)


def measure_pdf(
    api: ApiClient, draw: Draw, count: int, warmup: int
) -> tuple[list[float], list[float], int]:
    """Warm one-page PDFs (four lines at most) of random issued invoices, each asked twice:
    rendered (the service keeps PDFs per invoice version) and again; ms of each, last size."""
    short = [i for i in draw.issued if len(i.lines) <= 4]
    rendered: list[float] = []
    again: list[float] = []
    size = 0
    for i in range(warmup + count):
        path = f"/api/invoices/{draw.rng.choice(short).id}/export/pdf"
        for samples in (rendered, again):
            status, payload, elapsed = api.call("GET", path)
            if status != 200 or not payload.startswith(b"%PDF"):
                raise SystemExit(f"GET {path}: {status} {payload[:200]!r}")
            size = len(payload)
            if i >= warmup:
                samples.append(elapsed)
    return rendered, again, size


def load_average() -> str:
    """The machine's 1-minute load average: the figures mean little on a busy machine."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def _ms(samples: list[float]) -> str:
    return (f"p50 {percentile(samples, 0.5):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms, "
            f"p99 {percentile(samples, 0.99):.1f} ms")  # fmt: skip


def main() -> int:
    """Seed, check, measure and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--identity", default="http://127.0.0.1:8001", help="(unused)")
    parser.add_argument("--billing-db", required=True, help="the billing database URL")
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--chain", type=int, default=100_000, help="invoices on the chain")
    parser.add_argument("--customers", type=int, default=80_000)
    parser.add_argument("--queries", type=int, default=300, help="measured GETs per list kind")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--gap-checks", type=int, default=30)
    parser.add_argument("--verifications", type=int, default=3)
    parser.add_argument("--issues", type=int, default=2400)
    parser.add_argument("--clients", type=int, default=16, help="concurrent issuing clients")
    parser.add_argument("--pdfs", type=int, default=60)
    parser.add_argument("--email", default="recepcion@demo.clinic")
    parser.add_argument("--password", default="demo1234")
    args = parser.parse_args()

    rng = random.Random(SEED)
    started = time.perf_counter()
    clinic = new_clinic(rng, args.invoices, args.chain, args.customers, date.today())
    print(f"{len(clinic.invoices)} invoices drawn in {time.perf_counter() - started:.0f}s")
    seed(args.billing_db, clinic, rng)
    print(table_sizes(args.billing_db))
    gateway = loopback_target("gateway", args.gateway)
    token, _ = login(gateway, args.email, args.password)
    api = ApiClient(gateway, token)
    draw = Draw(clinic, random.Random(SEED + 1))
    check_number(api, draw)
    check_pages(api, args.billing_db, draw)

    tables = [invoices, verifactu_records, customers, invoice_name_words]
    with buffer_pool(args.billing_db, tables, size=2048 * 2**20):
        report(api, draw, clinic, args, gateway, token)
    return 0


def report(
    api: ApiClient,
    draw: Draw,
    clinic: Clinic,
    args: argparse.Namespace,
    gateway: Target,
    token: str,
) -> None:
    """Every measurement, each printed as soon as it is known."""
    print(f"GET /api/invoices via the gateway: {args.queries} per kind, taking turns, after "
          f"{args.warmup} warm-up rounds; load average {load_average()} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    samples = measure_lists(api, draw, args.queries, args.warmup)
    targets = dict.fromkeys(samples, LIST_TARGET_MS)
    print_latency_table(samples, targets, label_width=26)
    print(f"load average after: {load_average()}")

    years = sorted({i.number.year for i in draw.issued if i.number})
    gaps = measure_gaps(api, years, args.gap_checks)
    verdict = "met" if percentile(gaps, 0.95) <= GAPS_TARGET_MS else "MISSED"
    print(f"GET /api/invoices/number-gaps?year= ({years[0]}-{years[-1]}, every one empty): "
          f"{_ms(gaps)}; target p95 <= {GAPS_TARGET_MS:g} ms {verdict}")  # fmt: skip

    chain = [verify_chain(api, clinic.chain_length) / 1000 for _ in range(args.verifications)]
    verdict = "met" if max(chain) <= CHAIN_TARGET_S else "MISSED"
    print(f"GET /api/invoices/chain/verify of {clinic.chain_length} records (ok: true): "
          f"{', '.join(f'{s:.2f}' for s in chain)} s; "
          f"target <= {CHAIN_TARGET_S:g} s {verdict}")  # fmt: skip

    issuing = Issuing(clinic, random.Random(SEED + 2))
    make_api = lambda: ApiClient(gateway, token)  # noqa: E731
    seconds = issuing.make_drafts(make_api, args.clients, args.issues)
    print(f"{args.issues} drafts made ({args.clients} clients) in {seconds:.1f}s")
    seconds = issuing.issue_all(make_api, args.clients)
    done = len(issuing.issued)
    rate = done / seconds
    verdict = "met" if rate >= ISSUE_TARGET_PER_S else "MISSED"
    print(f"POST /api/invoices/{{id}}/issue, {args.clients} clients: {done} issued in "
          f"{seconds:.1f}s = {rate:.0f} invoices/s; target >= {ISSUE_TARGET_PER_S:g} {verdict}; "
          f"load average {load_average()}")  # fmt: skip
    print_latency_table({"issue (200)": [ms for _, ms in issuing.issued]}, {}, label_width=26)
    numbers = check_consecutive([number for number, _ in issuing.issued], clinic)
    api.close()
    api = make_api()  # the gateway drops a connection idle that long
    year = clinic.today.year
    body, _ = get_json(api, "/api/invoices/number-gaps", {"year": str(year)})
    if body["gaps"] or body["duplicates"]:
        raise SystemExit(f"number-gaps {year} after issuing: {body}")
    verify_chain(api, clinic.chain_length + done)
    print(f"check: numbers {numbers} consecutive, number-gaps {year} empty, chain verifies")

    rendered, again, size = measure_pdf(api, draw, args.pdfs, warmup=5)
    print(f"GET /api/invoices/{{id}}/export/pdf, one page (~{size // 1024} KB), warm renderer, "
          f"sequential; load average {load_average()}")  # fmt: skip
    print_latency_table(
        {"PDF, rendered": rendered, "PDF, asked again": again},
        {"PDF, rendered": PDF_TARGET_MS, "PDF, asked again": PDF_TARGET_MS},
        label_width=26,
    )


if __name__ == "__main__":
    sys.exit(main())
