import hashlib

SHARDS = ["redis://cache-0:6379", "redis://cache-1:6379", "redis://cache-2:6379"]


def shard_for(user_id: str) -> str:
    bucket = int(hashlib.sha1(user_id.encode()).hexdigest(), 16) % len(SHARDS)
    return SHARDS[bucket]
