"""What the test scripts do alike: give up after --timeout, and report errors as exit codes."""
import argparse
import sys

from proton.handlers import MessagingHandler


class ScriptHandler(MessagingHandler):
    """A handler whose script exits 3 on timeout and 1 on a transport or link error.

    Subclasses set self.conn in on_start and say in progress() how far they got.
    """

    def __init__(self, args, **options):
        super().__init__(**options)
        self.args = args
        self.exit_code = 0
        self.conn = None

    def progress(self):
        return ""

    def on_timer_task(self, event):
        print("timed out after %ss: %s" % (self.args.timeout, self.progress()), file=sys.stderr)
        self.exit_code = 3
        self.conn.close()

    def on_transport_error(self, event):
        print("transport error: %s" % event.transport.condition, file=sys.stderr)
        self.exit_code = 1

    def on_link_error(self, event):
        print("link error: %s" % event.link.remote_condition, file=sys.stderr)
        self.exit_code = 1
        self.conn.close()


def parser(doc, default_address=None):
    """An argument parser with the options every script has: --url, --address, --timeout."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--url", required=True, help="amqp://host:port")
    if default_address is None:
        p.add_argument("--address", required=True)
    else:
        p.add_argument("--address", default=default_address)
    p.add_argument("--timeout", type=float, default=60, help="seconds before giving up")
    return p
