package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.camelvan.router.config.ConfigEditor;
import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ServiceConfig;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.config.ServiceValidator;
import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router listener create} and {@code van-router connector create}. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Create a listener (a local port whose connections or requests go to the routing key) or a "
        + "connector (a consumer of the routing key that connects to HOST:PORT), as the parent command says.",
        "The running router starts it at once; the site file gets the entry so that it survives a restart. Nothing is "
        + "written when the router refuses it or cannot be reached."})
final class ServiceCreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--type", required = true, paramLabel = "tcp|http", description = "tcp: every connection is a flow; "
        + "http: every HTTP/1.1 request is a message.")
    String type;

    @Option(names = "--name", required = true, description = "Its name, unique among the site's entries of the type.")
    String name;

    @Option(names = "--routing-key", paramLabel = "KEY", description = "The service's address in the network (default: the name).")
    String routingKey;

    @Option(names = "--host", description = "Listener: the address to listen on; connector: the server's host "
        + "(default: 127.0.0.1).")
    String host;

    @Option(names = "--port", required = true, description = "Listener: the port to listen on (0: any free port); "
        + "connector: the server's port.")
    int port;

    @Override
    public Integer call() {
        ServiceType serviceType = ServiceKind.type(spec, type);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("name", name);
        attributes.put("routingKey", routingKey != null ? routingKey : name);
        if (host != null) {
            attributes.put("host", host);
        }
        attributes.put("port", port);
        ServiceConfig entry = ConfigLoader.yaml().convertValue(attributes, serviceType.configClass());
        List<ServiceValidator.Problem> problems = ServiceValidator.problems(entry);
        if (!problems.isEmpty()) {
            ServiceValidator.Problem first = problems.get(0);
            throw new UsageException("--" + option(first.field()) + ": " + first.reason());
        }
        SiteConfig site = config.load();
        try {
            ConfigEditor.open(config.path()).addService(entry).preview();
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        Map<String, Object> created;
        try (ManagementClient client = ManagementClient.connect(site, null)) {
            attributes.remove("name");
            created = ServiceReplies.body(client.request("CREATE", serviceType.managementType(), name, attributes));
        }
        ConfigEditor.open(config.path()).addService(entry).save();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created " + serviceType.managementType() + " '" + name + "' for routing key '" + entry.routingKey()
            + "' " + (serviceType.isListener() ? "listening on " : "connecting to ") + entry.host() + ":"
            + created.getOrDefault("port", entry.port()) + "; written to " + config.path() + ".");
        return 0;
    }

    private static String option(String field) {
        return field.equals("routingKey") ? "routing-key" : field;
    }
}
