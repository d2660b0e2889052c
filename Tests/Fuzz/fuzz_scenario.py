#!/usr/bin/env python3
"""Fuzz `retailsim scenario check FILE` with mutated scenario files.

Generates N mutated files from $REPO/Experiments/scenarios/*.toml (plus a
smaller JSON batch from a run's scenario.json), runs `scenario check` on each
(one process at a time, with a timeout), classifies the outcome, and for every
accepted file compares retailsim's resolved values (`scenario show FILE`) with
what Python's tomllib reads.

Usage: python3 fuzz_scenario.py [N] [SEED]
Writes $FUZZ_WORK/fuzz1/{files/,results.jsonl,summary.json}
"""
import glob, json, math, os, random, re, subprocess, sys, tomllib, time
import os as _os, tempfile as _tf
os = _os
REPO = _os.environ.get("REPO", _os.getcwd())
WORK = _os.environ.get("FUZZ_WORK", _os.path.join(_tf.gettempdir(), "retailsim-fuzz"))
_os.makedirs(WORK, exist_ok=True)

BIN = os.environ.get("RETAILSIM", os.path.join(REPO, ".build/release/retailsim"))
OUT = WORK + "/fuzz1"
FILES = os.path.join(OUT, "files")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 2400
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 20241125
rng = random.Random(SEED)
os.makedirs(FILES, exist_ok=True)

SEEDS = {os.path.basename(p): open(p, "rb").read() for p in sorted(glob.glob(REPO + "/Experiments/scenarios/*.toml"))}
SEED_JSON = None
sj = WORK + "/tinyrun/scenario.json"
if not os.path.exists(sj):  # a tiny run gives a scenario.json to mutate
    subprocess.run([BIN, "run", "--shoppers", "300", "--weeks", "4", "--set", "run.warmupWeeks=1",
                    "--out", WORK + "/tinyrun", "--quiet"], capture_output=True, timeout=60)
if os.path.exists(sj):
    SEED_JSON = open(sj, "rb").read()

# --------------------------------------------------------------------------
# mutations: each takes bytes and returns bytes, and a label
WEIRD_VALUES = [
    "1e400", "-1e400", "-0", "-0.0", "+0", "nan", "+nan", "-nan", "NaN", "inf", "+inf", "-inf", "Infinity",
    "1_000", "1__000", "_1", "1_", "1_000.5_5", ".5", "5.", "-.5", "0x10", "0o17", "0b101", "0x1p3", "1e-320", "4.9e-324",
    "1e308", "1.7976931348623157e308", "9e15", "9007199254740993", "9223372036854775808", "99999999999999999999",
    "007", "+5", "1e3", "1E3", "1.0e+2", "1e", "e5", "--1", "1-", "1.2.3", "1,5", "1 000",
    '"12"', "'12'", '"abc"', '""', "''", "true", "false", "TRUE", "True", "yes", "null",
    "[1, 2]", "[]", "{a = 1}", "{}", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z",
    '"\u00fc\u00df\u4e2d"', '"\\u00e9"', '"a\\"b"', '"a\\tb"', '"a\\x"', '"""multi"""', "'''lit'''", '"unterminated',
    "unterminated'", '"a" "b"', '"a"b"', "abc", "\u00fc", "\u0660", "\uff11", "\u00bd", "\u2212" + "1", "5 6", "5 # c", "5#c",
    "\t5", "5\t", "\u00a05", "5\u00a0", "\u30005", "1" * 300, "0." + "0" * 400 + "1", "1" + "0" * 400,
]
WEIRD_KEYS = [
    "run.weeks", '"run.weeks"', '"run"."weeks"', "'run'.'weeks'", "run . weeks", "run..weeks", ".run", "run.", "",
    "r\u00fcn.weeks", "run.w\u00e9eks", "\u0440un.weeks", "RUN.WEEKS", "run.weeks.extra", "a" + ".b" * 500,
    "run weeks", "run-weeks", "1.2", "name.x", "population", "amazon.prime", '"amazon.prime".monthlyFee',
    "amazon.\"prime\".monthlyFee", "x" * 5000, "\t run.seed", "run.seed\t",
]
HEADERS = ["[run]", "[ run ]", "[[run]]", "[run", "run]", "[]", "[.]", "[run.weeks]", "[amazon.\"prime\"]", '["amazon.prime"]',
           "[a" + ".b" * 300 + "]", "[r\u00fcn]", "[run] x", "[run] # c", "[population.shoppers]", "[name]", "[\"\"]", "[ ]"]


