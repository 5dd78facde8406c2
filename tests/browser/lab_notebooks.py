#!/usr/bin/env python3
"""Runs notebooks in JupyterLab in a real browser, as a person would, and checks what they show.

Usage (through scripts/browser-test, which installs what this needs):
  tests/browser/lab_notebooks.py [--out DIR] [--chromium PATH] [NOTEBOOK ...]

Starts JupyterLab on a free 127.0.0.1 port with a token and a settings folder of its own (all
cells attached, no autosave, no news), opens each notebook in Chromium (Playwright, the system
browser), runs "Run > Run All Cells" from the menu, waits for the kernel to be idle, then checks:
  - every code cell ran and no output is an error or stderr text;
  - the first code cell reports the kernel ok;
  - a DataFrame shows as an HTML table with its shape, header and rows (if the notebook shows one);
  - every figure is an SVG of non-zero size inside its output area, with no horizontal
    overflow, and not shrunk below MIN_SCALE of its natural width (its 12 px labels stay legible).
Saves a full-page screenshot per notebook (DIR/NAME.png) and the server's log (DIR/lab.log).
The notebook files are not written to. Prints one line per notebook and "N passed, M failed".
"""
import argparse, json, os, re, secrets, shutil, signal, socket, subprocess, sys, tempfile, time
import urllib.request

