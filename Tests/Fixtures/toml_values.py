"""Reads each TOML file named on the command line with Python's tomllib and
prints one JSON line per file: {"file", "ok", "values"} where values maps the
full key (parts joined by U+001F) to the value, floats as repr strings."""
import json, math, sys, tomllib, datetime

def flat(table, prefix, out):
    for k, v in table.items():
        key = prefix + [k]
        if isinstance(v, dict):
            flat(v, key, out)
        elif isinstance(v, bool):
            out["\x1f".join(key)] = ["boolean", v]
        elif isinstance(v, (int, float)):
            out["\x1f".join(key)] = ["number", repr(float(v)) if not math.isnan(v) else "nan"]
        elif isinstance(v, str):
            out["\x1f".join(key)] = ["text", v]
        else:
            out["\x1f".join(key)] = ["unsupported", type(v).__name__]

for path in sys.argv[1:]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
        values = {}
        flat(data, [], values)
        print(json.dumps({"file": path, "ok": True, "values": values}))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        print(json.dumps({"file": path, "ok": False, "error": str(e)}))
