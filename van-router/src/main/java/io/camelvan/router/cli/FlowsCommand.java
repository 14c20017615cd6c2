package io.camelvan.router.cli;

import static io.camelvan.router.cli.Formats.bytes;
import static io.camelvan.router.cli.Formats.list;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router flows}: the most recent TCP flows and HTTP requests, of this router or of the network. */
@Command(name = "flows", mixinStandardHelpOptions = true,
    description = {"Show the most recent flow records, newest first: each TCP connection and HTTP request that came in "
        + "at a listener, where it was served, how long it took, the bytes each way and how it ended.",
        "Each router keeps its last 1000 records in memory. With --network, the records of every router are gathered "
        + "on demand."})
final class FlowsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--network", description = "Gather the records of every router of the network.")
    boolean network;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N records (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--routing-key", paramLabel = "KEY", description = "Only the flows of this routing key.")
    String routingKey;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), json or yaml.")
    OutputFormat output;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("limit", limit);
        if (routingKey != null) {
            options.put("routingKey", routingKey);
        }
        ManagementClient.Reply reply;
        try (ManagementClient client = ManagementClient.connect(site, null)) {
            reply = client.request("QUERY", network ? "networkFlow" : "flow", null, options);
        }
        if (!reply.ok()) {
            throw new IllegalStateException("the router answered " + reply.status() + ": " + reply.description());
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> flows = network ? list(reply.entity(), "flows") : reply.entities();
        if (!output.printData(out, reply.body())) {
            TextTable t = new TextTable("FLOWS (newest first)", "START", "PROTOCOL", "ROUTING KEY", "FROM", "TO", "DURATION",
                "FROM CLIENT", "FROM SERVER", "OUTCOME");
            flows.forEach(f -> t.row(f.get("start"), f.get("protocol"), f.get("routingKey"),
                f.get("sourceSite") + "/" + f.get("listener"),
                f.get("destinationSite") == null ? "-" : f.get("destinationSite") + "/" + f.get("connector"),
                f.get("durationMs") + " ms", bytes(f.get("bytesFromClient")), bytes(f.get("bytesFromServer")),
                f.get("outcome") + (f.get("httpStatus") != null ? " " + f.get("httpStatus") : "")));
            t.print(out);
            if (network && reply.entity().get("unanswered") instanceof Map<?, ?> missing && !missing.isEmpty()) {
                out.println("Routers that did not answer: " + missing);
            }
            out.flush();
        }
        return 0;
    }
}