from playwright.sync_api import sync_playwright

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}  # a laptop screen; Lab's file browser stays open
MIN_SCALE = 0.7  # labels are 12 px at natural size: at least 8.4 px on screen
RUN_TIMEOUT_S = float(os.environ.get("BROWSER_TEST_TIMEOUT", "900"))
# Lab's settings for the test: every cell in the page (so each can be measured), nothing saved,
# no request for news.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(settings_dir, log_path):
    """Starts JupyterLab on notebooks/; returns (process, base URL, token)."""
    for rel, values in LAB_SETTINGS.items():
        path = os.path.join(settings_dir, "user-settings", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(values, f)
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={os.path.join(REPO, 'notebooks')}",
           f"--LabApp.user_settings_dir={os.path.join(settings_dir, 'user-settings')}",
           f"--LabApp.workspaces_dir={os.path.join(settings_dir, 'workspaces')}",
           # Lab checkpoints a notebook it opens: keep that copy out of the repository.
           f"--FileCheckpoints.checkpoint_dir={os.path.join(settings_dir, 'checkpoints')}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return proc, base, token
        except OSError:
            time.sleep(0.5)
    stop_lab(proc)
    raise RuntimeError(f"JupyterLab did not answer on {base} within 120 s; see {log_path}")


def shut_down_kernels(base, token):
    """Ends every kernel session, so that the next notebook's kernel gets the built slot back."""
    def call(method, path):
        req = urllib.request.Request(f"{base}{path}", method=method,
                                     headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None
    for session in call("GET", "/api/sessions"):
        call("DELETE", f"/api/sessions/{session['id']}")


def wait_kernel_idle(base, token, name, timeout=300):
    """Waits until the notebook's kernel has started and is idle (JupyterLab's sessions API)."""
    req = urllib.request.Request(f"{base}/api/sessions", headers={"Authorization": f"token {token}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(req, timeout=30) as r:
            sessions = json.loads(r.read())
        states = [x["kernel"]["execution_state"] for x in sessions if x["path"].endswith(name)]
        if states == ["idle"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"the kernel of {name} was not idle within {timeout} s")


def stop_lab(proc):
    """Stops the server and the kernels it started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


PROMPTS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim())"""
STATUS_JS = """() => { const e = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
    return e ? e.getAttribute('data-status') : null; }"""


def click_run_all(page):
    """Run > Run All Cells; clicked again (up to 3 times) until a cell is queued or has run."""
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        for _ in range(20):
            if any("*" in p or re.search(r"\d", p) for p in page.evaluate(PROMPTS_JS)):
                return
            time.sleep(0.5)
    raise AssertionError("Run > Run All Cells queued no cell")


def run_all(page):
    """Runs all cells, then waits until no cell is queued or running and the kernel idles."""
    click_run_all(page)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    quiet_since = None
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS_JS)
        busy = any("*" in p for p in prompts) or page.evaluate(STATUS_JS) != "idle"
        if not busy:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 2:
                return prompts
        else:
            quiet_since = None
        if page.locator(".jp-Dialog").count():
            raise AssertionError("a dialog opened: " + page.locator(".jp-Dialog").inner_text()[:300])
        time.sleep(0.5)
    raise AssertionError(f"cells still running after {RUN_TIMEOUT_S:.0f} s")


# Every figure's placement, measured in the page: its own box, the output area's, and whether
# anything in an output area is wider than the area (horizontal overflow).
FIGURES_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')].flatMap(out => {
  const area = out.getBoundingClientRect();
  const overflow = out.scrollWidth - out.clientWidth;
  return [...out.querySelectorAll('svg, img')].filter(e =>
      (e.tagName.toLowerCase() === 'img' || !e.parentElement.closest('svg')) &&
      !e.closest('.jp-InputPrompt')).map(e => {
    const r = e.getBoundingClientRect();
    const vb = e.tagName.toLowerCase() === 'svg' && e.viewBox.baseVal ? e.viewBox.baseVal.width : null;
    return {tag: e.tagName.toLowerCase(), natural: vb || e.naturalWidth || null,
            left: r.left, right: r.right, width: r.width, height: r.height,
            areaLeft: area.left, areaRight: area.right, overflow};
  });
})"""


def check_figures(page, problems):
    figures = page.evaluate(FIGURES_JS)
    for k, f in enumerate(figures, 1):
        where = f"figure {k} ({f['tag']}, natural width {f['natural']})"
        if f["width"] <= 0 or f["height"] <= 0:
            problems.append(f"{where}: no size ({f['width']:.0f} x {f['height']:.0f})")
        if f["left"] < f["areaLeft"] - 0.5 or f["right"] > f["areaRight"] + 0.5:
            problems.append(f"{where}: spans {f['left']:.0f}–{f['right']:.0f} px, outside its output "
                            f"area {f['areaLeft']:.0f}–{f['areaRight']:.0f} px")
        if f["overflow"] > 1:
            problems.append(f"{where}: its output area overflows by {f['overflow']} px")
        if f["natural"] and f["width"] / f["natural"] < MIN_SCALE:
            problems.append(f"{where}: shown at {f['width']:.0f} px, {f['width'] / f['natural']:.0%} "
                            f"of its natural width (12 px labels at {12 * f['width'] / f['natural']:.1f} px)")
    return figures


TABLES_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .listening-frame')]
  .map(e => ({shape: (e.querySelector('small') || {}).textContent || '',
              header: e.querySelectorAll('table.dataframe thead th').length,
              rows: e.querySelectorAll('table.dataframe tbody tr').length}))"""
ERRORS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
  .map(e => e.textContent.trim().slice(0, 300))"""
FIRST_OUTPUT_JS = """() => { const c = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-OutputArea');
    return c ? c.textContent : ''; }"""


def check_notebook(page, name, problems):
    """Runs one open notebook and appends what is wrong to `problems`; returns a summary."""
    prompts = run_all(page)
    not_run = [i for i, p in enumerate(prompts) if not re.search(r"\d", p)]
    if not_run:
        problems.append(f"code cells not run (0-based among code cells): {not_run}")
    for e in page.evaluate(ERRORS_JS):
        problems.append(f"error output: {e}")
    if "kernel ok" not in page.evaluate(FIRST_OUTPUT_JS):
        problems.append("the first cell does not report 'kernel ok': "
                        + page.evaluate(FIRST_OUTPUT_JS)[:300])
    tables = page.evaluate(TABLES_JS)
    for t in tables:
        m = re.fullmatch(r"shape: \((\d+), (\d+)\)", t["shape"].strip())
        if not m or int(m.group(2)) != t["header"] or t["rows"] == 0:
            problems.append(f"a DataFrame table without its shape, header or rows: {t}")
    figures = check_figures(page, problems)
    return f"{len(prompts)} code cells, {len(tables)} tables, {len(figures)} figures"


def screenshot(page, path):
    """The whole notebook in one picture: the viewport made as tall as the notebook's content."""
    scroller = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"
    height = page.evaluate(f"() => {{ const s = {scroller}; return s ? s.scrollHeight : 0; }}")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 200, 16000)})
    page.evaluate(f"() => {{ const s = {scroller}; if (s) s.scrollTop = 0; }}")
    time.sleep(1)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(VIEWPORT)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="*", default=["notebooks/00-getting-started.ipynb"])
    ap.add_argument("--out", default=os.path.join(REPO, "target", "browser"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault("LISTENING_DATA_DIR", os.path.join(REPO, "..", "shared", "data"))
    settings_dir = tempfile.mkdtemp(prefix="listening-lab-")
    proc, base, token = start_lab(settings_dir, os.path.join(args.out, "lab.log"))
    failed = passed = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_FLAGS)
            for k, nb in enumerate(args.notebooks):
                name = os.path.basename(nb)
                path = os.path.join(REPO, "notebooks", name)
                before = os.stat(path).st_mtime_ns
                page = browser.new_page(viewport=VIEWPORT)
                t0 = time.monotonic()
                problems = []
                try:
                    # A workspace of its own, reset: the page holds this notebook alone.
                    page.goto(f"{base}/lab/workspaces/test-{k}/tree/{name}?reset&token={token}")
                    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status='idle']",
                                           timeout=120_000)
                    wait_kernel_idle(base, token, name)
                    summary = check_notebook(page, name, problems)
                except Exception as e:  # a timeout or a failed click: reported as this notebook's failure
                    summary = f"{type(e).__name__}: {e}"
                    problems.append(summary)
                shot = os.path.join(args.out, name.replace(".ipynb", ".png"))
                try:
                    screenshot(page, shot)
                except Exception as e:
                    problems.append(f"no screenshot: {type(e).__name__}: {e}")
                page.close()
                shut_down_kernels(base, token)
                if os.stat(path).st_mtime_ns != before:
                    problems.append(f"{path} was written to during the test")
                status = "FAILED" if problems else "ok"
                print(f"{status:6} {name}  {time.monotonic() - t0:.1f} s  ({summary}); screenshot {os.path.relpath(shot, REPO)}")
                for p in problems:
                    print(f"         {p}")
                failed += bool(problems)
                passed += not problems
            browser.close()
    finally:
        stop_lab(proc)
        shutil.rmtree(settings_dir, ignore_errors=True)
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
