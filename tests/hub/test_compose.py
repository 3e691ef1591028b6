"""The production compose file parses with Debian's docker-compose (no engine is needed)."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docker_compose_config_parses():
    docker_compose = shutil.which("docker-compose")
    assert docker_compose, "docker-compose is installed by bin/hub test"
    result = subprocess.run(
        [docker_compose, "config"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for service in ("db:", "redis:", "web:", "worker:", "beat:"):
        assert service in result.stdout


def test_web_and_worker_share_the_uploads_and_built_files():
    """Reports are written by the worker and downloaded through web; scheduled imports are
    uploaded through web and read by the worker: both mount the same media volume."""
    import yaml

    result = subprocess.run(
        [shutil.which("docker-compose"), "config"], cwd=ROOT, capture_output=True, text=True
    )
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("web", "worker"):
        assert any(
            str(volume).startswith("media:/app/media") for volume in services[name]["volumes"]
        ), name