def lines_of(b):
    return b.split(b"\n")


def m_byteflip(b):
    if not b:
        return b, "byteflip-empty"
    a = bytearray(b)
    k = rng.choice([1, 1, 2, 3, 8, 32])
    for _ in range(k):
        i = rng.randrange(len(a))
        a[i] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(a), f"byteflip{k}"


def m_truncate(b):
    if not b:
        return b, "truncate-empty"
    i = rng.randrange(len(b))
    return b[:i], "truncate"


def m_duptable(b):
    ls = lines_of(b)
    idx = [i for i, l in enumerate(ls) if l.strip().startswith(b"[")]
    if not idx:
        return b + b"\n" + b, "dupfile"
    i = rng.choice(idx)
    j = i + 1
    while j < len(ls) and not ls[j].strip().startswith(b"["):
        j += 1
    block = ls[i:j]
    if rng.random() < 0.5:  # same header, no keys (TOML: still a redefinition)
        block = block[:1]
        lab = "duptable-header"
    else:
        lab = "duptable-block"
    return b"\n".join(ls + block) + b"\n", lab


def m_crlf(b):
    return b.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), "crlf"


def m_cr(b):
    return b.replace(b"\n", b"\r"), "cr-only"


def m_bom(b):
    return b"\xef\xbb\xbf" + b, "bom"


def kv_lines(ls):
    return [i for i, l in enumerate(ls) if b"=" in l and not l.strip().startswith(b"#") and not l.strip().startswith(b"[")]


def m_value(b):
    ls = lines_of(b)
    idx = kv_lines(ls)
    v = rng.choice(WEIRD_VALUES)
    if not idx:
        return b + ("\nrun.weeks = " + v + "\n").encode(), "value-append"
    i = rng.choice(idx)
    line = ls[i].decode("utf-8", "replace")
    key = line.split("=", 1)[0]
    ls[i] = (key + "= " + v).encode("utf-8")
    return b"\n".join(ls), "value:" + v[:24]


def m_key(b):
    ls = lines_of(b)
    idx = kv_lines(ls)
    k = rng.choice(WEIRD_KEYS)
    if not idx:
        return b + ("\n" + k + " = 1\n").encode(), "key-append"
    i = rng.choice(idx)
    line = ls[i].decode("utf-8", "replace")
    val = line.split("=", 1)[1]
    ls[i] = (k + " =" + val).encode("utf-8")
    return b"\n".join(ls), "key:" + k[:24]


def m_header(b):
    ls = lines_of(b)
    idx = [i for i, l in enumerate(ls) if l.strip().startswith(b"[")]
    h = rng.choice(HEADERS)
    if idx and rng.random() < 0.7:
        ls[rng.choice(idx)] = h.encode()
    else:
        ls.insert(rng.randrange(len(ls) + 1), h.encode())
    return b"\n".join(ls), "header:" + h[:24]


def m_longline(b):
    kind = rng.choice(["comment", "string", "number", "key", "spaces"])
    n = rng.choice([10_000, 100_000, 1_000_000])
    if kind == "comment":
        add = "# " + "c" * n
    elif kind == "string":
        add = 'name = "' + "s" * n + '"'
    elif kind == "number":
        add = "run.seed = " + "1" * n
    elif kind == "key":
        add = "run." + "k" * min(n, 100_000) + " = 1"
    else:
        add = " " * n + "run.seed = 2" + " " * n
    ls = lines_of(b)
    ls.insert(rng.randrange(len(ls) + 1), add.encode())
    return b"\n".join(ls), f"longline-{kind}-{n}"


def m_deepkey(b):
    d = rng.choice([10, 100, 1000, 10000])
    key = ".".join(["k"] * d)
    if rng.random() < 0.5:
        add = key + " = 1"
    else:
        add = "[" + key + "]\nx = 1"
    return b + b"\n" + add.encode() + b"\n", f"deepkey-{d}"


def m_array_inline(b):
    v = rng.choice(["[1, 2, 3]", "[[1], [2]]", "[\n1,\n2\n]", "{ weeks = 5 }", "{ weeks = 5, seed = 2 }", "[" * 1000 + "]" * 1000,
                    "{a={b={c=1}}}", "[\"a\", 1]"])
    k = rng.choice(["run", "run.weeks", "amazon.prime", "name", "x"])
    add = f"{k} = {v}"
    return b + b"\n" + add.encode() + b"\n", "array/inline:" + v[:16]


