"""The counter's gunicorn worker: gunicorn's sync worker, given only requests that have fully arrived.

The sync worker reads a request with blocking calls, so a client that sends one byte a second holds a
whole worker for as long as it keeps sending (two such clients stopped both workers). This worker
reads every connection without blocking, many at once, and hands a request to the application only
when all of it is here (the head, and the body up to its Content-Length), as a buffering proxy would.
A request not complete within REQUEST_SECONDS is answered 408, a chunked body 411 (its end is not
known without parsing it; browsers send a Content-Length); after the answer, the connection is closed,
or drained and closed in the same loop when request bytes are left, never by a blocking wait. On
Linux, connections are accepted once their first bytes are here (TCP_DEFER_ACCEPT). What gunicorn
itself refuses (a bad request line, a line or headers too long) is answered in JSON like the app's.

    gunicorn -k site_generator.counter.worker.BufferingWorker ...   (what `build.py counter` uses)
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import selectors
import socket
import struct
import termios
import time
from dataclasses import dataclass, field

from gunicorn import http, util
from gunicorn.http import errors
from gunicorn.workers.sync import SyncWorker

REQUEST_SECONDS = 10.0          # a client must send its whole request within this, from its connection
LINGER_SECONDS = 2.0            # after the answer: wait this long at most for the client to close
MAX_HEAD = 64 * 1024            # header bytes kept before refusing with 431
MAX_BODY = 64 * 1024            # body bytes kept; a longer Content-Length is handed over (the app refuses it)
MAX_OPEN = 512                  # connections being read or closed at once per worker; the oldest go first
# as gunicorn reads it: no space before the colon (a header "Content-Length :" is refused, not waited for)
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d{1,18})[ \t]*\r\n", re.I)
CHUNKED = re.compile(rb"\r\ntransfer-encoding[ \t]*:[^\r]*chunked", re.I)

STATUS = {400: "Bad Request", 408: "Request Timeout", 411: "Length Required", 414: "URI Too Long",
          417: "Expectation Failed", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
          501: "Not Implemented"}


def unread_bytes(sock: socket.socket) -> int:
    """How many received bytes the socket holds, unread (0 when it cannot tell)."""
    try:
        return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0"))[0]
    except OSError:
        return 0


def json_error(status: int, code: str, message: str) -> bytes:
    body = json.dumps({"error": code, "message": message}).encode()
    return (f"HTTP/1.1 {status} {STATUS[status]}\r\nConnection: close\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def refusal_for(exc: BaseException) -> tuple[int, str, str]:
    """gunicorn's parse errors as (status, code, message), the way the app words its own."""
    if isinstance(exc, errors.LimitRequestLine):
        return 414, "too_long", "the request line is too long"
    if isinstance(exc, errors.LimitRequestHeaders):
        return 431, "headers_too_large", "too many or too large request headers"
    if isinstance(exc, errors.UnsupportedTransferCoding):
        return 501, "bad_request", "unsupported Transfer-Encoding"
    if isinstance(exc, errors.ExpectationFailed):
        return 417, "bad_request", "unsupported Expect header"
    if isinstance(exc, errors.ParseException):
        return 400, "bad_request", "malformed HTTP request"
    return 500, "internal", "internal error, try later"


TOO_LARGE = json_error(431, "headers_too_large", "too many or too large request headers")
CHUNKED_REFUSED = json_error(411, "length_required", "send the body with a Content-Length")
BARE_LF = json_error(400, "bad_request", "malformed HTTP request: end the lines with CRLF")


def complete(data: bytearray) -> bool | bytes:
    """True when data holds a whole request (its head, and its body up to Content-Length); False when
    more is to come; else the refusal to send. A chunked body is refused: its end cannot be known
    without parsing it, and the page script never sends one."""
    end = data.find(b"\r\n\r\n")
    bare = data.find(b"\n\n")                   # lines ended by LF alone: HTTP wants CRLF, and no browser sends it
    if bare >= 0 and (end < 0 or bare < end):
        return BARE_LF
    if end < 0:
        return TOO_LARGE if len(data) > MAX_HEAD else False
    head = data[:end + 2]
    if CHUNKED.search(head):
        return CHUNKED_REFUSED
    length = CONTENT_LENGTH.search(head)
    if length:                                  # longer than we keep: the app refuses it without reading it
        return int(length.group(1)) > MAX_BODY or len(data) - end - 4 >= int(length.group(1))
    return True


@dataclass(eq=False)
class Connection:
    sock: socket.socket
    addr: object
    listener: socket.socket
    deadline: float
    data: bytearray = field(default_factory=bytearray)
    registered: bool = False                        # with the selector


