package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router link}: links to other sites without a token's round trip, and their removal. */
@Command(name = "link", mixinStandardHelpOptions = true,
    description = "Links to other sites: a link file generated on one site and created on the other (no network round trip), "
        + "deleting a link, and the state of the running router's links.",
    subcommands = {LinkGenerateCommand.class, LinkCreateCommand.class, LinkDeleteCommand.class, LinkStatusCommand.class})
final class LinkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: generate, create, delete or status");
    }
}
