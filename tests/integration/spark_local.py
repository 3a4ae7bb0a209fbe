"""The local PySpark session that the tests comparing ember with Apache Spark use as their reference:
one place for the skip when Java or pyspark is missing, and for the session's settings."""
import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
EMBER = BUILD / "ember"


def require_pyspark():
    """Skips the calling test module (at import) when Java or pyspark is missing; returns pyspark."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime: PySpark needs one (./dev.sh installs openjdk-17-jre-headless)",
                    allow_module_level=True)
    return pytest.importorskip("pyspark", reason="pyspark is not installed (requirements-dev.txt pins it)")


def local_spark(app, threads=2, log_level="ERROR", java_options="-XX:+UseSerialGC", **conf):
    """A local[threads] SparkSession with the UI off and a small driver; `conf` adds settings
    (keys with dots: pass them as **{"spark.sql.session.timeZone": "UTC"})."""
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.master(f"local[{threads}]").appName(app)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", "512m")
               .config("spark.driver.extraJavaOptions", java_options))
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(log_level)
    return session


def require_binaries(*binaries):
    for binary in binaries:
        if not binary.exists():
            pytest.fail(f"{binary} is missing: build first (./dev.sh test builds it)")
