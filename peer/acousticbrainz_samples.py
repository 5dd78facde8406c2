"""Expected values for tests/it/acousticbrainz.rs: what the AcousticBrainz sample documents in
../shared/data/acousticbrainz_samples hold, read with Python's json module (not through the
crate). Run once, output committed:

    LISTENING_DATA_DIR=../shared/data python3 peer/acousticbrainz_samples.py \
        > tests/fixtures/acousticbrainz/expected.csv

Columns: file, mbid, submission_offset, column, value. `column` is the crate's name for the value
(see src/features/acousticbrainz.rs, MAPPING); `value` is as json reads it (repr of the float, key
names as pitch classes C=0 .. B=11, scales major=1 minor=0). Only what the file holds is listed:
a column absent from a document has no row. Bulk answer: offset 0 only (the crate keeps the
first submission)."""
import csv
import json
import os
import sys

DIR = os.path.join(os.environ.get("LISTENING_DATA_DIR", "../shared/data"), "acousticbrainz_samples")
PITCH = {"C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
         "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11}

NUMBERS = {
    "tempo": ("rhythm", "bpm"),
    "rhythm_danceability": ("rhythm", "danceability"),
    "bpm_histogram_first_peak_bpm_mean": ("rhythm", "bpm_histogram_first_peak_bpm", "mean"),
    "bpm_histogram_first_peak_bpm_median": ("rhythm", "bpm_histogram_first_peak_bpm", "median"),
    "bpm_histogram_second_peak_bpm_mean": ("rhythm", "bpm_histogram_second_peak_bpm", "mean"),
    "bpm_histogram_second_peak_bpm_median": ("rhythm", "bpm_histogram_second_peak_bpm", "median"),
    "onset_rate": ("rhythm", "onset_rate"),
    "key_strength": ("tonal", "key_strength"),
    "tuning_frequency": ("tonal", "tuning_frequency"),
    "tuning_equal_tempered_deviation": ("tonal", "tuning_equal_tempered_deviation"),
    "average_loudness": ("lowlevel", "average_loudness"),
    "dynamic_complexity": ("lowlevel", "dynamic_complexity"),
    "length": ("metadata", "audio_properties", "length"),
}
HIGH = {
    "danceability": ("danceability", "danceable"),
    "instrumentalness": ("voice_instrumental", "instrumental"),
    "acousticness": ("mood_acoustic", "acoustic"),
    "valence": ("mood_happy", "happy"),
    "mood_sad": ("mood_sad", "sad"),
    "mood_relaxed": ("mood_relaxed", "relaxed"),
    "mood_party": ("mood_party", "party"),
    "mood_aggressive": ("mood_aggressive", "aggressive"),
    "mood_electronic": ("mood_electronic", "electronic"),
}


def dig(d, path):
    for k in path:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def values(doc):
    out = {}
    for col, path in NUMBERS.items():
        v = dig(doc, path)
        if v is not None:
            out[col] = repr(float(v))
    mfcc = dig(doc, ("lowlevel", "mfcc", "mean"))
    if mfcc:
        out["mfcc_zero_mean"] = repr(float(mfcc[0]))
    k = dig(doc, ("tonal", "key_key"))
    if k is not None:
        out["key"] = str(PITCH[k])
    s = dig(doc, ("tonal", "key_scale"))
    if s is not None:
        out["mode"] = {"major": "1", "minor": "0"}[s]
    for col, (cl, cls) in HIGH.items():
        v = dig(doc, ("highlevel", cl, "all", cls))
        if v is not None:
            out[col] = repr(float(v))
    return out


w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(["file", "mbid", "submission_offset", "column", "value"])
for name in sorted(os.listdir(DIR)):
    if not name.endswith(".json"):
        continue
    with open(os.path.join(DIR, name), encoding="utf-8") as f:
        doc = json.load(f)
    if any(k in doc for k in ("lowlevel", "rhythm", "tonal", "highlevel")):
        mbid = doc["metadata"]["tags"]["musicbrainz_recordingid"][0]
        for col, v in sorted(values(doc).items()):
            w.writerow([name, mbid, 0, col, v])
    else:
        for mbid, subs in sorted(doc.items()):
            if mbid == "mbid_mapping":
                continue
            for col, v in sorted(values(subs["0"]).items()):
                w.writerow([name, mbid, 0, col, v])
