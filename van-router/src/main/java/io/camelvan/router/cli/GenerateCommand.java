package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router generate}: deployment files for a site. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate deployment files for this site.",
    subcommands = {GenerateKubernetesCommand.class})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: kubernetes");
    }
}
