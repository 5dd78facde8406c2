"""Issue 14, past one machine: the aggregate of `examples/parquet_aggregate.rs` (plays per month
per artist, and the top N artists by plays) over the Parquet folder `write_parquet` wrote, in
Apache Spark (local mode) or DuckDB, reading the files as they are.

Usage: python3 peer/spark_aggregate.py DIR OUT_DIR [--engine spark|duckdb] [--top N]
Writes OUT_DIR/monthly.csv and OUT_DIR/top_artists.csv in the same layout as the Rust example
(`month,artist,plays` sorted by month then artist; `rank,artist,plays` by plays descending then
artist; strings compared by their UTF-8 bytes; a null artist is an empty field, sorted last).
Prints the schema the engine read and one timing line to stderr (`scan+aggregate_s`: the two
queries, from the files to the rows in Python; the session start and Spark's schema discovery are
reported apart). Exits 3 when the engine does not
read `played_at` as a timestamp or a text column as a string.

Versions (installed by scripts/parquet-vs-spark): pyspark 3.5.9 (Java 17), duckdb 1.5.6.
"""

import argparse
import csv
import os
import resource
import sys
import time


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(["" if v is None else v for v in row])


def own_peak_kb():
    """Peak resident memory of this Python process, in kB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_kb(pid):
    """Peak resident memory (VmHWM) of process `pid`, in kB (0 when unknown)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_spark(folder, top_n, threads):
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    started = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{threads}]")
        .appName("listening-parquet-peer")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(max(2, threads)))
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    start_s = time.perf_counter() - started

    started = time.perf_counter()
    df = spark.read.parquet(folder)
    read_s = time.perf_counter() - started
    schema = {f.name: f.dataType for f in df.schema.fields}
    print("spark schema: " + ", ".join(f"{k} {v.simpleString()}" for k, v in schema.items()),
          file=sys.stderr)
    if not isinstance(schema.get("played_at"), T.TimestampType):
        print(f"spark reads played_at as {schema.get('played_at')}, not a timestamp",
              file=sys.stderr)
        sys.exit(3)
    for name in ("artist", "track"):
        if not isinstance(schema.get(name), T.StringType):
            print(f"spark reads {name} as {schema.get(name)}, not a string", file=sys.stderr)
            sys.exit(3)

    started = time.perf_counter()
    monthly = (
        df.groupBy(
            F.date_format(F.date_trunc("month", "played_at"), "yyyy-MM").alias("month"),
            F.col("artist"),
        )
        .agg(F.count(F.lit(1)).alias("plays"))
        .orderBy(F.col("month").asc(), F.col("artist").asc_nulls_last())
        .collect()
    )
    top = (
        df.groupBy("artist")
        .agg(F.count(F.lit(1)).alias("plays"))
        .orderBy(F.col("plays").desc(), F.col("artist").asc_nulls_last())
        .limit(top_n)
        .collect()
    )
    aggregate_s = time.perf_counter() - started
    monthly = [(r["month"], r["artist"], r["plays"]) for r in monthly]
    top = [(i + 1, r["artist"], r["plays"]) for i, r in enumerate(top)]
    # The JVM that py4j started (spark-submit execs java, so this is its pid).
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    jvm_kb = peak_kb(proc.pid) if proc is not None else 0
    spark.stop()
    return monthly, top, start_s, aggregate_s, {"schema_s": f"{read_s:.3f}",
                                                "jvm_peak_rss_kb": jvm_kb}


def run_duckdb(folder, top_n, threads):
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET threads = {int(threads)}")
    start_s = time.perf_counter() - started

    partitioned = any(e.startswith("year=") for e in os.listdir(folder))
    pattern = os.path.join(folder, "*", "*.parquet") if partitioned else os.path.join(
        folder, "*.parquet")
    source = f"read_parquet('{pattern}', hive_partitioning = {str(partitioned).lower()})"
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    types = {row[0]: row[1] for row in described}
    print("duckdb schema: " + ", ".join(f"{k} {v}" for k, v in types.items()), file=sys.stderr)
    first = sorted(
        os.path.join(root, f) for root, _, files in os.walk(folder) for f in files
        if f.endswith(".parquet") and not f.startswith((".", "_")))[0]
    physical = con.execute(
        "SELECT name, type, converted_type, logical_type FROM parquet_schema(?) "
        "WHERE name IN ('played_at', 'artist')", [first]).fetchall()
    print("parquet footer (" + os.path.relpath(first, folder) + "): " + "; ".join(
        f"{n} {t} converted={c} logical={lt}" for n, t, c, lt in physical), file=sys.stderr)
    codec = con.execute(
        "SELECT DISTINCT compression FROM parquet_metadata(?)", [first]).fetchall()
    print("parquet compression: " + ", ".join(str(c[0]) for c in codec), file=sys.stderr)
    if not types.get("played_at", "").startswith("TIMESTAMP"):
        print(f"duckdb reads played_at as {types.get('played_at')}", file=sys.stderr)
        sys.exit(3)

    started = time.perf_counter()
    monthly = con.execute(
        f"""SELECT strftime(date_trunc('month', played_at), '%Y-%m') AS month, artist,
                   count(*) AS plays
            FROM {source}
            GROUP BY ALL
            ORDER BY month, artist NULLS LAST""").fetchall()
    top = con.execute(
        f"""SELECT artist, count(*) AS plays
            FROM {source}
            GROUP BY ALL
            ORDER BY plays DESC, artist NULLS LAST
            LIMIT {int(top_n)}""").fetchall()
    aggregate_s = time.perf_counter() - started
    top = [(i + 1, a, p) for i, (a, p) in enumerate(top)]
    return monthly, top, start_s, aggregate_s, {}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir")
    p.add_argument("out")
    p.add_argument("--engine", choices=("spark", "duckdb"), default="spark")
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--threads", type=int, default=int(os.environ.get("THREADS", "2")))
    a = p.parse_args()
    run = run_spark if a.engine == "spark" else run_duckdb
    monthly, top, start_s, aggregate_s, extra = run(os.path.abspath(a.dir), a.top, a.threads)
    started = time.perf_counter()
    os.makedirs(a.out, exist_ok=True)
    write_csv(os.path.join(a.out, "monthly.csv"), ["month", "artist", "plays"], monthly)
    write_csv(os.path.join(a.out, "top_artists.csv"), ["rank", "artist", "plays"], top)
    csv_s = time.perf_counter() - started
    total = sum(r[2] for r in monthly)
    print(f"{a.engine} threads={a.threads} plays={total} monthly_rows={len(monthly)} "
          f"top_rows={len(top)} start_s={start_s:.3f} scan+aggregate_s={aggregate_s:.3f} "
          f"write_csv_s={csv_s:.3f} python_peak_rss_kb={own_peak_kb()}"
          + "".join(f" {k}={v}" for k, v in extra.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
