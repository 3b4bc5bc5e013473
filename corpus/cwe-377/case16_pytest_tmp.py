import json

from myapp.export import export_users


def test_export_writes_json(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORT_DIR", str(tmp_path))
    path = export_users([{"id": 1, "name": "Ada"}])
    assert json.loads((tmp_path / path).read_text()) == [{"id": 1, "name": "Ada"}]
