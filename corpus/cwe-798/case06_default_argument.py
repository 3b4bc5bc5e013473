import pika


class EventPublisher:
    def __init__(self, host="rabbitmq.internal", user="publisher", password="rabbit-Pub-2291"):
        creds = pika.PlainCredentials(user, password)
        self.conn = pika.BlockingConnection(pika.ConnectionParameters(host, credentials=creds))
        self.channel = self.conn.channel()

    def publish(self, routing_key: str, body: bytes) -> None:
        self.channel.basic_publish(exchange="events", routing_key=routing_key, body=body)
