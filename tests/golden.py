#!/usr/bin/python3
"""Golden tests of `ofii-watch parse --json`: every NAME.eml in the given
directories is parsed and compared with NAME.json (or expected/NAME.json).

    tests/golden.py BIN DIR...            compare; exit 1 on any difference
    tests/golden.py --update BIN DIR...   rewrite each NAME.json from the output

The comparison is on JSON values, field by field, and every difference is
printed.  A directory may list mails the extractor is known to get wrong in
KNOWN_FAILURES ("NAME.eml  why", one per line): they are reported as xfail
and do not fail the run, but one that starts passing does, so the list is
kept honest.  Fields the expected object does not have (e.g. "person" in the
shared samples) are not compared.  The program runs from inside each
directory so that "file" is the bare name, as the contract's examples do.

The last lines score recognition, the two failures that count for the
person: per directory, mails exact; then, over every mail, precision and
recall of "this is a summons" (a convocation, reschedule or cancellation
with an appointment) and the false positives (mails that expect no
appointment but got one: an appointment invented in the calendar).
"""
import json
import os
import subprocess
import sys


def expected_path(d, name):
    for p in (os.path.join(d, name + ".json"),
              os.path.join(d, "expected", name + ".json")):
        if os.path.exists(p):
            return p
    return None


def diff(path, want, got, out):
    if isinstance(want, dict) and isinstance(got, dict):
        for k in want:
            if k not in got:
                out.append(f"{path}.{k}: missing (want {json.dumps(want[k], ensure_ascii=False)})")
            else:
                diff(f"{path}.{k}", want[k], got[k], out)
    elif isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for i, (w, g) in enumerate(zip(want, got)):
            diff(f"{path}[{i}]", w, g, out)
    elif want != got:
        out.append(f"{path}: got {json.dumps(got, ensure_ascii=False)}, "
                   f"want {json.dumps(want, ensure_ascii=False)}")


def is_summons(obj):
    """A convocation, reschedule or cancellation that gives an appointment."""
    return (obj.get("kind") in ("convocation", "reschedule", "cancellation")
            and bool(obj.get("appointments")))


def main(argv):
    update = False
    if argv and argv[0] == "--update":
        update = True
        argv = argv[1:]
    if len(argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(argv[0])
    files = failed = appts_total = appts_exact = xfails = 0
    tp = fp = fn = 0
    per_dir = []
    env = dict(os.environ, OFII_WATCH_NOW="2026-01-15T10:00", TZ="Europe/Paris")
    for d in argv[1:]:
        dir_files = dir_exact = 0
        known = {}
        kf = os.path.join(d, "KNOWN_FAILURES")
        if os.path.exists(kf):
            for line in open(kf, encoding="utf-8"):
                if line.strip() and not line.startswith("#"):
                    name, _, why = line.strip().partition(" ")
                    known[name] = why.strip()
        for eml in sorted(f for f in os.listdir(d) if f.endswith(".eml")):
            name = eml[:-4]
            exp = expected_path(d, name)
            if exp is None and not update:
                continue
            files += 1
            r = subprocess.run([binary, "-q", "-c", "/dev/null", "parse", "--json", eml],
                               cwd=d, env=env, capture_output=True, text=True, timeout=60)
            lines = r.stdout.splitlines()
            if r.returncode != 0 or len(lines) != 1:
                print(f"FAIL {d}/{eml}: exit {r.returncode}, {len(lines)} output lines")
                print("     " + r.stderr.strip().replace("\n", "\n     "))
                failed += 1
                continue
            got = json.loads(lines[0])
            if update:
                exp = exp or os.path.join(d, name + ".json")
                with open(exp, "w", encoding="utf-8") as f:
                    json.dump(got, f, indent=2, ensure_ascii=False)
                    f.write("\n")
                continue
            with open(exp, encoding="utf-8") as f:
                want = json.load(f)
            want_summons = is_summons(want)
            got_summons = is_summons(got)
            tp += want_summons and got_summons
            fp += got_summons and not want_summons
            fn += want_summons and not got_summons
            dir_files += 1
            for w in want.get("appointments", []):
                appts_total += 1
                # keys the expected object leaves out are not compared
                if any({k: g.get(k) for k in w} == w
                       for g in got.get("appointments", [])):
                    appts_exact += 1
            out = []
            diff(name, want, got, out)
            if out and eml in known:
                xfails += 1
                print(f"xfail {d}/{eml}: {known[eml]}")
                for line in out:
                    print("     " + line)
            elif out:
                failed += 1
                print(f"FAIL {d}/{eml}")
                for line in out:
                    print("     " + line)
            elif eml in known:
                failed += 1
                print(f"XPASS {d}/{eml}: passes now, remove it from KNOWN_FAILURES")
            else:
                print(f"ok   {d}/{eml}")
            dir_exact += not out
        per_dir.append((d, dir_exact, dir_files))
    if update:
        print(f"golden: rewrote {files} expected files")
        return 0
    for d, e, n in per_dir:
        if n:
            print(f"score {os.path.basename(os.path.normpath(d))}: {e}/{n} mails exact")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    print(f"summons: precision {prec:.3f}, recall {rec:.3f} "
          f"({tp} found, {fn} missed, {fp} false positives)")
    print(f"golden: {files - failed - xfails}/{files} mails exact, "
          f"{appts_exact}/{appts_total} appointments exact"
          + (f", {xfails} known failures" if xfails else ""))
    return 1 if failed or files == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
