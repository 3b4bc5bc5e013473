import pytest

from myapp import create_app


@pytest.fixture
def app():
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test"})
    yield app


@pytest.fixture
def client(app):
    return app.test_client()
