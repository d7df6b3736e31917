#!/usr/bin/env python3
"""check_reference.py RESULT.json [EXPECTED.json] - compares the numbers of an
`mdata run --trusted --json` result document with the reference values computed by
make_reference.py. Standard library only. Exit 0 when every value matches."""
import json
import os
import sys


def find_cell(entry, item):
    tables = [it for it in entry["items"] if it.get("type") == "table"]
    if item["table"] >= len(tables):
        return None, "no table %d" % item["table"]
    t = tables[item["table"]]
    if item["column"] not in t["columns"]:
        return None, "no column %r in %r" % (item["column"], t["columns"])
    col = t["columns"].index(item["column"])
    for row in t["rows"]:
        if "|".join(row["labels"]) == item["row"]:
            return row["cells"][col], None
    return None, "no row %r" % item["row"]


def find_stat(entry, item):
    for it in entry["items"]:
        if it.get("type") == "stat" and it.get("name") == item["stat"]:
            return it["value"], None
    return None, "no statistic %r" % item["stat"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    expected_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "expected.json")
    with open(expected_path) as f:
        expected = json.load(f)
    entries = doc["entries"]
    failures = 0
    for item in expected:
        where = "entry %d (%s)" % (item["entry"], entries[item["entry"]]["command"]
                                   if item["entry"] < len(entries) else "missing")
        if item["entry"] >= len(entries):
            print("FAIL %s: missing" % where)
            failures += 1
            continue
        entry = entries[item["entry"]]
        if entry.get("error"):
            print("FAIL %s: %s" % (where, entry["error"].get("message")))
            failures += 1
            continue
        cell, problem = find_stat(entry, item) if "stat" in item else find_cell(entry, item)
        if cell is None or not isinstance(cell, dict) or cell.get("value") is None:
            print("FAIL %s %s: %s" % (where, item.get("row", item.get("stat")),
                                       problem or "no number (%r)" % (cell,)))
            failures += 1
            continue
        got = float(cell["value"])
        want = item["value"]
        tol = item.get("tolerance", 1e-7)
        if abs(got - want) > tol * max(abs(want), 1e-3) + 1e-12:
            print("FAIL %s %s/%s: got %r, want %r" % (where, item.get("row", item.get("stat")),
                                                     item.get("column", ""), got, want))
            failures += 1
    print("%d of %d reference values match" % (len(expected) - failures, len(expected)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
