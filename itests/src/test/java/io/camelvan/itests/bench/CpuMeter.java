package io.camelvan.itests.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * CPU time spent by a target's own threads (told apart by name), so a scenario can report the
 * server-side cost per message. Unlike a rate or a latency, that figure does not depend much on
 * what else the (shared) machine is doing, which makes it the steadier one to compare.
 */
public final class CpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuMeter() {
    }

    /** CPU time of a group of threads: total and in user mode (the rest is in the kernel). */
    public record Usage(long totalNanos, long userNanos) {

        public Usage minus(Usage earlier) {
            return new Usage(totalNanos - earlier.totalNanos, userNanos - earlier.userNanos);
        }

        public Usage plus(Usage other) {
            return new Usage(totalNanos + other.totalNanos, userNanos + other.userNanos);
        }

        /** The share of the time spent in the kernel (system calls, wake-ups), 0..1. */
        public double kernelShare() {
            return totalNanos == 0 ? Double.NaN : (double) (totalNanos - userNanos) / totalNanos;
        }
    }

    /** CPU time used so far by the live threads whose names match. */
    public static Usage usage(Predicate<String> threadName) {
        return usageByGroup(name -> threadName.test(name) ? "" : null).getOrDefault("", new Usage(0, 0));
    }

    /** CPU time used so far by the live threads, summed by the group each thread's name maps to (null: left out). */
    public static Map<String, Usage> usageByGroup(Function<String, String> groupOfThread) {
        Map<String, Usage> groups = new TreeMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            String group = infos[i] == null ? null : groupOfThread.apply(infos[i].getThreadName());
            if (group != null) {
                long t = THREADS.getThreadCpuTime(ids[i]);
                long u = THREADS.getThreadUserTime(ids[i]);
                if (t > 0 && u >= 0) {
                    groups.merge(group, new Usage(t, u), Usage::plus);
                }
            }
        }
        return groups;
    }

    /** Whether a thread is one of the benchmark's clients: protonj2 I/O threads and the harness's own. */
    public static boolean isClientThread(String threadName) {
        return threadName.startsWith("ClientConnection") || threadName.equals("main")
            || threadName.startsWith("bench-");
    }

    /** The 1-minute load average of the machine, or NaN where /proc/loadavg cannot be read. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }
}
