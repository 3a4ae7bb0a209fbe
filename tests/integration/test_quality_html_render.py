"""The HTML report of `ember check`, rendered by headless Chromium (Debian's `chromium` package).

The page must load without errors (it is self-contained: inline styles, no scripts, nothing
fetched), and the rendered page must show the verdict and the failing checks. Chromium's DOM dump
is the rendered text; its screenshot is a real PNG of the page.
"""
import os
import pathlib
import shutil
import struct
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / "build" / "ember"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_runs():
    # Ubuntu's "chromium" package is a wrapper around a snap, which does not run in a container.
    if CHROMIUM is None:
        return False
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


pytestmark = pytest.mark.skipif(not chromium_runs(), reason="no working chromium (Debian's chromium package)")


def chromium(args, cwd):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
             "--enable-logging=stderr", "--v=0"]
    return subprocess.run([CHROMIUM, *flags, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: build first (./dev.sh test builds it)")
    d = tmp_path_factory.mktemp("quality_html")
    with open(d / "orders.csv", "w") as f:
        f.write("id,amount,email\n")
        for i in range(300):
            oid = 7 if i % 100 == 0 else i
            amount = -1 if i % 30 == 0 else i
            email = "broken" if i % 25 == 0 else f"u{i}@example.com"
            f.write(f"{oid},{amount},{email}\n")
    (d / "spec.yaml").write_text(
        "dataset: {path: orders.csv, options: {header: true, inferSchema: true}}\n"
        "reports: {html: out/report.html}\n"
        "checks:\n"
        "  - description: keys & <sizes>\n"
        "    level: error\n"
        "    constraints:\n"
        "      - is_primary_key: [id]\n"
        "      - has_size: {ge: 100}\n"
        "  - description: values\n"
        "    level: warning\n"
        "    constraints:\n"
        "      - is_non_negative: amount\n"
        "      - contains_email: email\n"
    )
    result = subprocess.run([str(BINARY), "check", "spec.yaml"], cwd=d, capture_output=True, text=True,
                            env=dict(os.environ, TERM="dumb"), timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    return d, d / "out" / "report.html"


def test_rendered_page_shows_the_failing_checks(report):
    d, html = report
    dom = chromium(["--dump-dom", html.as_uri()], d)
    assert dom.returncode == 0, dom.stderr
    text = dom.stdout
    assert "Data quality: Error" in text
    assert "Failing constraints" in text
    for failing in ("PrimaryKey(id) == 1", "NonNegative(amount) == 1", "PatternMatch(email ~ email) == 1"):
        assert failing in text
    assert "keys &amp; &lt;sizes&gt;" in text  # the description is escaped, not markup
    # Nothing failed to load and no script errored: the page fetches nothing and runs nothing.
    for problem in ("Failed to load resource", "Uncaught", "net::ERR_"):
        assert problem not in dom.stderr, dom.stderr


def test_screenshot_is_a_png_of_the_page(report):
    d, html = report
    png = d / "report.png"
    shot = chromium([f"--screenshot={png}", "--window-size=1280,1400", html.as_uri()], d)
    assert shot.returncode == 0, shot.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1400)
    # A blank page compresses to a few KB; the report (banner, cards, tables) is far larger.
    assert len(data) > 20_000
