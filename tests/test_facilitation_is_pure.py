"""facilitation/ is the domain in plain Python: importing it loads no web or database library."""

import json
import subprocess
import sys

from app.settings import ROOT

FORBIDDEN = ("app", "fastapi", "starlette", "sqlmodel", "sqlalchemy", "jinja2")

PROBE = f"""
import importlib, json, pkgutil, sys
import facilitation
imported = []
for module in pkgutil.walk_packages(facilitation.__path__, "facilitation."):
    importlib.import_module(module.name)  # an ImportError fails the test: every module must load
    imported.append(module.name)
loaded = sorted(name for name in sys.modules if name.split(".")[0] in {FORBIDDEN!r})
print(json.dumps({{"imported": imported, "loaded": loaded}}))
"""


def test_importing_every_facilitation_module_loads_no_web_or_database_library():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"a facilitation module failed to import:\n{result.stderr}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "facilitation.phases" in report["imported"]
    assert "facilitation.notes" in report["imported"]
    assert report["loaded"] == [], f"facilitation/ pulled in {report['loaded']}"
