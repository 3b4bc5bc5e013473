import pytest
from django.contrib.auth.models import User


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.com", password="correct-horse-battery")


def test_login_redirects(client, alice):
    resp = client.post("/login/", {"username": "alice", "password": "correct-horse-battery"})
    assert resp.status_code == 302


def test_wrong_password(client, alice):
    resp = client.post("/login/", {"username": "alice", "password": "nope"})
    assert resp.status_code == 200
