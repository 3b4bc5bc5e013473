import json
import logging

LOG = logging.getLogger(__name__)


def ship_audit_events(queue, sink):
    while True:
        event = queue.get()
        if event is None:
            break
        try:
            sink.write(json.dumps(event) + "\n")
        except:
            continue
