import pika


class EventPublisher:
    def __init__(self, host: str, user: str, password: str | None = None):
        creds = pika.PlainCredentials(user, password or "")
        self.conn = pika.BlockingConnection(pika.ConnectionParameters(host, credentials=creds))
        self.channel = self.conn.channel()
