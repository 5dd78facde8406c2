#!/usr/bin/env python3
"""Writes data/datasets.json, the dataset registry, from a data folder laid out like ../shared/data.

Usage: scripts/make-registry.py [DATA_DIR]   (default: ../shared/data)

Checksums are of the files in DATA_DIR. Upstream URLs are pinned to the commit the copies came
from; where the copy differs from upstream (gzip of a plain file, redacted fields) it says so.
"""
import hashlib, json, os, sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
RAW = "https://raw.githubusercontent.com"

def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()

def files(folder, url_of, pattern=lambda n: True):
    out = []
    for n in sorted(os.listdir(os.path.join(root, folder))):
        if pattern(n):
            entry = {"path": f"{folder}/{n}", "sha256": sha(os.path.join(root, folder, n))}
            url = url_of(n)
            if url:
                entry["url"] = url
            out.append(entry)
    return out

datasets = [
    {
        "name": "tidytuesday-spotify-songs",
        "format": "tidytuesday",
        "table": "tracks",
        "description": "TidyTuesday 2020-01-21 spotify_songs: 32,833 rows, 6 playlist genres, 24 subgenres, audio features.",
        "licence": "TidyTuesday data; see the rfordatascience/tidytuesday repository.",
        "files": [dict(files("tidytuesday_spotify_songs", lambda n: None)[0],
                       url=f"{RAW}/rfordatascience/tidytuesday/master/data/2020/2020-01-21/spotify_songs.csv",
                       url_sha256="9902920cfe4940f0914ebb6716801a42f7f19ac88fbd6693eaae7e2822b16845")],
        "note": "the local copy is the gzip of the upstream CSV; a download keeps the plain CSV, checked against url_sha256",
    },
    {
        "name": "spotify-tracks-114k-sample",
        "format": "spotify-tracks-114k",
        "table": "tracks",
        "description": "10,000-row random sample of the Spotify Tracks Dataset (maharshipandya, 114 genres), all 114 genres present.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("spotify_tracks_114k_sample", lambda n: f"{RAW}/Nima-ml/spotify-song-clustering/d5da06c3/dataset_sample.csv"),
    },
    {
        "name": "spotify-tracks-114k",
        "format": "spotify-tracks-114k",
        "table": "tracks",
        "description": "The full Spotify Tracks Dataset (maharshipandya): 114,000 rows, 114 genres of 1,000 rows each, 89,741 distinct track ids.",
        "licence": "see the dataset card upstream; local analysis only.",
        "files": [{"path": "spotify_tracks_114k/dataset.csv", "sha256": "", "rows": 114000,
                   "url": "https://huggingface.co/datasets/maharshipandya/spotify-tracks-dataset/resolve/main/dataset.csv"}],
        "note": "not in ../shared/data; no checksum could be pinned offline, so a copy (local or downloaded) is accepted when it holds 114,000 data rows",
    },
    {
        "name": "lastfm-scrobbles-pingw33n",
        "format": "lastfm-to-csv",
        "table": "plays",
        "description": "One Last.fm user's 60,950 scrobbles, 2008-08 to 2020-11, lastfm-to-csv format (303 rows without a date).",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("lastfm_scrobbles", lambda n: f"{RAW}/pingw33n/lastfm-scrobbles/3a6b5ea5/lastfm_scrobbles.csv"),
    },
    {
        "name": "spotify-account-history-vnegi10",
        "format": "spotify-account",
        "table": "plays",
        "description": "One Spotify user's account-data streaming history, Aug 2020 to Oct 2021, 11,931 plays.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("spotify_streaming_history/vnegi10_account_data", lambda n: f"{RAW}/vnegi10/Spotify_data_analysis/62786353/MyData/{n}"),
    },
    {
        "name": "spotify-extended-history-efrrowini",
        "format": "spotify-extended",
        "table": "plays",
        "description": "One Spotify user's extended streaming history, 2022-11 to 2026-05 (2025 missing), 6,978 entries, 49 podcast episodes.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("spotify_streaming_history/efrrowini_extended_redacted", lambda n: None),
        "note": "no download: the local copy has ip_addr set to null, so upstream bytes (Efrrowini/spotify-music-analysis, 7dfd0f6b) differ",
    },
    {
        "name": "exportify-playlists-seankmchenry",
        "format": "exportify",
        "table": "playlists",
        "description": "One Spotify user's 100 playlists exported with Exportify (18,563 entries), audio features on every row but one; genre_*.csv are 14 genre playlists.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("exportify_playlists_seankmchenry", lambda n: f"{RAW}/seankmchenry/exportify-playlists/5533af30/{n}", lambda n: n.endswith(".csv")),
    },
    {
        "name": "lastfm-artist-tags-mattsandy",
        "format": "csv",
        "table": "csv",
        "description": "Last.fm artist top tags (count,name,search) for 9,159 Billboard-200 artists, 44,707 rows.",
        "licence": "GPL-3.0",
        "files": files("lastfm_tags", lambda n: f"{RAW}/MattSandy/is-rock-dead/2d33ea69/lastfm_tags.csv", lambda n: n.startswith("mattsandy")),
    },
    {
        "name": "lastfm-track-tags-chaeyeonkim",
        "format": "csv",
        "table": "csv",
        "description": "Last.fm track top tags scraped from the site, 960 tracks.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("lastfm_tags", lambda n: f"{RAW}/ChaeyeonKim-AI/LastFM_Tag_Extractor/62594c51/data/clean_lastfm_tags.csv", lambda n: n.startswith("chaeyeonkim")),
    },
    {
        "name": "billboard-hot100-artist-genres",
        "format": "billboard-genres",
        "table": "tags",
        "description": "29,503 Billboard Hot 100 songs with their performer's Spotify genres (Performer, Song, spotify_genre as a Python-style list; 1,145 distinct genres). cp1252, CRLF.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("multilabel_genres", lambda n: f"{RAW}/annarosaklaver/stickers_georg_group_project/feb1ad61/Hot%20100%20Audio%20Features.csv"),
        "note": "upstream file name 'Hot 100 Audio Features.csv'; this copy holds no audio features (join to a catalogue by artist and title)",
    },
    {
        "name": "preference-listen-rank",
        "format": "listen-rank-json",
        "table": "ratings",
        "description": "One Spotify user's 2,323 tracks ranked by that user's own play counts (rank 1 = most played), with popularity and 11 audio features.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("preference", lambda n: f"{RAW}/Hedavam/Spotify-Song-Likeability/16628c8d/data/tracks.json", lambda n: n == "listen_rank_tracks.json"),
    },
    {
        "name": "preference-liked-disliked-roger-roig",
        "format": "liked-disliked-csv",
        "table": "ratings",
        "description": "One person's 9,946 tracks sorted into a liked (6,791) and a disliked (3,155) playlist, with 13 audio features.",
        "licence": "no licence stated upstream; local tests and benchmarks only.",
        "files": files("preference", lambda n: f"{RAW}/roger-roig/final-project/9ab21d52/exported_data/all_tracks.csv", lambda n: n == "roger_roig_liked_disliked.csv"),
        "note": "upstream file name all_tracks.csv",
    },
]
out = os.path.join(os.path.dirname(__file__), "..", "data", "datasets.json")
with open(out, "w") as f:
    json.dump({"comment": "Generated by scripts/make-registry.py. Checksums are of the copies in ../shared/data; URLs are pinned to the upstream commit (short hash) they came from.", "datasets": datasets}, f, indent=1)
    f.write("\n")
print(f"wrote {out}: {len(datasets)} datasets, {sum(len(d['files']) for d in datasets)} files")
