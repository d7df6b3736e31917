#!/usr/bin/env python3
"""check_script_coverage.py - fails when a command of the command table (src/lang/commands.c)
or a function of the function table (src/lang/functions.c) is used by no golden script in
tests/scripts, so that a new command or function cannot land without a golden test.

usage: check_script_coverage.py SOURCE_DIR
"""
import glob
import os
import re
import sys


def table_names(path, pattern):
    with open(path, encoding="utf-8") as f:
        return re.findall(pattern, f.read(), re.M)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    commands = table_names(os.path.join(root, "src/lang/commands.c"),
                           r'^\s*\{"([a-z][a-z-]*)", [DPBSAVRCU],')
    functions = table_names(os.path.join(root, "src/lang/functions.c"),
                            r'\{"([a-z_0-9]+)", *(?:\d+|ANY), *(?:\d+|ANY),')
    scripts = {}
    for path in sorted(glob.glob(os.path.join(root, "tests/scripts/*.mdata"))):
        with open(path, encoding="utf-8") as f:
            scripts[os.path.basename(path)] = f.read()
    if len(commands) < 80 or len(functions) < 70 or not scripts:
        print("could not read the command and function tables (%d, %d) or the scripts"
              % (len(commands), len(functions)))
        return 1

    def used(pattern):
        return any(pattern.search(text) for text in scripts.values())

    missing = []
    for name in commands:
        if not used(re.compile(r"^\s*" + re.escape(name) + r"(\s|$|\()", re.M)):
            missing.append("command " + name)
    for name in functions:
        if not used(re.compile(r"(?<![\w@])" + re.escape(name) + r"\s*\(")):
            missing.append("function " + name)
    for what in missing:
        print("no golden script uses " + what)
    print("script coverage: %d commands, %d functions, %d scripts; %d uncovered"
          % (len(commands), len(functions), len(scripts), len(missing)))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
