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
