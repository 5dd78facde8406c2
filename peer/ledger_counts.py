#!/usr/bin/env python3
"""Independent counts of the ledger's sources, straight from the raw files (not through the
crate), written to peer/ledger_counts.json, which tests/it/ledger.rs compares the crate's figures
with. Python's csv / json / zipfile modules only.

    LISTENING_DATA_DIR=../shared/data python3 peer/ledger_counts.py > peer/ledger_counts.json

Each figure is computed by the rule the crate's docs state, written again here from the
description (Apple: first of each (track cell, time) kept; split at the library's "Artist -
Title" else at the first " - "; YouTube: header == "YouTube Music"; ListenBrainz's Spotify
importer rule as ../shared/reference/peer-import-rules.md R1 gives it).
"""
import csv
import datetime
import json
import os
import statistics
import sys
import zipfile

D = os.environ.get("LISTENING_DATA_DIR", "../shared/data")
out = {}


def iso(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000


# --- Apple Music ------------------------------------------------------------------------------
A = os.path.join(D, "apple_music_subbeeftobeans")
with zipfile.ZipFile(os.path.join(A, "Apple Music Library Tracks.json.zip")) as z:
    lib = json.loads(z.read("Apple Music Library Tracks.json").decode("utf-8-sig"))
cells = {}
by_title = {}
for it in lib:
    if isinstance(it.get("Artist"), str) and isinstance(it.get("Title"), str):
        cells.setdefault(f'{it["Artist"]} - {it["Title"]}', (it["Artist"], it["Title"], it.get("Track Duration")))
        by_title.setdefault(it["Title"], set()).add(it["Artist"])

with open(os.path.join(A, "Apple Music - Track Play History.csv"), encoding="utf-8-sig", newline="") as f:
    h = list(csv.DictReader(f))
seen = set()
plays = []
no_track = 0
for r in h:
    # Apple writes "N/A" (or nothing) where it has no track name: not a play, set apart.
    if r["Track Name"].strip() in ("", "N/A"):
        no_track += 1
        continue
    k = (r["Track Name"], int(r["Last Played Date"]))
    if k in seen:
        continue
    seen.add(k)
    plays.append(r)


def split(cell):
    if cell in cells:
        return cells[cell][0], cells[cell][1]
    if " - " in cell:
        a, t = cell.split(" - ", 1)
        return a, t
    arts = by_title.get(cell, set())
    return (next(iter(arts)) if len(arts) == 1 else None), cell


distinct = sorted({r["Track Name"] for r in h if r["Track Name"].strip() not in ("", "N/A")})
multi_in_lib = [c for c in distinct if c in cells and c.count(" - ") > 1]
out["apple_track_play_history"] = {
    "rows": len(h),
    "plays": len(plays),
    "second_records": len(h) - len(plays) - no_track,
    "no_track": no_track,
    "distinct_cells": len(distinct),
    "cells_in_library": sum(c in cells for c in distinct),
    "multi_dash_in_library": len(multi_in_lib),
    "multi_dash_first_agrees": sum(c.split(" - ", 1)[0] == cells[c][0] for c in multi_in_lib),
    "title_only_cells": sum(" - " not in c for c in distinct),
    "title_only_resolved": sum(" - " not in c and split(c)[0] is not None for c in distinct),
    "plays_without_artist": sum(split(r["Track Name"])[0] is None for r in plays),
    "plays_with_start_from_library": sum(
        r["Track Name"] in cells and cells[r["Track Name"]][2] is not None for r in plays
    ),
    "distinct_artists": len({split(r["Track Name"])[0] or "" for r in plays}),
    "first_end_ms": min(int(r["Last Played Date"]) for r in plays),
    "last_end_ms": max(int(r["Last Played Date"]) for r in plays),
}

with open(os.path.join(A, "Apple Music - Recently Played Tracks.csv"), encoding="utf-8-sig", newline="") as f:
    rp = list(csv.DictReader(f))
total = sum(int(r["Total plays"]) for r in rp if r["Total plays"] != "N/A")
out["apple_recently_played"] = {
    "rows": len(rp),
    "total_plays": total,
    "untimed_plays": total - len(rp),
}
# Evidence that Track Play History stamps the END: for tracks whose first play in Recently Played's
# window also appears in Track Play History, (history time - First Event Timestamp) compared with
# the play's length (Media duration).
hist = {}
for r in h:
    hist.setdefault(r["Track Name"], set()).add(int(r["Last Played Date"]))
diffs = []
for r in rp:
    first = iso(r["First Event Timestamp"])
    near = sorted(x for x in hist.get(r["Track Description"], ()) if 0 <= x - first < 600_000)
    if near:
        diffs.append((near[0] - first) / 1000)
out["apple_time_is_end"] = {
    "matched_first_plays": len(diffs),
    "median_seconds_after_first_event": statistics.median(diffs),
    "min_seconds_after_first_event": min(diffs),
}

# The second person's library, unzipped.
with open(os.path.join(D, "apple_music_library_brody", "Apple Music Library Tracks.json"), encoding="utf-8-sig") as f:
    brody = json.load(f)
out["apple_library_brody"] = {"items": len(brody)}

# --- YouTube ----------------------------------------------------------------------------------
with open(os.path.join(D, "youtube_music_ace97", "watch-history.json"), encoding="utf-8") as f:
    y = json.load(f)
music = [r for r in y if r.get("header") == "YouTube Music"]
with_channel = [r for r in music if r.get("subtitles")]


def artist(r):
    n = r["subtitles"][0]["name"]
    return n[: -len(" - Topic")] if n.endswith(" - Topic") else n


out["youtube"] = {
    "rows": len(y),
    "music": len(music),
    "videos": len(y) - len(music),
    "music_without_channel": len(music) - len(with_channel),
    "topic_channels": sum(r["subtitles"][0]["name"].endswith(" - Topic") for r in with_channel),
    "distinct_artists": len({artist(r) for r in with_channel}),
    "top_artist_plays": max(
        sum(artist(r) == a for r in with_channel) for a in {artist(r) for r in with_channel}
    ),
}

# --- ListenBrainz 2018 ------------------------------------------------------------------------
with open(os.path.join(D, "listenbrainz_aahanaggarwal", "aahanaggarwal_lb-2018-10-22.json"), encoding="utf-8") as f:
    lb = json.load(f)
out["listenbrainz_2018"] = {
    "rows": len(lb),
    "without_time": sum(r.get("timestamp") is None for r in lb),
    "distinct_artists": len({r["artist_name"] for r in lb}),
    "first_ms": min(r["timestamp"] for r in lb) * 1000,
    "last_ms": max(r["timestamp"] for r in lb) * 1000,
    "with_recording_mbid": sum(bool((r.get("additional_info") or {}).get("recording_mbid")) for r in lb),
}

# --- Spotify extended, ListenBrainz's import rule ---------------------------------------------
SKIP = {None, "fwdbtn", "backbtn", "clickrow", "clickside", "endplay", "playbtn", "remote", "logout",
        "popup", "trackerror", "unexpected-exit", "unexpected-exit-while-paused", "unknown"}
E = os.path.join(D, "spotify_streaming_history", "efrrowini_extended_redacted")
rows = []
for name in sorted(os.listdir(E)):
    if name.endswith(".json"):
        with open(os.path.join(E, name), encoding="utf-8") as f:
            rows += json.load(f)
lb_kept = 0
music = 0
for r in rows:
    if r.get("master_metadata_track_name") is None:
        continue  # podcast: set apart by the loader
    music += 1
    if r.get("incognito_mode"):
        continue
    if not r.get("spotify_track_uri"):
        continue
    ms = r.get("ms_played")
    if ms is not None and ms < 30000 and (r.get("skipped") or ("reason_end" in r and r["reason_end"] in SKIP)):
        continue
    if iso(r["ts"]) < iso("2002-10-01T00:00:00Z"):
        continue
    lb_kept += 1
out["spotify_extended_efrrowini"] = {
    "rows": len(rows),
    "music": music,
    "listenbrainz_rule_keeps": lb_kept,
    "spotify_30s_keeps": sum(r.get("master_metadata_track_name") is not None and r["ms_played"] >= 30000 for r in rows),
    "trackdone_keeps": sum(r.get("master_metadata_track_name") is not None and r.get("reason_end") == "trackdone" for r in rows),
}

json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