def m_escape(b):
    v = rng.choice(['"a\\nb"', '"\\u0000"', '"tab\\there"', '"\\\\"', '"quote\\"inside"', "'single \\n'", '"\\U0001F600"',
                    '"emoji \U0001F600"', '"ctrl \x01 char"', '"nul \x00 char"', '"new\nline"', '"baseline"', "'baseline'"])
    return b + b"\nname = " + v.encode("utf-8") + b"\n", "escape:" + v[:16]


def m_empty(b):
    return rng.choice([b"", b"\n", b"   \n\t\n", b"# only a comment\n", b"\n" * 10000]), "empty"


def m_garbage(b):
    n = rng.choice([1, 16, 256, 4096, 65536])
    g = bytes(rng.randrange(256) for _ in range(n))
    if rng.random() < 0.5:
        return g, f"garbage-{n}"
    i = rng.randrange(len(b) + 1)
    return b[:i] + g + b[i:], f"garbage-insert-{n}"


def m_unicode(b):
    ls = lines_of(b)
    i = rng.randrange(len(ls))
    ch = rng.choice(["\u00a0", "\u2028", "\u2029", "\u200b", "\ufeff", "\u202e", "\u0301", "\ud7ff", "\U0010ffff", "\u3000", "\x0b", "\x0c", "\x85"])
    s = ls[i].decode("utf-8", "replace")
    p = rng.randrange(len(s) + 1)
    ls[i] = (s[:p] + ch + s[p:]).encode("utf-8", "surrogatepass")
    return b"\n".join(ls), "unicode:" + repr(ch)


def m_swapdel(b):
    ls = lines_of(b)
    if len(ls) < 2:
        return b, "swapdel-none"
    op = rng.choice(["del", "swap", "dup", "move"])
    i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
    if op == "del":
        del ls[i]
    elif op == "swap":
        ls[i], ls[j] = ls[j], ls[i]
    elif op == "dup":
        ls.insert(j, ls[i])
    else:
        l = ls.pop(i)
        ls.insert(j, l)
    return b"\n".join(ls), "lines-" + op


def m_splice(b):
    other = rng.choice(list(SEEDS.values()))
    ls, lo = lines_of(b), lines_of(other)
    i = rng.randrange(len(lo))
    ls.insert(rng.randrange(len(ls) + 1), lo[i])
    return b"\n".join(ls), "splice"


def m_relation(b):
    # values fine alone, bad together (validate())
    add = rng.choice(["[run]\nweeks = 5\nwarmupWeeks = 5", "amazon.strategy.priceFloor = 1.2", "amazon.priceIndex = 1.5",
                      "amazon.fulfillmentCenters = 400", "geography.towns = 0", "geography.widthKm = 1e7",
                      "shoppers.tripsPerWeek.scale = 100", "walmart.peoplePerStore = 1", "population.shoppers = 2000000000",
                      "geography.cities = 60000", "geography.towns = 1000000", "run.weeks = 100000"])
    return b + b"\n" + add.encode() + b"\n", "relation:" + add.split("\n")[-1][:24]


def m_whitespace(b):
    return b.replace(b" = ", rng.choice([b"=", b"\t=\t", b"  =  ", b" =", b"= "])), "whitespace"


MUTATORS = [m_byteflip, m_truncate, m_duptable, m_crlf, m_cr, m_bom, m_value, m_value, m_value, m_key, m_key, m_header,
            m_longline, m_deepkey, m_array_inline, m_escape, m_empty, m_garbage, m_unicode, m_swapdel, m_splice, m_relation,
            m_whitespace]


def mutate_toml(i):
    name, b = rng.choice(list(SEEDS.items()))
    labels = []
    primary = MUTATORS[i % len(MUTATORS)]  # round robin so every class is represented
    b, lab = primary(b)
    labels.append(lab)
    for _ in range(rng.choice([0, 0, 1, 2])):
        m = rng.choice(MUTATORS)
        if m is m_empty:
            continue
        b, lab = m(b)
        labels.append(lab)
    return name, b, labels


JSON_MUTS = ["1e400", "-1e400", "NaN", "Infinity", "-0", "\"12\"", "[1]", "null", "{}", "true", "1e-320", "9007199254740993", "0.5", "-1"]


