from itsdangerous import URLSafeTimedSerializer

serializer = URLSafeTimedSerializer("email-confirm-secret-9f8e7d", salt="email-confirm")


def confirmation_token(email: str) -> str:
    return serializer.dumps(email)


def confirm(token: str, max_age: int = 86400) -> str:
    return serializer.loads(token, max_age=max_age)
