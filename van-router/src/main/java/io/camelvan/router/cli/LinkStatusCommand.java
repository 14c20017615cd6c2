package io.camelvan.router.cli;

import static io.camelvan.router.cli.Formats.hostPort;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router link status}: the running router's outgoing links and whether each is up. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show the running router's outgoing links: host and port, cost, state (up, connecting or down) "
        + "and the router and site at the other end.")
final class LinkStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), json or yaml.")
    OutputFormat output;

    @Override
    public Integer call() {
        ManagementClient.Reply reply;
        try (ManagementClient client = ManagementClient.connect(config.load(), null)) {
            reply = client.request("QUERY", "link", null, Map.of());
        }
        if (!reply.ok()) {
            throw new IllegalStateException("the router answered " + reply.status() + ": " + reply.description());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!output.printData(out, reply.body())) {
            TextTable t = new TextTable("LINKS", "NAME", "HOST:PORT", "COST", "STATE", "PEER ROUTER", "PEER SITE");
            reply.entities().forEach(l -> t.row(l.get("name"), hostPort(l), l.get("cost"), l.get("state"),
                l.get("peerRouter"), l.get("peerSite")));
            t.print(out);
            out.flush();
        }
        return 0;
    }
}