class BufferingWorker(SyncWorker):

    def run(self):
        if self.cfg.is_ssl:
            raise RuntimeError("the counter's worker does not speak TLS: let nginx or Apache terminate it")
        self.selector = selectors.DefaultSelector()
        # by file descriptor, oldest (first deadline) first: being read; answered and draining until closed
        self.reading: dict[int, Connection] = {}
        self.closing: dict[int, Connection] = {}
        for listener in self.sockets:
            listener.setblocking(False)
            if hasattr(socket, "TCP_DEFER_ACCEPT") and listener.family in (socket.AF_INET, socket.AF_INET6):
                # Linux: a connection is accepted once its first bytes are here, so a worker takes on a
                # request when it can serve it (as the sync worker did), and idle connections cost nothing
                listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, int(REQUEST_SECONDS))
            self.selector.register(listener, selectors.EVENT_READ, listener)
        self.selector.register(self.PIPE[0], selectors.EVENT_READ, None)
        try:
            while self.alive:
                self.notify()
                ready = [key.data for key, _ in self.selector.select(self._wait())]
                if len(ready) > 1:                      # requests already accepted first, then new connections
                    ready.sort(key=lambda data: not isinstance(data, Connection))
                for data in ready:
                    if data is None:
                        self._drain_pipe()
                    elif isinstance(data, Connection):
                        self._readable(data)
                    else:
                        self._accept(data)
                self._expire()
                if not self.is_parent_alive():
                    break
        finally:
            for conn in [*self.reading.values(), *self.closing.values()]:
                self._close(conn)
            self.selector.close()

    def _wait(self) -> float:
        if not (self.reading or self.closing):
            return 1.0
        firsts = [next(iter(d.values())).deadline for d in (self.reading, self.closing) if d]
        return max(0.0, min([1.0, *(at - time.monotonic() for at in firsts)]))

    def _drain_pipe(self):
        try:
            os.read(self.PIPE[0], 64)
        except OSError:
            pass

    def _drop_oldest(self) -> bool:
        for group in (self.closing, self.reading):
            if group:
                self._close(next(iter(group.values())))
                return True
        return False

    def _accept(self, listener):
        """One new connection per turn of the loop, so the requests already here are not kept waiting."""
        try:
            sock, addr = listener.accept()
        except OSError as error:                    # none left (EAGAIN), or out of descriptors
            if error.errno in (errno.EMFILE, errno.ENFILE):
                self._drop_oldest()
            return
        util.close_on_exec(sock)
        sock.setblocking(False)
        if len(self.reading) + len(self.closing) >= MAX_OPEN:
            self._drop_oldest()
        conn = Connection(sock, addr, listener, time.monotonic() + REQUEST_SECONDS)
        self.reading[sock.fileno()] = conn
        self._readable(conn)                        # the request is often here already
        if self.reading.get(sock.fileno()) is conn:
            self._register(conn)

    def _readable(self, conn: Connection):
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(conn)
        elif conn.sock.fileno() in self.reading:
            conn.data += data
            done = complete(conn.data)
            if done is True:
                self._serve(conn)
            elif done:
                self._answer(conn, done)

    def _expire(self):
        if not (self.reading or self.closing):
            return
        now = time.monotonic()
        for group in (self.reading, self.closing):
            while group:
                conn = next(iter(group.values()))
                if conn.deadline > now:
                    break
                if group is self.reading:
                    self._answer(conn, json_error(408, "timeout", "the request was not sent in time"))
                else:
                    self._close(conn)

    def _serve(self, conn: Connection):
        """Run the app on a whole request (blocking from here: everything it reads is buffered)."""
        self._forget(conn)
        sock, req = conn.sock, None
        sock.settimeout(2.0)                        # a backstop: nothing here should wait for the client
        try:
            parser = http.RequestParser(self.cfg, sock, conn.addr)
            parser.unreader.unread(bytes(conn.data))
            req = next(parser)
            self.handle_request(conn.listener, req, sock, conn.addr)
        except (errors.NoMoreData, StopIteration):
            pass
        except OSError as error:
            if error.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN, None):
                self.log.exception("Socket error processing request.")
        except BaseException as error:              # noqa: B036 (as gunicorn's sync worker: SystemExit too)
            self.handle_error(req, sock, conn.addr, error)
        self._linger(conn)

    def handle_error(self, req, client, addr, exc):
        status, code, message = refusal_for(exc)
        if status == 500:
            self.log.exception("Error handling request")
        else:
            self.log.debug("Invalid request: %s", exc)
        try:
            client.sendall(json_error(status, code, message))
        except OSError:
            pass

    def _answer(self, conn: Connection, response: bytes):
        try:
            conn.sock.send(response)                    # small: fits the socket buffer
        except OSError:
            pass
        self._linger(conn)

    def _linger(self, conn: Connection):
        """Close; with request bytes still unread, half-close first and wait (in the loop) for the client
        to close, so that the reset a close would send does not cut the answer short."""
        self._forget(conn)
        if conn.sock.fileno() < 0 or not unread_bytes(conn.sock):             # the usual case
            util.close(conn.sock)
            return
        try:
            conn.sock.setblocking(False)
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            util.close(conn.sock)
            return
        conn.data, conn.deadline = bytearray(), time.monotonic() + LINGER_SECONDS
        self.closing[conn.sock.fileno()] = conn
        self._register(conn)

    def _register(self, conn: Connection):
        if not conn.registered:
            self.selector.register(conn.sock, selectors.EVENT_READ, conn)
            conn.registered = True

    def _forget(self, conn: Connection):
        """Out of the loop's groups and selector (if in them)."""
        fd = conn.sock.fileno()
        for group in (self.reading, self.closing):
            if group.get(fd) is conn:
                del group[fd]
        if conn.registered:
            try:
                self.selector.unregister(conn.sock)
            except (KeyError, ValueError):              # closed meanwhile (the selector dropped it)
                pass
            conn.registered = False

    def _close(self, conn: Connection):
        self._forget(conn)
        util.close(conn.sock)
