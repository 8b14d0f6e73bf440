"""Where the portal keeps things when nothing is configured: everything under the instance folder."""

from portal.config import load_config


def test_uploads_default_under_the_instance_folder_and_upload_dir_still_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("UPLOAD_DIR", raising=False)
    config = load_config({"INSTANCE_PATH": str(tmp_path / "instance")})
    assert config["UPLOAD_DIR"] == str((tmp_path / "instance" / "uploads").resolve())
    config = load_config({"INSTANCE_PATH": str(tmp_path / "instance"), "UPLOAD_DIR": str(tmp_path / "files")})
    assert config["UPLOAD_DIR"] == str((tmp_path / "files").resolve())
