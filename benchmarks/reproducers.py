"""Issue 10's reproducers, each run as a separate `python -m models.cli` process: time, exit code, outcome.

Usage: ``python benchmarks/reproducers.py [--timeout 30] [--only NAME ...]``. A row gives wall and CPU seconds (CPU is
less disturbed by other load on the machine). Each hostile input is built
in a temporary folder; every process runs with a wall-clock timeout and a 4 GB address-space cap (so a
runaway parse cannot take the machine down). A row reads: name, seconds, exit code, whether stderr
held a Python traceback, and the first line of stderr (shortened). Exit 2 with a bilingual message and
no traceback is the wanted outcome; "TIMEOUT" means the process was killed after ``--timeout`` seconds.
Not a test: numbers depend on the machine; run it before and after a change in the same session.
"""

from __future__ import annotations

import argparse
import base64
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = '[scenario]\nname = "x"\ndistrict = "banan"\n'


def _xlsx_bomb(path: Path, rows: int) -> None:
    """A minimal workbook whose one sheet has ``rows`` rows (compresses to about 1 MB for 3 M rows)."""
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><sheetData>')
            fh.write(b'<row><c t="inlineStr"><is><t>indicator</t></is></c></row>')
            fh.write(b"<row/>" * rows)
            fh.write(b"</sheetData></worksheet>")


def build(tmp: Path) -> list[tuple[str, list[str]]]:
    """(name, cli arguments) for every reproducer; files written into ``tmp``."""
    files = {
        "int400.toml": HEAD + "seed = " + "9" * 400 + "\n",
        "int400_float.toml": HEAD + "[beds]\nlos_mean_years = " + "9" * 400 + "\n",
        "int5000.toml": HEAD + "seed = " + "9" * 5000 + "\n",
        "nested2000.toml": HEAD + "notes = " + "[" * 2000 + "]" * 2000 + "\n",
        "dotted120k.toml": "a" + ".a" * 120_000 + " = 1\n",
        "year_open_base.toml": HEAD + "[[beds.projects]]\nyear_open = 2020\nbeds = 500\n",
        "des_heavy.toml": HEAD + "[beds]\ninstitutionalisation_rate_pct = 100\nlos_mean_years = 0.1\n",
        "shares.toml": HEAD + "[budget]\nshare_central_pct = 100\nshare_municipal_pct = 100\n",
    }
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "wide1mb.csv").write_bytes(b"indicator,year,value\nelderly_beds,2025,1" + b"," * 1_000_000 + b"\n")
    _xlsx_bomb(tmp / "bomb.xlsx", 3_000_000)
    sparse = tmp / "sparse20g.toml"
    with sparse.open("wb") as fh:
        fh.truncate(20 * 2**30)
    (tmp / "a_file").write_text("x")
    (tmp / "a_dir").mkdir()
    token = base64.urlsafe_b64encode(zlib.compress(("a" + ".a" * 120_000 + " = 1\n").encode(), 9)).decode()
    (tmp / "link.txt").write_text(token.rstrip("="))
    s = str(tmp)
    return [
        ("toml_int_400_digits_seed", ["run", "--scenario", f"{s}/int400.toml", "--json"]),
        ("toml_int_400_digits_float_key", ["run", "--scenario", f"{s}/int400_float.toml", "--json"]),
        ("toml_int_5000_digits", ["run", "--scenario", f"{s}/int5000.toml", "--json"]),
        ("toml_nested_2000", ["run", "--scenario", f"{s}/nested2000.toml", "--json"]),
        ("toml_dotted_120k_parts", ["run", "--scenario", f"{s}/dotted120k.toml", "--json"]),
        ("link_412_chars", ["@link", f"{s}/link.txt"]),
        ("csv_1m_trailing_commas", ["backtest", "--district", "banan", "--actuals", f"{s}/wide1mb.csv", "--json"]),
        ("xlsx_bomb_3m_rows", ["backtest", "--district", "banan", "--actuals", f"{s}/bomb.xlsx", "--json"]),
        ("des_inst100_los0.1_rep1", ["simulate", "--scenario", f"{s}/des_heavy.toml", "--replications", "1",
                                     "--json"]),
        ("year_open_at_base_year", ["run", "--scenario", f"{s}/year_open_base.toml", "--json"]),
        ("shares_100_plus_100", ["run", "--scenario", f"{s}/shares.toml", "--json"]),
        ("sparse_20g_scenario", ["run", "--scenario", str(sparse), "--json"]),
        ("out_is_dir", ["report", "--district", "banan", "--format", "html", "--out", f"{s}/a_dir"]),
        ("out_under_file", ["report", "--district", "banan", "--format", "html", "--out", f"{s}/a_file/x.html"]),
        ("scenario_is_dir", ["run", "--scenario", f"{s}/a_dir", "--json"]),
        ("solve_target_nan", ["solve", "--district", "wulong", "--indicator", "nursing_bed_share", "--lever",
                              "nursing_share_of_new_beds", "--target", "nan", "--json"]),
        ("targets_mc_negative", ["targets", "--district", "banan", "--mc", "-5", "--json"]),
        ("simulate_jobs_100000", ["simulate", "--district", "banan", "--replications", "1", "--jobs", "100000",
                                  "--json"]),
        ("simulate_seed_huge", ["simulate", "--district", "banan", "--replications", "1", "--seed", "9" * 40,
                                "--json"]),
    ]


LINK_SNIPPET = """
import sys, time
from models.data import load_dataset
ds = load_dataset()
token = open(sys.argv[1]).read()
from models import presets, share
from models.errors import ShapanError
try:
    presets.load_bytes(share.decode(token), ds, file="?s=")
except ShapanError as err:
    print(err.message("zh"), file=sys.stderr)
    sys.exit(2)
"""


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


def run(name: str, args: list[str], timeout: float) -> str:
    if args[0] == "@link":
        cmd = [sys.executable, "-c", LINK_SNIPPET, args[1]]
    else:
        cmd = [sys.executable, "-m", "models.cli", *args]
    start, cpu0 = time.perf_counter(), _child_cpu()
    capped = args[0] != "report"  # vl-convert's V8 reserves more address space than the cap allows
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit if capped else None,
                              env=os.environ | {"PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        return f"{name:32s} >{timeout:6.1f}s  TIMEOUT (killed)"
    took, cpu = time.perf_counter() - start, _child_cpu() - cpu0
    err = proc.stderr.strip()
    tb = "traceback" if "Traceback" in err else "clean"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    first = (lines[-1] if tb == "traceback" else lines[0]) if lines else "(no stderr)"
    first = first if len(first) <= 150 else first[:150] + f"…[{len(first)} chars]"
    return (f"{name:32s} {took:7.2f}s wall {cpu:6.2f}s cpu  exit {proc.returncode}  {tb:9s} "
            f"stderr {len(err):>8d} B  {first}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--only", nargs="*")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in build(Path(tmp)):
            if opts.only and name not in opts.only:
                continue
            print(run(name, args, opts.timeout), flush=True)


if __name__ == "__main__":
    main()
