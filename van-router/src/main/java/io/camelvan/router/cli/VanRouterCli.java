package io.camelvan.router.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code van-router} command. Exit codes: 0 success, 1 failure at run time, 2 bad usage or
 * bad configuration.
 */
@Command(name = "van-router", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Camel VAN router: an AMQP 1.0 router for a Virtual Application Network.",
    subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class VanRouterCli {

    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_CONFIG = 2;

    public static void main(String[] args) {
        configureLogging();
        System.exit(execute(args));
    }

    /** Logs to stderr with timestamps; VAN_LOG_LEVEL (error, warn, info, debug, trace) sets the level. */
    private static void configureLogging() {
        String level = System.getenv().getOrDefault("VAN_LOG_LEVEL", "info");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        return new CommandLine(new VanRouterCli()).setExecutionExceptionHandler(new ErrorHandler());
    }
}
