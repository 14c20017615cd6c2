package io.camelvan.itests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces joined by veth pairs, so that a link between two routers can really be cut
 * ({@code ip link set down}) without touching anything else. Each namespace gets a veth to the
 * test's own namespace (the test reaches its routers' AMQP and admin ports there), and
 * {@link #wire} joins two namespaces with a veth of their own. Addresses are in a {@code 10.N/16}
 * that no route of this machine uses. Needs root (CAP_NET_ADMIN) and {@code ip}; closing removes
 * everything made.
 */
final class NamespaceLab implements AutoCloseable {

    private final String tag = HexFormat.of().formatHex(new byte[] {(byte) ThreadLocalRandom.current().nextInt()})
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(16, 256));
    private final int octet;
    private final Map<String, Integer> indexes = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, String[]> wires = new LinkedHashMap<>();

    NamespaceLab() {
        this.octet = freeOctet();
    }

    /** Whether namespaces can be made here (root, {@code ip netns}); made and removed once to find out. */
    static boolean available() {
        String probe = "cvf-probe-" + ProcessHandle.current().pid();
        try {
            ip("netns", "add", probe);
            ip("netns", "del", probe);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A new namespace, loopback up, with a veth to this one; returns the namespace's address on it. */
    String namespace(String name) {
        int index = indexes.size() + 1;
        String ns = namespaceName(name);
        ip("netns", "add", ns);
        namespaces.add(ns);
        indexes.put(name, index);
        ip("-n", ns, "link", "set", "lo", "up");
        String outside = "cv" + tag + index + "o";
        String inside = "cv" + tag + index + "i";
        ip("link", "add", outside, "type", "veth", "peer", "name", inside);
        ip("link", "set", inside, "netns", ns);
        ip("addr", "add", "10." + octet + "." + index + ".1/30", "dev", outside);
        ip("link", "set", outside, "up");
        ip("-n", ns, "addr", "add", host(name) + "/30", "dev", inside);
        ip("-n", ns, "link", "set", inside, "up");
        return host(name);
    }

    String namespaceName(String name) {
        return "cvf" + tag + "-" + name;
    }

    /** The address of a namespace on its veth to this one. */
    String host(String name) {
        return "10." + octet + "." + index(name) + ".2";
    }

    /** A veth pair between two namespaces; {@link #addressOn} gives each end's address. */
    void wire(String x, String y) {
        String[] ends = {"cv" + tag + index(x) + index(y) + "x", "cv" + tag + index(x) + index(y) + "y"};
        ip("link", "add", ends[0], "type", "veth", "peer", "name", ends[1]);
        ip("link", "set", ends[0], "netns", namespaceName(x));
        ip("link", "set", ends[1], "netns", namespaceName(y));
        ip("-n", namespaceName(x), "addr", "add", addressOn(x, y) + "/30", "dev", ends[0]);
        ip("-n", namespaceName(y), "addr", "add", addressOn(y, x) + "/30", "dev", ends[1]);
        wires.put(x + "-" + y, ends);
        up(x, y);
    }

    /** The address of {@code site}'s end of the wire between it and {@code other}. */
    String addressOn(String site, String other) {
        int low = Math.min(index(site), index(other));
        int high = Math.max(index(site), index(other));
        return "10." + octet + "." + (100 + low * 10 + high) + "." + (index(site) == low ? 1 : 2);
    }

    /** Cuts the wire: both ends down (the kernel drops its routes; nothing crosses it). */
    void down(String x, String y) {
        setLink(x, y, "down");
    }

    void up(String x, String y) {
        setLink(x, y, "up");
    }

    private void setLink(String x, String y, String state) {
        String[] ends = wires.get(x + "-" + y);
        boolean reversed = ends == null;
        if (reversed) {
            ends = wires.get(y + "-" + x);
        }
        if (ends == null) {
            throw new IllegalArgumentException("no wire between " + x + " and " + y);
        }
        ip("-n", namespaceName(reversed ? y : x), "link", "set", ends[0], state);
        ip("-n", namespaceName(reversed ? x : y), "link", "set", ends[1], state);
    }

    private int index(String name) {
        Integer index = indexes.get(name);
        if (index == null) {
            throw new IllegalArgumentException("no namespace " + name + " (" + indexes.keySet() + ")");
        }
        return index;
    }

    /** Deleting a namespace deletes its veths, and with them their peers. */
    @Override
    public void close() {
        for (String ns : namespaces) {
            try {
                ip("netns", "del", ns);
            } catch (RuntimeException e) {
                System.err.println("could not remove network namespace " + ns + ": " + e.getMessage());
            }
        }
    }

    /** A second octet N such that no address or route of this machine is in 10.N/16. */
    private static int freeOctet() {
        String routes = ip("route", "show") + ip("addr", "show");
        for (int tries = 0; tries < 100; tries++) {
            int candidate = ThreadLocalRandom.current().nextInt(150, 250);
            if (!routes.contains("10." + candidate + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.N/16 for the namespaces");
    }

    private static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
