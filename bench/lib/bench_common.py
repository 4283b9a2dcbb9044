"""What the benchmarks' measure.py scripts share (Python standard library only): reading
their JSON files and printing figures. Each measure.py puts this folder on sys.path."""

import json
import os


def read_jsonl(path):
    """The objects of a JSON-lines file, one a non-empty line."""
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def read_json_if_there(path):
    """The JSON file at path; {} when no path is given or no such file exists (an
    optional input such as meta.json)."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def fmt(v, digits=2):
    """A figure for the table: n/a when missing, else with DIGITS decimals."""
    if v is None:
        return "n/a"
    return f"{v:.{digits}f}"