def mutate_json(i):
    b = SEED_JSON
    kind = rng.choice(["value", "deep", "dupkey", "truncate", "byteflip", "toplevel", "dottedkey", "bom", "crlf", "garbage"])
    if kind == "value":
        t = b.decode()
        spots = [m.start(1) for m in re.finditer(r": (-?[0-9][^,\n]*)", t)]
        s = rng.choice(spots)
        e = s + len(re.match(r"-?[0-9][^,\n]*", t[s:]).group(0))
        v = rng.choice(JSON_MUTS)
        return b"" + (t[:s] + v + t[e:]).encode(), ["json-value:" + v]
    if kind == "deep":
        d = rng.choice([100, 1000, 10000, 100000])
        if rng.random() < 0.5:
            return ("{\"x\": " + "[" * d + "]" * d + "}").encode(), [f"json-deep-array-{d}"]
        return ("{\"a\": " * d + "1" + "}" * d).encode(), [f"json-deep-object-{d}"]
    if kind == "dupkey":
        t = b.decode()
        return t.replace("{\n", "{\n  \"name\": \"dup\",\n  \"run\": {\"weeks\": 7},\n", 1).encode(), ["json-dupkey"]
    if kind == "truncate":
        return b[:rng.randrange(len(b))], ["json-truncate"]
    if kind == "byteflip":
        return m_byteflip(b)[0], ["json-byteflip"]
    if kind == "toplevel":
        return rng.choice([b"[]", b"1", b"\"x\"", b"null", b"", b"{}"]), ["json-toplevel"]
    if kind == "dottedkey":
        return b"{\"run.weeks\": 12, \"run\": {\"warmupWeeks\": 2}}", ["json-dottedkey"]
    if kind == "bom":
        return b"\xef\xbb\xbf" + b, ["json-bom"]
    if kind == "crlf":
        return b.replace(b"\n", b"\r\n"), ["json-crlf"]
    return m_garbage(b)[0], ["json-garbage"]


# --------------------------------------------------------------------------
def run(args, timeout=15):
    t0 = time.time()
    try:
        p = subprocess.run([BIN] + args, capture_output=True, timeout=timeout, preexec_fn=limit_mem)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.time() - t0
    except subprocess.TimeoutExpired:
        return "timeout", "", "", time.time() - t0


def limit_mem():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def flatten(d, prefix=""):
    out, stack = {}, [(prefix, d)]
    while stack:
        pre, node = stack.pop()
        for k, v in node.items():
            p = pre + "." + k if pre else k
            if isinstance(v, dict):
                stack.append((p, v))
            else:
                out[p] = v
    return out


def keys_with_dots(d):
    stack = [d]
    while stack:
        node = stack.pop()
        for k, v in node.items():
            if "." in k:
                return True
            if isinstance(v, dict):
                stack.append(v)
    return False


def swift_num(d):
    if not math.isfinite(d):
        return str(d)
    if d == round(d) and abs(d) <= 9007199254740992:
        return str(int(d))
    r = repr(d)
    return r


def parse_show(text):
    # Adapted for 0.5.0: `scenario show` pads columns without cutting a long
    # value (D20), so fields are split on spaces instead of sliced at fixed columns.
    vals = {}
    for line in text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            vals[parts[0]] = (parts[1], False)
    return vals


BASE_SHOW = None


def compare(file, tdoc, show):
    """Disagreements between tomllib's values and retailsim's resolved ones."""
    probs = []
    flat = flatten(tdoc)
    for p, v in flat.items():
        if p == "name":
            continue
        if p not in show:
            probs.append(f"{p}: in tomllib, unknown to retailsim")
            continue
        got, trunc = show[p]
        if isinstance(v, bool):
            exp = "true" if v else "false"
        elif isinstance(v, (int, float)):
            exp = swift_num(float(v))
        elif isinstance(v, str):
            exp = '"' + v + '"'
        else:
            exp = repr(v)
        if trunc:
            ok = exp.startswith(got)
        else:
            ok = got == exp
            if not ok and isinstance(v, (int, float)) and not isinstance(v, bool):
                try:
                    ok = math.isclose(float(got), float(v), rel_tol=1e-12)
                except ValueError:
                    ok = False
        if not ok:
            probs.append(f"{p}: tomllib {exp[:40]} retailsim {got[:40]}")
    # parameters retailsim changed that tomllib does not set
    for p, (got, trunc) in show.items():
        if p not in flat and BASE_SHOW and BASE_SHOW.get(p, (None,))[0] != got:
            probs.append(f"{p}: retailsim changed it to {got[:40]}, tomllib does not set it")
    return probs


LOC_LINE = re.compile(r"\.(toml|json):\d+")


