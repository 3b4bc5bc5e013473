import pytest

from docs_app.permissions import can_edit


class User:
    def __init__(self, uid, superuser=False):
        self.id = uid
        self.is_superuser = superuser


class Doc:
    def __init__(self, owner_id):
        self.owner_id = owner_id


@pytest.mark.parametrize("uid,superuser,expected", [(1, False, True), (2, False, False), (2, True, True)])
def test_can_edit(uid, superuser, expected):
    assert can_edit(User(uid, superuser), Doc(1)) is expected


def test_can_edit_requires_document():
    with pytest.raises(AttributeError):
        can_edit(User(1), None)
