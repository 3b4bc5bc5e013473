import uuid

from sqlalchemy.orm import Session

from app.models import ApiKey


def issue_api_key(db: Session, owner_id: int) -> str:
    key = uuid.uuid1().hex
    db.add(ApiKey(owner_id=owner_id, key=key))
    db.commit()
    return key
