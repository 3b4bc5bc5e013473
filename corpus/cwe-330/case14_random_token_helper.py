import secrets


def random_token(nbytes: int = 16) -> str:
    return secrets.token_hex(nbytes)


class ApiKeyFactory:
    prefix = "sk_live_"

    def new_key(self) -> str:
        return self.prefix + random_token(24)
