"""Which engine runs the relational measures: DuckDB (default) or Apache Spark.

The relational measures (:mod:`nonaligned.measures.relational`) are Ibis
expressions, written once; this module decides where they run. DuckDB, in
process, is the default because the whole UN vote record fits one machine
many times over. Spark is there for data that do not (product-level trade,
event data): ``--engine spark`` or ``NONALIGNED_ENGINE=spark``.

Spark runs in local mode unless ``NONALIGNED_SPARK_MASTER`` names a cluster
(``spark://host:7077``, ``yarn``, ``k8s://...``; see docs/scaling.md).
PySpark is an optional dependency (the ``spark`` extra) and needs Java 17+;
both are checked when a Spark session is first asked for, so the DuckDB path
never imports them.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from typing import TYPE_CHECKING, Any

from nonaligned.constants import ENGINE_ENV
from nonaligned.errors import EngineError

if TYPE_CHECKING:  # ibis: imported by the first measure, not by every session
    import ibis
    import pandas as pd

ENGINES: tuple[str, ...] = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
MASTER_ENV = "NONALIGNED_SPARK_MASTER"
LOCAL_MASTER = "local[2]"
SHUFFLE_PARTITIONS_ENV = "NONALIGNED_SPARK_SHUFFLE_PARTITIONS"
DRIVER_MEMORY_ENV = "NONALIGNED_SPARK_DRIVER_MEMORY"
SPARK_INSTALL = "pip install 'nonaligned[spark]' and a JDK 17+ (java on PATH, or JAVA_HOME)"


def _checked(name: str) -> str:
    name = name.strip().lower()
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}")
    return name


def engine_name(engine: str | None = None) -> str:
    """The engine: ``engine`` if given (a store session's), else ``$NONALIGNED_ENGINE``, DuckDB."""
    return _checked(engine or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE)


def spark_session(master: str | None = None) -> Any:
    """A Spark session for the measures: the active one if any, else a new one.

    Small shuffle partition count (default 2, ``$NONALIGNED_SPARK_SHUFFLE_PARTITIONS``)
    because the default 200 makes every small aggregation pay 200 tasks; the
    web UI is off since nothing serves it here.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            f"the Spark engine needs PySpark and Java 17 or later: {SPARK_INSTALL}"
        ) from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise EngineError(f"the Spark engine needs Java 17 or later: {SPARK_INSTALL}")
    active = SparkSession.getActiveSession()
    if active is not None:  # a script under spark-submit made its own: use that cluster
        return active
    partitions = os.environ.get(SHUFFLE_PARTITIONS_ENV, "2")
    master = master or os.environ.get(MASTER_ENV) or LOCAL_MASTER
    builder = (
        SparkSession.builder.appName("nonaligned")
        .master(master)
        .config("spark.sql.shuffle.partitions", partitions)
        # the default 1g driver lost the ~1M-row result of all dyad-years (TaskResultLost)
        .config("spark.driver.memory", os.environ.get(DRIVER_MEMORY_ENV, "4g"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if master.startswith("local"):  # keep a local driver on loopback, not the host's address
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM at launch
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def backend(engine: str | None = None) -> ibis.BaseBackend:
    """The Ibis backend of ``engine``: one per process for Spark, one per thread for DuckDB.

    A DuckDB connection refuses a second call while it is busy ("connection
    is busy with another call"), and the web app runs requests on a pool of
    threads, so each thread gets its own in-memory DuckDB; the measures pass
    their inputs as memtables, so nothing else is shared. A Spark session is
    thread-safe and costly to start: one per process.
    """
    name = engine_name(engine)
    return _backend(name, threading.get_ident() if name == "duckdb" else 0)


@functools.cache
def _backend(name: str, thread: int) -> ibis.BaseBackend:
    import ibis

    if name == "spark":  # the session first: its errors say what to install, ibis's do not
        session = spark_session()
        return ibis.pyspark.connect(session)
    # every measure orders its result explicitly, so DuckDB need not keep input order:
    # about 10% off the all-dyad-years query (docs/scaling.md)
    return ibis.duckdb.connect(preserve_insertion_order=False)


def forget_backends() -> None:
    """Drop every backend made so far, so the next call connects anew (tests, a changed setup)."""
    _backend.cache_clear()


def execute(expr: ibis.Expr, engine: str | None = None) -> pd.DataFrame:
    """Run an Ibis table expression on ``engine`` and return a pandas frame.

    Through Arrow: Ibis's own pandas conversion turns every column holding
    a NULL into Python objects, which took longer than the query itself.
    NULL floats become NaN.
    """
    return backend(engine_name(engine)).to_pyarrow(expr).to_pandas()
