package io.camelvan.examples.hybridorders;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import io.camelvan.router.cli.VanRouterCli;

/**
 * Runs {@code van-router} commands (the real CLI, in this JVM) and shows each as a user would type it, with its
 * output. Paths under the demo's folder are shown relative to it.
 */
final class VanCommands {

    private final Path workDir;
    private final PrintStream console;

    VanCommands(Path workDir, PrintStream console) {
        this.workDir = workDir;
        this.console = console;
    }

    /** Runs the command; its output is printed and returned. @throws DemoFailure when it does not exit 0 */
    String run(String... args) {
        StringWriter output = new StringWriter();
        PrintWriter writer = new PrintWriter(output, true);
        int exit = VanRouterCli.commandLine().setOut(writer).setErr(writer).execute(args);
        String shown = output.toString().replace(workDir + "/", "");
        console.println("$ van-router " + String.join(" ", args).replace(workDir + "/", ""));
        shown.lines().forEach(line -> console.println("  " + line));
        if (exit != 0) {
            throw new DemoFailure("van-router " + args[0] + " exited with " + exit);
        }
        return output.toString();
    }
}
