package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.camelvan.router.config.ServiceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router listener list} and {@code van-router connector list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the listeners or connectors (as the parent command says) of the running router, with how they are doing.")
final class ServiceListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--type", paramLabel = "tcp|http", description = "Only this type (default: both).")
    String type;

    @Override
    public Integer call() {
        List<ServiceType> types = ServiceKind.types(spec, type);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TYPE", "NAME", "ROUTING KEY", "HOST", "PORT", "ACTIVE", ServiceKind.isListener(spec) ? "REACHABLE" : "WITHDRAWN"});
        try (ManagementClient client = ManagementClient.connect(config.load(), null)) {
            for (ServiceType t : types) {
                ManagementClient.Reply reply = client.request("QUERY", t.managementType(), null, Map.of());
                ServiceReplies.check(reply);
                for (Map<String, Object> e : reply.entities()) {
                    rows.add(new String[] {t.protocol(), text(e.get("name")), text(e.get("routingKey")), text(e.get("host")),
                        text(e.get("port")), text(e.get("active")),
                        text(e.get(ServiceKind.isListener(spec) ? "reachable" : "withdrawn"))});
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (rows.size() == 1) {
            out.println("No " + ServiceKind.noun(spec) + "s.");
            return 0;
        }
        int[] widths = new int[rows.get(0).length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format("%-" + (widths[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        return 0;
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }
}
