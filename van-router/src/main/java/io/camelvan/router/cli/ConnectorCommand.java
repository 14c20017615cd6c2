package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router connector}: the TCP and HTTP connectors of a running router, and of its site file. */
@Command(name = "connector", mixinStandardHelpOptions = true,
    description = {"TCP and HTTP connectors: consumers of a routing key that connect to a server at HOST:PORT; the key "
        + "is reachable from every site while a connector exists.",
        "Changes are made to the running router through its management endpoint and written to the site file, "
        + "so they survive a restart."},
    subcommands = {ServiceCreateCommand.class, ServiceDeleteCommand.class, ServiceListCommand.class})
final class ConnectorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, delete or list");
    }
}
