from Crypto.Cipher import ARC4


class ObfuscatedChannel:
    def __init__(self, sock, shared_key: bytes):
        self.sock = sock
        self._enc = ARC4.new(shared_key)
        self._dec = ARC4.new(shared_key)

    def send(self, data: bytes) -> None:
        self.sock.sendall(self._enc.encrypt(data))

    def recv(self, n: int) -> bytes:
        return self._dec.decrypt(self.sock.recv(n))
