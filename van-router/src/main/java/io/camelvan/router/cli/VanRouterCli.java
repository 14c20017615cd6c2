package io.camelvan.router.cli;

import java.time.Clock;
import java.util.Objects;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code van-router} command. Exit codes: 0 success, 1 failure at run time, 2 bad usage or
 * bad configuration.
 */
@Command(name = "van-router", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Camel VAN router: an AMQP 1.0 router for a Virtual Application Network.",
    subcommands = {InitCommand.class, RunCommand.class, DemoCommand.class, GenerateCommand.class, TokenCommand.class, LinkCommand.class, CaCommand.class,
        ListenerCommand.class, ConnectorCommand.class, StatusCommand.class, FlowsCommand.class, CommandLine.HelpCommand.class})
public final class VanRouterCli {

    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_CONFIG = 2;

    private final Clock clock;

    private VanRouterCli(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

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
        // the management client's connection notices would mix with the output of status and the like,
        // and a router that cannot be reached is reported once, by the command itself
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.qpid.protonj2.client", "error");
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine() {
        return commandLine(Clock.systemUTC());
    }

    /** The command line with the time it runs at (when tokens are issued, whether they expired); for tests. */
    public static CommandLine commandLine(Clock clock) {
        return new CommandLine(new VanRouterCli(clock)).setExecutionExceptionHandler(new ErrorHandler())
            .setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The clock of the command line a (sub)command runs in. */
    static Clock clock(CommandSpec spec) {
        return ((VanRouterCli) spec.root().userObject()).clock;
    }
}
