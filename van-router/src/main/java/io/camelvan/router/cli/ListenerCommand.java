package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router listener}: the TCP and HTTP listeners of a running router, and of its site file. */
@Command(name = "listener", mixinStandardHelpOptions = true,
    description = {"TCP and HTTP listeners: local ports whose connections (tcp) or requests (http) go to a routing key "
        + "anywhere in the network.",
        "Changes are made to the running router through its management endpoint and written to the site file, "
        + "so they survive a restart."},
    subcommands = {ServiceCreateCommand.class, ServiceDeleteCommand.class, ServiceListCommand.class})
final class ListenerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, delete or list");
    }
}
