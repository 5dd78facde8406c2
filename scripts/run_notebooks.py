#!/usr/bin/env python3
"""Executes notebooks headlessly in the "Rust (listening)" evcxr kernel and fails on any cell error.

Usage: scripts/run_notebooks.py [--quiet] [--jobs N] [--timings FILE.json] [NOTEBOOK ...]
  (default: every notebooks/*.ipynb). Executed copies go to target/notebooks/ (ignored by git).
  --jobs N runs N notebooks at a time, each in its own kernel and build slot (scripts/evcxr-kernel);
  default 1. Notebooks are reported in the order given, each as soon as it and those before it ended.
Prints one line per notebook and cell timings, then "N passed, M failed" and the wall time.

A cell fails on an error reply (compile error, panic) and also on any text it writes to stderr:
evcxr reports an error returned through `?` only by printing it to stderr and answers "ok", so
without this rule a notebook whose cells fail that way would pass. The crate writes its own
reports to stdout.
"""
import argparse, concurrent.futures, datetime, glob, json, multiprocessing, os, sys, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def parse_ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def cell_seconds(cell):
    """Kernel-side time of one cell: from execute_input to the shell reply."""
    ex = cell.get("metadata", {}).get("execution", {})
    a, b = ex.get("iopub.execute_input"), ex.get("shell.execute_reply")
    if a and b:
        return (parse_ts(b) - parse_ts(a)).total_seconds()
    return None


def run(path, quiet, out_dir):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="listening",
        timeout=3600,
        startup_timeout=600,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    t0 = time.monotonic()
    started = datetime.datetime.now(datetime.timezone.utc)
    error = None
    try:
        client.execute()
    except (CellExecutionError, DeadKernelError) as e:
        error = str(e)
        # evcxr's tracebacks carry ANSI codes that print as blank lines: name the errors plainly.
        details = [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells
                   for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if details:
            error += "\nerrors:\n" + "\n".join(details)
    except Exception as e:  # kernel that did not start, timeout, unknown kernel: report, go on
        error = f"{type(e).__name__}: {e}"
    wall = time.monotonic() - t0
    if error is None:
        for i, c in enumerate(nb.cells):
            for o in c.get("outputs", []):
                if o.get("output_type") == "stream" and o.get("name") == "stderr" and o.get("text", "").strip():
                    error = f"cell {i} wrote to stderr (an error returned with `?`):\n{o['text'].strip()}\n--- cell source ---\n{c.source}"
                    break
            if error:
                break
    os.makedirs(out_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    cells = [
        {"index": i, "seconds": cell_seconds(c), "source": c.source.splitlines()[0] if c.source else ""}
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
    ]
    # Kernel start: from launching the kernel to the first cell reaching it.
    kernel_start = None
    for c in nb.cells:
        a = c.get("metadata", {}).get("execution", {}).get("iopub.execute_input")
        if a:
            kernel_start = (parse_ts(a) - started).total_seconds()
            break
    return {"notebook": os.path.relpath(path, REPO), "wall_s": wall, "kernel_start_s": kernel_start,
            "error": error, "cells": cells}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="*")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--timings", help="write per-cell timings as JSON here")
    ap.add_argument("--out", default=os.path.join(REPO, "target", "notebooks"))
    ap.add_argument("--jobs", type=int, default=1, help="notebooks run at a time (default 1)")
    args = ap.parse_args()
    os.environ.setdefault("LISTENING_DATA_DIR", os.path.join(REPO, "..", "shared", "data"))
    paths = args.notebooks or sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))
    if not paths:
        print("no notebooks to run", file=sys.stderr)
        return 1
    results = []
    t0 = time.monotonic()

    def report(r):
        results.append(r)
        status = "ok" if r["error"] is None else "FAILED"
        left = len(paths) - len(results)
        eta = ""
        if left:
            # Wall time so far per notebook reported (parallel runs included), times those left.
            eta = f"  [{len(results)}/{len(paths)}, about {(time.monotonic() - t0) / len(results) * left / 60:.1f} min left]"
        print(f"{status:6} {r['notebook']}  {r['wall_s']:.1f} s{eta}", flush=True)
        if not args.quiet:
            for c in r["cells"]:
                s = "     ?" if c["seconds"] is None else f"{c['seconds']:6.2f}"
                print(f"         cell {c['index']:2} {s} s  {c['source'][:70]}")
        if r["error"]:
            print(r["error"][-4000:], file=sys.stderr, flush=True)

    if args.jobs <= 1 or len(paths) == 1:
        for p in paths:
            report(run(p, args.quiet, args.out))
    else:
        # Each notebook in its own process (nbclient's event loop is per process); results are
        # reported in the order given.
        ctx = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs, mp_context=ctx) as pool:
            futures = [pool.submit(run, p, args.quiet, args.out) for p in paths]
            for p, f in zip(paths, futures):
                try:
                    report(f.result())
                except Exception as e:  # a worker that died: report, go on
                    report({"notebook": os.path.relpath(p, REPO), "wall_s": 0.0, "kernel_start_s": None,
                            "error": f"{type(e).__name__}: {e}", "cells": []})
    if args.timings:
        with open(args.timings, "w") as f:
            json.dump(results, f, indent=1)
    failed = sum(r["error"] is not None for r in results)
    print(f"notebooks: {len(results) - failed} passed, {failed} failed in {time.monotonic() - t0:.1f} s"
          f" ({args.jobs} at a time)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
