"""The documentation tells the truth: every setting and every management command is documented."""

import re
from pathlib import Path

from django.core.management import get_commands

import brobygget

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = Path(brobygget.__file__).parent / "settings.py"


def test_every_environment_variable_read_by_the_settings_is_in_the_readme():
    source = SETTINGS.read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', source))
    names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', source))
    readme = (ROOT / "README.md").read_text()

    undocumented = sorted(name for name in names if f"`{name}`" not in readme)

    assert len(names) > 10
    assert not undocumented, f"Not in README.md's configuration table: {undocumented}"


def test_every_management_command_of_brobygget_is_in_the_operations_guide():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("brobygget."))
    guide = (ROOT / "docs" / "operations.md").read_text()

    undocumented = [name for name in ours if f"manage.py {name}" not in guide]

    assert "demo_load" in ours
    assert not undocumented, f"Not in docs/operations.md: {undocumented}"


def test_the_readme_gives_the_two_commands_first():
    readme = (ROOT / "README.md").read_text()

    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
