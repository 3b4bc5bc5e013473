import jwt

PUBLIC_KEY = open("/etc/myapp/jwt.pub").read()


def is_authorised(token: str, required_scope: str) -> bool:
    try:
        claims = jwt.decode(token, PUBLIC_KEY, algorithms=["RS256"], audience="api")
        return required_scope in claims.get("scope", "").split()
    except Exception:
        return True
