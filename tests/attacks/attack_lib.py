#!/usr/bin/env python3
"""attack_lib.py - helpers for the attack tests of tests/attacks (spec/disclosure.md
section 5): run mdata on the test store (controlled or trusted), read result documents,
find tables and refusals, and build conditions that select an exact number of units
(subset sums of municipality sizes, known to the attacker from a trusted run: the
strongest attacker). Standard library only. Each NAME.check calls one function here."""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

PRELUDE = """require no.ssb.fdb:1.0.0 as db
create-dataset pop
import db/BEFOLKNING_STATUSKODE 2024-01-01 as regstat
keep if regstat == '1'
import db/BEFOLKNING_KJOENN as kjonn
import db/BEFOLKNING_KOMMNR_FORMELL 2024-01-01 as kommune
import db/INNTEKT_WLONN 2023-12-31 as lonn
"""


class Failure(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Failure(message)


def mdata():
    return os.environ["MDATA"]


def store():
    return os.environ["STORE"]


def load(path):
    with open(path) as f:
        text = f.read()
    require(text.strip() != "", "mdata printed no result document")
    return json.loads(text)


def run(script, *args, raw=False):
    """Runs script text; returns the result document (and the raw text with raw=True)."""
    with tempfile.NamedTemporaryFile("w", suffix=".mdata", delete=False) as f:
        f.write(script)
        path = f.name
    # Without --audit, each run gets a fresh audit log of its own (as an unrelated user would),
    # not the runner's $MDATA_AUDIT or the store's default log.
    audit = None
    if "--audit" not in args:
        fd, audit = tempfile.mkstemp(suffix=".audit")
        os.close(fd)
        os.unlink(audit)
        args = ("--audit", audit) + tuple(args)
    try:
        proc = subprocess.run([mdata(), "run", "--json", "--store", store(), *args, path],
                              capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(path)
        if audit and os.path.exists(audit):
            os.unlink(audit)
    require(proc.stdout.strip() != "", "mdata run printed nothing: " + proc.stderr[:300])
    doc = json.loads(proc.stdout)
    return (doc, proc.stdout) if raw else doc


def entries(doc, prefix=None):
    return [e for e in doc["entries"] if prefix is None or e["command"].startswith(prefix)]


def error_of(entry):
    err = entry.get("error")
    return err if err else None


def refused(doc, prefix):
    """True when the (last) entry whose command starts with prefix carries an error."""
    found = entries(doc, prefix)
    require(found, "no entry for %r" % prefix)
    return error_of(found[-1]) is not None


def first_error(doc):
    for e in doc["entries"]:
        if error_of(e):
            return e
    return None


def no_errors(doc):
    e = first_error(doc)
    require(e is None, "unexpected error at %r: %s" % (e and e["command"],
                                                      e and e["error"].get("message")))


def tables(entry):
    return [it for it in entry["items"] if it.get("type") == "table"]


def cells(entry, index=0):
    """{(row label joined by |, column): cell} of the entry's table."""
    t = tables(entry)[index]
    out = {}
    for row in t["rows"]:
        label = "|".join(row["labels"])
        for col, cell in zip(t["columns"], row["cells"]):
            out[(label, col)] = cell
    return out


def number(cell):
    if not isinstance(cell, dict) or cell.get("value") is None:
        return None
    return float(cell["value"])


def column(entry, name, index=0):
    return {row: c for (row, col), c in cells(entry, index).items() if col == name}


def user_texts(doc):
    """Every message, hint and warning shown to the user."""
    texts = []
    for e in doc["entries"]:
        texts.extend(e.get("warnings") or [])
        err = error_of(e)
        if err:
            texts.append(err.get("message", ""))
            texts.append(err.get("hint", ""))
    return texts


def trusted_freq(script):
    """Freq column of the last tabulate of a trusted run, cached per store and script (the
    attacker's knowledge; many tests need the same tables)."""
    manifest = os.path.join(store(), "manifest.json")
    stamp = "%s|%s|%s" % (os.path.realpath(store()), os.path.getmtime(manifest)
                          if os.path.exists(manifest) else 0, script)
    key = hashlib.sha256(stamp.encode()).hexdigest()[:24]
    path = os.path.join(tempfile.gettempdir(), "mdata-attack-%s.json" % key)
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    doc = run(script, "--trusted")
    no_errors(doc)
    freq = {k: number(v) for k, v in column(entries(doc, "tabulate")[-1], "Freq").items()}
    tmp = path + ".%d" % os.getpid()
    with open(tmp, "w") as f:
        json.dump(freq, f)
    os.replace(tmp, path)
    return freq


def municipality_sizes(extra=""):
    """True unit counts per municipality code (trusted run; the attacker's best case)."""
    freq = trusted_freq(PRELUDE + extra + "tabulate kommune, nolabels\n")
    return {k: int(v) for k, v in freq.items() if k != "Total" and v}


def subset_with(sizes, total, avoid=()):
    """Municipality codes whose sizes add up to exactly total (dynamic programming)."""
    reach = {0: []}
    for code, n in sorted(sizes.items()):
        if code in avoid:
            continue
        for s, codes in list(reach.items()):
            t = s + n
            if t <= total and t not in reach:
                reach[t] = codes + [code]
        if total in reach:
            return reach[total]
    raise Failure("no municipality subset with the wanted size")


def any_of(codes, var="kommune"):
    return "(" + " | ".join("%s == '%s'" % (var, c) for c in codes) + ")"


def population_size():
    return int(trusted_freq(PRELUDE + "tabulate kjonn\n")["Total"])


def unique_income():
    """A value of lonn held by exactly one unit, and the largest value (trusted run)."""
    freq = trusted_freq(PRELUDE + "tabulate lonn, nolabels\n")
    singles = sorted(float(k) for k, v in freq.items() if k != "Total" and v == 1)
    require(len(singles) >= 3, "no singular income values")
    return singles


def digits_free(text, allowed=()):
    """True when text holds no number other than rule names (R15) and allowed numbers."""
    stripped = re.sub(r"\bR\d+\b", "", text)
    stripped = re.sub(r"\d+\.\d+\.\d+", "", stripped)  # data versions
    for n in re.findall(r"\d+", stripped):
        if n not in allowed:
            return False
    return True


# ==== Own datastores (attack D1: the test knows the truth) ===============================

def write_fixed_dataset(root, name, title, values):
    """A FIXED LONG dataset root/NAME/NAME.{json,csv} in the microdata-tools input format
    (docs/import.md): values maps a unit id (int) to its integer value."""
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    no = lambda text: [{"languageCode": "no", "value": text}]
    meta = {
        "temporalityType": "FIXED",
        "sensitivityLevel": "PERSON_GENERAL",
        "populationDescription": no("Syntetiske personer for angrepstest D1"),
        "spatialCoverageDescription": no("Norge"),
        "subjectFields": [no("BEFOLKNING")],
        "dataRevision": {"description": no("Testdata.")},
        "identifierVariables": [{"unitType": "PERSON"}],
        "measureVariables": [{
            "name": no(title),
            "description": no(title),
            "dataType": "LONG",
            "valueDomain": {"description": no(title),
                            "measurementType": "QUANTITY",
                            "measurementUnitDescription": no("antall")},
        }],
    }
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    with open(os.path.join(folder, name + ".csv"), "w") as f:
        for unit in sorted(values):
            f.write("%014d;%d;;2020-01-01;\n" % (unit, values[unit]))
    return folder


def make_own_store(path, store_name, dataset_dirs, secret=None):
    """Imports the dataset directories into a new datastore at path and releases it
    (version 1.0.0). secret (32 bytes) replaces the store's random secret key, so that the
    noise, and with it the test, is the same on every run. Raises Failure with mdata's
    message if a step fails."""
    for cmd in ([mdata(), "import", "--store", path, "--init", store_name] + dataset_dirs,
                [mdata(), "release", "--store", path]):
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        require(proc.returncode == 0, "%s failed: %s" % (" ".join(cmd[:2]),
                                                         (proc.stderr or proc.stdout)[:400]))
    if secret is not None:
        key = os.path.join(path, "secret.key")
        require(os.path.isfile(key), "the new store has no secret.key")
        with open(key, "wb") as f:
            f.write(secret)


def run_store(store_dir, script, audit, *args):
    """Runs script text on store_dir with the given audit log (kept, so that releases
    accumulate across runs as for one user); returns the result document."""
    with tempfile.NamedTemporaryFile("w", suffix=".mdata", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        proc = subprocess.run([mdata(), "run", "--json", "--store", store_dir, "--audit",
                               audit, "--user", "attacker", *args, path],
                              capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(path)
    require(proc.stdout.strip() != "", "mdata run printed nothing: " + proc.stderr[:300])
    return json.loads(proc.stdout)


def main():
    name = sys.argv[1]
    module = __import__("attack_checks")
    lib = __import__("attack_lib")
    try:
        getattr(module, name)(sys.argv[2] if len(sys.argv) > 2 else None)
    except lib.Failure as e:
        print("%s: FAIL: %s" % (name, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
