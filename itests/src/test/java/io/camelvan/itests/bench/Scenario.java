package io.camelvan.itests.bench;

import java.util.List;

/**
 * One benchmark scenario. The harness calls {@link #run} against each target, first for warm-up
 * (results discarded) and then for the measured runs, which it interleaves between the targets so
 * that drift in machine load is shared. Each run opens and closes its own connections; connection
 * set-up is outside the timed part.
 */
public interface Scenario {

    /** A short id used on the command line ({@code --scenarios}) and in the tables. */
    String id();

    /** A human title, e.g. "Small-message throughput (1 KiB, acknowledged end to end)". */
    String title();

    /** How it measures: client, message size, windows, counts. Goes into the results file. */
    String method();

    /** The figures each run reports, in table order. */
    List<Figure> figures();

    /** The key of the figure every warm-up run reports: work done per second, which rises while the JIT settles. */
    String PACE = "pace";

    /**
     * Runs once against a target, with the scenario's own client.
     *
     * @param warmUp true for a warm-up run: its result is discarded but for {@link #PACE}
     */
    Measurement run(Target target, boolean warmUp) throws Exception;

    /** Releases what the scenario kept between runs, after its last run (again when the harness stops; once is enough). */
    default void close() {
    }
}
