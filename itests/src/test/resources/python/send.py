#!/usr/bin/python3
"""Send COUNT messages to ADDRESS and wait until every one is settled.

Message i has id "<prefix>-i", body "<prefix>-i" and application property seq=i.
With --end-marker, once those are settled it sends one more message, body "END" with property
end=true, so receivers can tell that nothing more is coming (receive.py --until-end).
Prints one line "RESULT sent=.. accepted=.. released=.. rejected=.. modified=.." (counting the
COUNT messages, not the marker) and exits 0 when all are settled, 3 on timeout, 1 on an AMQP error.
"""
import sys

from proton import Message
from proton.reactor import Container

from script_handler import ScriptHandler, parser as make_parser


class Send(ScriptHandler):
    def __init__(self, args):
        super().__init__(args)
        self.sent = 0
        self.outcomes = {"accepted": 0, "released": 0, "rejected": 0, "modified": 0}
        self.end_marker = None

    def on_start(self, event):
        self.conn = event.container.connect(self.args.url, reconnect=False)
        event.container.create_sender(self.conn, self.args.address)
        self.timer = event.container.schedule(self.args.timeout, self)

    def on_sendable(self, event):
        sender = event.sender
        while sender.credit > 0 and self.sent < self.args.count:
            name = "%s-%d" % (self.args.prefix, self.sent)
            sender.send(Message(id=name, body=name, properties={"seq": self.sent}))
            self.sent += 1

    def on_accepted(self, event):
        self.count_outcome(event, "accepted")

    def on_rejected(self, event):
        self.count_outcome(event, "rejected")

    def on_released(self, event):
        # MessagingHandler reports modified as released too; tell them apart
        modified = event.delivery.remote_state == event.delivery.MODIFIED
        self.count_outcome(event, "modified" if modified else "released")

    def count_outcome(self, event, outcome):
        if event.delivery != self.end_marker:
            self.outcomes[outcome] += 1

    def on_settled(self, event):
        if event.delivery == self.end_marker:
            self.finish(event)
        elif sum(self.outcomes.values()) == self.args.count:
            if self.args.end_marker:
                self.end_marker = event.sender.send(Message(id="END", body="END", properties={"end": True}))
            else:
                self.finish(event)

    def progress(self):
        return "sent %d, settled %d" % (self.sent, sum(self.outcomes.values()))

    def finish(self, event):
        self.timer.cancel()
        self.conn.close()


def main():
    parser = make_parser(__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--prefix", default="msg", help="message id and body prefix")
    parser.add_argument("--end-marker", action="store_true", help="finish with an END message")
    args = parser.parse_args()
    handler = Send(args)
    Container(handler).run()
    print("RESULT sent=%d %s" % (handler.sent, " ".join("%s=%d" % kv for kv in handler.outcomes.items())),
          flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
