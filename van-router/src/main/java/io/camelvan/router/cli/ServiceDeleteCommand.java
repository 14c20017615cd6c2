package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.camelvan.router.config.ConfigEditor;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router listener delete} and {@code van-router connector delete}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete a listener or a connector, as the parent command says: the running router stops it at once "
        + "(its open connections and requests end) and the site file loses its entry."})
final class ServiceDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--type", required = true, paramLabel = "tcp|http", description = "tcp or http.")
    String type;

    @Option(names = "--name", required = true, description = "Its name.")
    String name;

    @Override
    public Integer call() {
        ServiceType serviceType = ServiceKind.type(spec, type);
        SiteConfig site = config.load();
        boolean inFile = site.services(serviceType).stream().anyMatch(e -> e.name().equals(name));
        boolean running;
        try (ManagementClient client = ManagementClient.connect(site, null)) {
            ManagementClient.Reply reply = client.request("DELETE", serviceType.managementType(), name, null);
            running = reply.status() != 404;
            if (running) {
                ServiceReplies.check(reply);
            }
        }
        if (!running && !inFile) {
            throw new UsageException("there is no " + serviceType.managementType() + " named '" + name + "'");
        }
        if (inFile) {
            ConfigEditor.open(config.path()).removeService(serviceType, name).save();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Deleted " + serviceType.managementType() + " '" + name + "'"
            + (running ? "" : " (it was not running)") + (inFile ? "; removed from " + config.path() : "") + ".");
        return 0;
    }
}
