#!/usr/bin/env python3
"""Prints the source-tree map for docs/architecture.md: one line per file under src/, taken
from the first sentence of the file's top comment ("name.c - what it is for.")."""
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
os.chdir(root)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk("src") for f in fs
               if f.endswith((".c", ".h")))
current = None
for path in files:
    directory = os.path.dirname(path)
    if directory != current:
        print(f"\n### {directory}\n")
        current = directory
    text = open(path, encoding="utf-8").read()
    match = re.match(r"/\*(.*?)\*/", text, re.S)
    body = match.group(1) if match else ""
    lines = []
    for line in body.splitlines():
        line = re.sub(r"^\s*\*?\s?", "", line).strip()
        if not line and lines:
            break
        if line:
            lines.append(line)
    summary = " ".join(lines)
    summary = re.sub(r"^\S+ - ", "", summary)
    sentence = re.split(r"(?<=\.)\s", summary, maxsplit=1)[0]
    if len(sentence) > 160:
        sentence = sentence[:157].rsplit(" ", 1)[0] + " ..."
    print(f"- `{os.path.basename(path)}`: {sentence}")
