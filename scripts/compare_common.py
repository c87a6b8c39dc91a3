"""Shared helpers of scripts/compare.py and scripts/sweep.py (standard library only).

Runs a Google Benchmark binary with JSON output while streaming its console
lines to stderr with a [done/total] counter, and reduces the JSON to one time
per benchmark: the fastest repetition (the least disturbed on a shared host).
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

TIME_UNITS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def log(message):
  sys.stderr.write(message + "\n")
  sys.stderr.flush()


def list_benchmarks(binary, args):
  """Names the binary would run with `args` (filter, --sizes, ...)."""
  out = subprocess.run([binary, "--benchmark_list_tests=true"] + args, check=True,
                       stdout=subprocess.PIPE, universal_newlines=True).stdout
  return [line.strip() for line in out.splitlines() if line.strip()]


def run_benchmark(binary, args, repetitions=1, min_time=None, label=None, extra_env=None,
                  timer="auto"):
  """Runs `binary args`, returns (runs, context) from its JSON output.

  runs: dict name -> {"ns": fastest repetition's time in ns, "runs": [...],
  plus counters and label of that repetition}; errors (skipped benchmarks) are
  kept with "error": message and no "ns". timer: see reduce_runs.
  """
  names = list_benchmarks(binary, args)
  total = len(names)
  if total == 0:
    log("  (nothing to run for %s %s)" % (os.path.basename(binary), " ".join(args)))
    return {}, {}
  handle, json_path = tempfile.mkstemp(prefix="twopass-bench-", suffix=".json")
  os.close(handle)
  command = [binary] + list(args) + [
      "--benchmark_out=" + json_path, "--benchmark_out_format=json",
      "--benchmark_color=false", "--benchmark_counters_tabular=false",
  ]
  if repetitions > 1:
    command += ["--benchmark_repetitions=%d" % repetitions,
                "--benchmark_display_aggregates_only=true",
                "--benchmark_enable_random_interleaving=true"]
  if min_time is not None:
    command.append("--benchmark_min_time=%g" % min_time)
  log("%s: %d benchmarks x %d repetitions%s" % (
      label or os.path.basename(binary), total, repetitions,
      "" if min_time is None else ", min time %gs" % min_time))
  env = dict(os.environ)
  env.update(extra_env or {})
  start = time.time()
  process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True, env=env, bufsize=1)
  finished = set()
  name_set = set(names)
  for line in process.stdout:
    line = line.rstrip("\n")
    first = line.split(" ", 1)[0]
    # A benchmark is done when it prints "<name>" (one repetition), its
    # "<name>_median" line (all repetitions done) or an error.
    base = first[:-len("_median")] if first.endswith("_median") else first
    error = "ERROR OCCURRED" in line
    if base in name_set and base not in finished and (
        error or repetitions == 1 or first.endswith("_median")):
      finished.add(base)
      log("  [%3d/%d %s] %s" % (len(finished), total, format_seconds(time.time() - start),
                                " ".join(line.split())))
    elif (line.strip() and not line.startswith(("-", "Benchmark ")) and base not in name_set
          and not first.endswith(("_mean", "_stddev", "_cv"))):
      log("  " + line)  # the binary's own messages (context, warnings)
  rc = process.wait()
  try:
    with open(json_path) as f:
      data = json.load(f)
  except (OSError, ValueError) as e:
    raise SystemExit("%s failed (exit %d), no JSON: %s" % (binary, rc, e))
  finally:
    os.unlink(json_path)
  if rc != 0:
    log("warning: %s exited with %d" % (binary, rc))
  return reduce_runs(data, timer), data.get("context", {})


MULTI_THREADED = re.compile(r"/t([2-9]|[1-9][0-9]+)(/|$)")


def reduce_runs(data, timer="auto"):
  """One entry per benchmark name (the /real_time or /manual_time suffix dropped).

  timer: "real" (wall time), "cpu" (the benchmark thread's CPU time) or "auto":
  CPU time for single-threaded benchmarks, where all the work runs on the
  benchmark thread (on an idle machine it equals wall time; on a shared one it
  leaves out the time other processes held the core), wall time for /t2 and
  other multi-threaded ones. Manually timed benchmarks keep their own time.
  """
  runs = {}
  for b in data.get("benchmarks", []):
    if b.get("run_type", "iteration") != "iteration":
      continue
    raw = b.get("run_name", b["name"])
    name = raw
    for suffix in ("/real_time", "/manual_time"):
      if name.endswith(suffix):
        name = name[:-len(suffix)]
    entry = runs.setdefault(name, {"name": name, "runs": []})
    if b.get("error_occurred"):
      entry["error"] = b.get("error_message", "error")
      continue
    unit = TIME_UNITS[b.get("time_unit", "ns")]
    use_cpu = timer == "cpu" or (timer == "auto" and not MULTI_THREADED.search(name))
    if raw.endswith("/manual_time"):
      use_cpu = False
    ns = (b["cpu_time"] if use_cpu else b["real_time"]) * unit
    entry["timer"] = "cpu" if use_cpu else ("manual" if raw.endswith("/manual_time") else "real")
    entry["runs"].append(ns)
    real_ns = b["real_time"] * unit
    entry["real_min_ns"] = min(entry.get("real_min_ns", real_ns), real_ns)
    if "ns" not in entry or ns < entry["ns"]:
      entry["ns"] = ns
      entry["label"] = b.get("label", "")
      for key, value in b.items():
        if isinstance(value, (int, float)) and key not in entry and key not in (
            "real_time", "cpu_time", "iterations", "repetition_index", "repetitions",
            "threads", "family_index", "per_family_instance_index"):
          entry[key] = value
      entry["real_ns"] = b["real_time"] * unit
      entry["cpu_ns"] = b["cpu_time"] * unit
      for key in ("passes", "rows", "channels", "l2_cache_bytes", "elements", "bytes"):
        if key in b:
          entry[key] = b[key]
  return runs


def format_seconds(seconds):
  return "%d:%02d" % (seconds // 60, seconds % 60)


def geomean(values):
  values = [v for v in values if v > 0]
  if not values:
    return float("nan")
  return math.exp(sum(math.log(v) for v in values) / len(values))


def find_binary(build_dir, name):
  for candidate in (os.path.join(build_dir, "bench", name), os.path.join(build_dir, name)):
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
      return candidate
  return None


def matplotlib_python():
  """A Python interpreter that can import matplotlib, or None."""
  candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3")]
  for python in candidates:
    if not python or not os.path.exists(python):
      continue
    try:
      subprocess.run([python, "-c", "import matplotlib"], check=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
      return python
    except (subprocess.CalledProcessError, OSError):
      continue
  return None


def plot(spec, png_path):
  """Draws spec (see scripts/plot_softmax.py) into png_path; False if no matplotlib."""
  python = matplotlib_python()
  if python is None:
    log("matplotlib not found (Debian: apt-get install python3-matplotlib); no plot written")
    return False
  handle, spec_path = tempfile.mkstemp(prefix="twopass-plot-", suffix=".json")
  with os.fdopen(handle, "w") as f:
    json.dump(spec, f)
  try:
    subprocess.run([python, os.path.join(ROOT, "scripts", "plot_softmax.py"), spec_path,
                    png_path], check=True)
  finally:
    os.unlink(spec_path)
  return True


def short_count(n):
  """4096 -> '4096', 65536 -> '64Ki', 1000000 -> '1M', 67108864 -> '64Mi', 32000 -> '32k'."""
  if n >= 10000:
    for value, suffix in ((1 << 20, "Mi"), (10**6, "M"), (1 << 10, "Ki"), (10**3, "k")):
      if n >= value and n % value == 0:
        return "%d%s" % (n // value, suffix)
  return str(n)


def parse_count(text):
  m = re.match(r"^([0-9.eE+]+)(k|M|G|Ki|Mi|Gi)?$", text.strip())
  if not m:
    raise ValueError("bad count: %r" % text)
  scale = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "Ki": 1 << 10, "Mi": 1 << 20,
           "Gi": 1 << 30}[m.group(2)]
  return int(round(float(m.group(1)) * scale))


def host_description(context):
  return context.get("twopass_host") or context.get("host_name") or "unknown host"


def table(headers, rows, markdown):
  """The rows as aligned text columns, or as a Markdown table."""
  widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h))
            for i, h in enumerate(headers)]
  lines = []
  if markdown:
    lines.append("| " + " | ".join(str(h) for h in headers) + " |")
    lines.append("|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|")
    for r in rows:
      lines.append("| " + " | ".join(str(c) for c in r) + " |")
  else:
    lines.append("  ".join(str(h).rjust(w) for h, w in zip(headers, widths)))
    for r in rows:
      lines.append("  ".join(str(c).rjust(w) for c, w in zip(r, widths)))
  return "\n".join(lines)


def cache_lines(context):
  """Vertical markers where a row's input + output (8 B/element) fills L2 and L3."""
  lines = []
  for key, name in (("cpuinfo_l2_cache_bytes", "L2"), ("cpuinfo_l3_cache_bytes", "L3")):
    try:
      size = int(context.get(key, 0))
    except ValueError:
      size = 0
    if size:
      lines.append({"x": size / 8, "label": "x+y = " + name})
  return lines
