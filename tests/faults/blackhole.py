"""A TCP server that accepts connections and never answers: a hung Redis, or one behind a dead network path.

It counts what it is sent, so a test can tell whether a client tried again
without timing anything.
"""

import socket
import threading


class Blackhole:
    def __init__(self):
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.connections = 0
        self.received = 0
        self._lock = threading.Lock()
        self._clients: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, name="blackhole", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _address = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._clients.append(client)
            threading.Thread(target=self._swallow, args=(client,), daemon=True).start()

    def _swallow(self, client: socket.socket) -> None:
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.received += len(data)

    def attempts(self) -> tuple[int, int]:
        with self._lock:
            return self.connections, self.received

    def close(self) -> None:
        self._closed = True
        self._server.close()
        with self._lock:
            for client in self._clients:
                client.close()


def closed_port_url() -> str:
    """A Redis URL on which nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"
