package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router ca}: the site's certificate authority. */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "The site's certificate authority: rotate it.",
    subcommands = {CaRotateCommand.class})
final class CaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: rotate");
    }
}
