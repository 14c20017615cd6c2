#!/usr/bin/python3
"""Receive COUNT messages from ADDRESS, accepting each, and print what arrived.

Prints "READY" once the receiver is attached, one line "MSG <seq> <body>" per message (seq is the
application property the sender set), then "RESULT received=N". Exits 0 after COUNT messages
(with --until-end: once the sender's END marker arrives, however many came before it),
3 on timeout, 1 on an AMQP error.
"""
import sys

from proton.reactor import Container

from script_handler import ScriptHandler, parser as make_parser


class Receive(ScriptHandler):
    def __init__(self, args):
        super().__init__(args, prefetch=args.prefetch)
        self.received = 0

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

    def progress(self):
        return "%d of %d messages" % (self.received, self.args.count)


def main():
    parser = make_parser(__doc__)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--until-end", action="store_true",
                        help="stop at the sender's END marker instead of after COUNT messages")
    parser.add_argument("--prefetch", type=int, default=100, help="credit window")
    args = parser.parse_args()
    handler = Receive(args)
    Container(handler).run()
    print("RESULT received=%d" % handler.received, flush=True)
    sys.exit(handler.exit_code)


if __name__ == "__main__":
    main()
