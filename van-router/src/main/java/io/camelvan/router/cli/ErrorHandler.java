package io.camelvan.router.cli;

import io.camelvan.router.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns failures into one clear line on stderr and the documented exit code, no stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (e instanceof ConfigException) {
            cmd.getErr().println("error: bad configuration:");
            cmd.getErr().println(e.getMessage());
            return VanRouterCli.EXIT_BAD_CONFIG;
        }
        if (e instanceof UsageException) {
            cmd.getErr().println("error: " + e.getMessage());
            return VanRouterCli.EXIT_BAD_CONFIG;
        }
        cmd.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return VanRouterCli.EXIT_FAILURE;
    }
}
