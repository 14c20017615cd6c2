package io.camelvan.router.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code van-router token}: access tokens, by which another site links to this one. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Access tokens: issue one on this site, redeem it on another site to link it here, revoke it.",
    subcommands = {TokenIssueCommand.class, TokenRedeemCommand.class, TokenRevokeCommand.class})
final class TokenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: issue, redeem or revoke");
    }
}
