"""The README stays true: every setting the portal reads is in its configuration table."""

from portal.config import PROJECT_ROOT, SETTINGS


def test_every_setting_is_documented_in_the_readme_with_its_default():
    readme = (PROJECT_ROOT / "README.md").read_text()
    for setting in SETTINGS:
        default = "—" if setting.default in (None, "") else f"`{setting.default}`"
        assert f"| `{setting.name}` | {default} |" in readme, setting.name
