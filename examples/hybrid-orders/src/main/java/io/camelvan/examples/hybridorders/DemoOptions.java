package io.camelvan.examples.hybridorders;

import java.nio.file.Path;

/** The demo's command line. */
record DemoOptions(int orders, boolean keepRunning, Path dir, int webPort) {

    static final String USAGE = """
        usage: java -jar hybrid-orders.jar [--orders N] [--keep-running] [--dir DIR] [--web-port PORT]
          --orders N        orders to send through the web front on cloud-a (default 6: 5 confirmed, 1 out of stock)
          --keep-running    after the orders, keep the three sites running until Ctrl-C (try curl yourself)
          --dir DIR         make the sites' folders in DIR (new or empty) and keep them; default: a temporary
                            folder, deleted at the end
          --web-port PORT   the web front's port on 127.0.0.1 (default: a free port)""";

    /** @throws IllegalArgumentException with the reason, on bad usage */
    static DemoOptions parse(String... args) {
        int orders = 6;
        boolean keepRunning = false;
        Path dir = null;
        int webPort = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--orders" -> orders = number(args, ++i, 1, 1000);
                case "--keep-running" -> keepRunning = true;
                case "--dir" -> dir = Path.of(value(args, ++i));
                case "--web-port" -> webPort = number(args, ++i, 1, 65535);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new DemoOptions(orders, keepRunning, dir, webPort);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, int min, int max) {
        String text = value(args, i);
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(args[i - 1] + " must be a whole number from " + min + " to " + max + ": "
            + text);
    }
}