def classify_message(err, fname):
    e = err.strip()
    if LOC_LINE.search(e):
        return "file:line"
    if fname in e:
        return "file"
    if re.search(r"[a-z]+\.[a-zA-Z]+(\.[a-zA-Z]+)*", e) and ("scenario:" in e or "error: scenario" in e):
        return "path-only(source 'scenario')"
    return "none"


def main():
    global BASE_SHOW
    rc, out, err, _ = run(["scenario", "show"])
    BASE_SHOW = parse_show(out)
    results = []
    t_start = time.time()
    njson = N // 8
    for i in range(N):
        if i < N - njson:
            seedname, data, labels = mutate_toml(i)
            ext = "toml"
        else:
            seedname, (data, labels) = "scenario.json", mutate_json(i)
            ext = "json"
        fname = f"f{i:05d}.{ext}"
        path = os.path.join(FILES, fname)
        with open(path, "wb") as f:
            f.write(data)
        rc, out, err, secs = run(["scenario", "check", path])
        r = {"i": i, "file": path, "seed": seedname, "labels": labels, "rc": rc, "secs": round(secs, 3),
             "stderr": err[:400], "stdout": out[:300], "size": len(data)}
        if rc == 0:
            tv, tdoc, terr = None, None, None
            if ext == "toml":
                try:
                    tdoc = tomllib.loads(data.decode("utf-8"))
                    tv = True
                except Exception as ex:
                    tv, terr = False, str(ex)[:200]
            else:
                try:
                    tdoc = json.loads(data.decode("utf-8"))
                    tv = True
                except Exception as ex:
                    tv, terr = False, str(ex)[:200]
            r["tomllib_valid"] = tv
            r["tomllib_error"] = terr
            if not tv and ext == "toml":
                # what a lenient reader would see: BOM stripped, CRLF / CR made LF
                try:
                    norm = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
                    tdoc = tomllib.loads(norm)
                    r["normalized_valid"] = True
                except Exception:
                    r["normalized_valid"] = False
            src, sout, serr, _ = run(["scenario", "show", path])
            if src == 0 and (tv or r.get("normalized_valid")) and isinstance(tdoc, dict):
                show = parse_show(sout)
                probs = compare(path, tdoc, show)
                r["disagree"] = probs[:10]
                r["quoted_dotted_key"] = keys_with_dots(tdoc)
                m = re.search(r'scenario "(.*)", (\d+) parameter', out, re.S)
                tname = tdoc.get("name", os.path.splitext(fname)[0])
                if m and m.group(1) != tname:
                    r["name_disagree"] = [tname[:40] if isinstance(tname, str) else repr(tname), m.group(1)[:40]]
            elif src != 0:
                r["show_rc"] = src
        elif rc == 2:
            r["loc"] = classify_message(err, fname)
        results.append(r)
        if i % 200 == 0:
            print(f"{i}/{N} {time.time() - t_start:.0f}s", file=sys.stderr, flush=True)
    with open(os.path.join(OUT, "results.jsonl"), "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    summarize(results)


def summarize(results):
    s = {"tried": len(results), "toml": sum(r["file"].endswith(".toml") for r in results),
         "json": sum(r["file"].endswith(".json") for r in results)}
    cls = {}
    for r in results:
        rc = r["rc"]
        if rc == "timeout":
            k = "timeout"
        elif rc == 0:
            if r.get("tomllib_valid") is False and r.get("normalized_valid") and r.get("disagree"):
                k = "exit0-invalid-per-tomllib-AND-content-ignored"
            elif r.get("tomllib_valid") is False:
                k = "exit0-invalid-per-tomllib"
            elif r.get("disagree"):
                k = "exit0-valid-values-DISAGREE"
            elif r.get("name_disagree"):
                k = "exit0-valid-name-disagree"
            else:
                k = "exit0-valid-agree"
        elif rc == 2:
            k = "exit2-" + r.get("loc", "?")
        elif isinstance(rc, int) and (rc < 0 or rc >= 128):
            k = f"crash(rc={rc})"
        else:
            k = f"other-exit-{rc}"
        r["class"] = k
        cls[k] = cls.get(k, 0) + 1
    s["classes"] = dict(sorted(cls.items()))
    s["max_secs"] = max(r["secs"] for r in results)
    s["slow_over_2s"] = [(r["file"], r["labels"], r["secs"]) for r in results if r["secs"] > 2]
    json.dump(s, open(os.path.join(OUT, "summary.json"), "w"), indent=1)
    with open(os.path.join(OUT, "results.jsonl"), "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    print(json.dumps(s, indent=1))


if __name__ == "__main__":
    main()
