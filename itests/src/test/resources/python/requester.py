#!/usr/bin/python3
"""Send COUNT requests to ADDRESS and collect the replies on a dynamic (router-named) address.

Request i has message-id "req-i", body "request i" and reply-to the dynamic receiver's address;
at most IN_FLIGHT requests are outstanding. Each reply must carry the correlation-id of an
outstanding request and the body "REQUEST i". Prints "REPLY_TO <address>", one line
"REPLY <correlation-id> <body>" per reply, then "RESULT requests=.. replies=.. mismatches=..".
Exits 0 when every request got its right reply, 2 on a mismatch, 3 on timeout, 1 on an AMQP error.
"""
import sys

from proton import Message
from proton.reactor import Container

from script_handler import ScriptHandler, parser as make_parser


class Requester(ScriptHandler):
    def __init__(self, args):
        super().__init__(args)
        self.reply_to = None
        self.sent = 0
        self.outstanding = {}  # correlation id -> expected reply body
        self.replies = 0
        self.mismatches = 0

    def on_start(self, event):
        self.conn = event.container.connect(self.args.url, reconnect=False)
        self.sender = event.container.create_sender(self.conn, self.args.address)
        self.receiver = event.container.create_receiver(self.conn, None, dynamic=True)
        self.timer = event.container.schedule(self.args.timeout, self)

    def on_link_opened(self, event):
        if event.receiver == self.receiver:
            self.reply_to = event.receiver.remote_source.address
            print("REPLY_TO %s" % self.reply_to, flush=True)
            self.send_requests()

    def on_sendable(self, event):
        self.send_requests()

    def send_requests(self):
        while (self.reply_to and self.sender.credit > 0 and self.sent < self.args.count
               and len(self.outstanding) < self.args.in_flight):
            request_id = "req-%d" % self.sent
            self.outstanding[request_id] = "REQUEST %d" % self.sent
            self.sender.send(Message(id=request_id, reply_to=self.reply_to, body="request %d" % self.sent))
            self.sent += 1

    def on_message(self, event):
        reply = event.message
        print("REPLY %s %s" % (reply.correlation_id, reply.body), flush=True)
        expected = self.outstanding.pop(reply.correlation_id, None)
        if expected is None or reply.body != expected:
            print("unexpected reply %r (correlation-id %r), expected %r" % (reply.body, reply.correlation_id,
                  expected), file=sys.stderr)
            self.mismatches += 1
        self.replies += 1
        if self.replies == self.args.count:
            self.timer.cancel()
            self.conn.close()
        else:
            self.send_requests()

    def progress(self):
        return "%d replies of %d" % (self.replies, self.args.count)


def main():
    parser = make_parser(__doc__, default_address="requests")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--in-flight", type=int, default=10, help="requests outstanding at once")
    args = parser.parse_args()
    handler = Requester(args)
    Container(handler).run()
    print("RESULT requests=%d replies=%d mismatches=%d" % (handler.sent, handler.replies, handler.mismatches),
          flush=True)
    if handler.exit_code == 0 and (handler.mismatches or handler.outstanding):
        handler.exit_code = 2
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
