"""Reads each TOML file named on the command line with Python's tomllib and
prints one JSON line per file: {"file", "ok", "values"} where values maps the
full key (parts joined by U+001F) to the value, floats as repr strings."""
import json, math, sys, tomllib, datetime

def flat(table, prefix, out):
    for k, v in table.items():
        key = prefix + [k]
        if isinstance(v, dict):
            flat(v, key, out)
        elif isinstance(v, list) and v and all(isinstance(e, dict) for e in v):
            # An array of tables: element k (from 1) as the key part "[k]", as RetailSim's reader names it.
            for i, element in enumerate(v):
                flat(element, key + [f"[{i + 1}]"], out)
        elif isinstance(v, bool):
            out["\x1f".join(key)] = ["boolean", v]
        elif isinstance(v, (int, float)):
            out["\x1f".join(key)] = ["number", repr(float(v)) if not math.isnan(v) else "nan"]
        elif isinstance(v, str):
            out["\x1f".join(key)] = ["text", v]
        elif type(v) is datetime.date:
            # A local date: RetailSim reads it as its YYYY-MM-DD text (run.start, timeline dates).
            out["\x1f".join(key)] = ["date", v.isoformat()]
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
