STATE_FILE = "/tmp/agent-state.json"
POLL_SECONDS = 30
