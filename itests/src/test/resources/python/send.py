#!/usr/bin/python3
"""Send COUNT messages to ADDRESS and wait until every one is settled.

Message i has id "<prefix>-i", body "<prefix>-i" and application property seq=i.
With --end-marker, once those are settled it sends one more message, body "END" with property
end=true, so receivers can tell that nothing more is coming (receive.py --until-end).
Prints one line "RESULT sent=.. accepted=.. released=.. rejected=.. modified=.." (counting the
COUNT messages, not the marker) and exits 0 when all are settled, 3 on timeout, 1 on an AMQP error.
"""
import argparse
import sys

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container


class Send(MessagingHandler):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.sent = 0
        self.outcomes = {"accepted": 0, "released": 0, "rejected": 0, "modified": 0}
        self.end_marker = None
        self.exit_code = 0

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

    def on_timer_task(self, event):
        print("timed out after %ss: sent %d, settled %d" % (self.args.timeout, self.sent,
              sum(self.outcomes.values())), file=sys.stderr)
        self.exit_code = 3
        self.conn.close()

    def on_transport_error(self, event):
        print("transport error: %s" % event.transport.condition, file=sys.stderr)
        self.exit_code = 1

    def on_link_error(self, event):
        print("link error: %s" % event.link.remote_condition, file=sys.stderr)
        self.exit_code = 1
        self.conn.close()

    def finish(self, event):
        self.timer.cancel()
        self.conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="amqp://host:port")
    parser.add_argument("--address", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--prefix", default="msg", help="message id and body prefix")
    parser.add_argument("--end-marker", action="store_true", help="finish with an END message")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before giving up")
    args = parser.parse_args()
    handler = Send(args)
    Container(handler).run()
    print("RESULT sent=%d %s" % (handler.sent, " ".join("%s=%d" % kv for kv in handler.outcomes.items())),
          flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
