#!/usr/bin/python3
"""Receive COUNT messages from ADDRESS, accepting each, and print what arrived.

Prints "READY" once the receiver is attached, one line "MSG <seq> <body>" per message (seq is the
application property the sender set), then "RESULT received=N". Exits 0 after COUNT messages
(with --until-end: once the sender's END marker arrives, however many came before it),
3 on timeout, 1 on an AMQP error.
"""
import argparse
import sys

from proton.handlers import MessagingHandler
from proton.reactor import Container


class Receive(MessagingHandler):
    def __init__(self, args):
        super().__init__(prefetch=args.prefetch)
        self.args = args
        self.received = 0
        self.exit_code = 0

    def on_start(self, event):
        self.conn = event.container.connect(self.args.url, reconnect=False)
        event.container.create_receiver(self.conn, self.args.address)
        self.timer = event.container.schedule(self.args.timeout, self)

    def on_link_opened(self, event):
        print("READY", flush=True)

    def on_message(self, event):
        message = event.message
        if self.args.until_end and (message.properties or {}).get("end"):
            print("END", flush=True)
            self.finish()
            return
        seq = (message.properties or {}).get("seq", "-")
        print("MSG %s %s" % (seq, message.body), flush=True)
        self.received += 1
        if self.received == self.args.count and not self.args.until_end:
            self.finish()

    def finish(self):
        # MessagingHandler accepts after on_message returns; proton writes that before the close
        self.timer.cancel()
        self.conn.close()

    def on_timer_task(self, event):
        print("timed out after %ss with %d of %d messages" % (self.args.timeout, self.received, self.args.count),
              file=sys.stderr)
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
    parser.add_argument("--address", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--until-end", action="store_true",
                        help="stop at the sender's END marker instead of after COUNT messages")
    parser.add_argument("--prefetch", type=int, default=100, help="credit window")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before giving up")
    args = parser.parse_args()
    handler = Receive(args)
    Container(handler).run()
    print("RESULT received=%d" % handler.received, flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
