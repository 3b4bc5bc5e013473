def ensure_can_edit(user, document):
    assert document.owner_id == user.id or user.is_superuser, "not allowed"
