#!/usr/bin/python3
"""A request-reply service: consume requests from ADDRESS and answer each on its reply-to.

The reply's body is the request's body in upper case, its correlation-id the request's
correlation-id (or message-id when there is none). Replies go through one anonymous-relay sender
(no target; the router routes on each message's "to"). Prints "READY" once the request receiver is
attached and "RESULT served=N" at the end; stops after COUNT requests (0: run until killed).
"""
import argparse
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class Responder(MessagingHandler):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.served = 0
        self.replies_settled = 0
        self.exit_code = 0

    def on_start(self, event):
        self.conn = event.container.connect(self.args.url, reconnect=False)
        self.requests = event.container.create_receiver(self.conn, self.args.address)
        self.relay = event.container.create_sender(self.conn, None)  # anonymous relay
        self.timer = event.container.schedule(self.args.timeout, self)

    def on_link_opened(self, event):
        if event.link == self.requests:
            print("READY", flush=True)

    def on_message(self, event):
        request = event.message
        if not request.reply_to:
            print("request %s has no reply-to" % request.id, file=sys.stderr)
            self.exit_code = 1
            return
        correlation = request.correlation_id if request.correlation_id is not None else request.id
        self.relay.send(Message(address=request.reply_to, correlation_id=correlation,
                                body=str(request.body).upper()))
        self.served += 1

    def on_settled(self, event):
        if event.link == self.relay:
            self.replies_settled += 1
            if self.args.count and self.replies_settled == self.args.count:
                self.timer.cancel()
                self.conn.close()

    def on_timer_task(self, event):
        print("timed out after %ss having served %d" % (self.args.timeout, self.served), file=sys.stderr)
        self.exit_code = 3
        self.conn.close()

    def on_transport_error(self, event):
        print("transport error: %s" % event.transport.condition, file=sys.stderr)
        self.exit_code = 1

    def on_link_error(self, event):
        print("link error: %s" % event.link.remote_condition, file=sys.stderr)
        self.exit_code = 1
        self.conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="amqp://host:port")
    parser.add_argument("--address", default="requests")
    parser.add_argument("--count", type=int, default=0, help="requests to serve before exiting; 0 = forever")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before giving up")
    args = parser.parse_args()
    handler = Responder(args)
    Container(handler).run()
    print("RESULT served=%d" % handler.served, flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
