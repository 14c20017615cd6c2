#!/usr/bin/python3
"""A request-reply service: consume requests from ADDRESS and answer each on its reply-to.

The reply's body is the request's body in upper case, its correlation-id the request's
correlation-id (or message-id when there is none). Replies go through one anonymous-relay sender
(no target; the router routes on each message's "to"). Prints "READY" once the request receiver is
attached and "RESULT served=N" at the end; stops after COUNT requests (0: run until killed).
"""
import sys

from proton import Message
from proton.reactor import Container

from script_handler import ScriptHandler, parser as make_parser


class Responder(ScriptHandler):
    def __init__(self, args):
        super().__init__(args)
        self.served = 0
        self.replies_settled = 0

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

    def progress(self):
        return "served %d" % self.served


def main():
    parser = make_parser(__doc__, default_address="requests")
    parser.add_argument("--count", type=int, default=0, help="requests to serve before exiting; 0 = forever")
    args = parser.parse_args()
    handler = Responder(args)
    Container(handler).run()
    print("RESULT served=%d" % handler.served, flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
