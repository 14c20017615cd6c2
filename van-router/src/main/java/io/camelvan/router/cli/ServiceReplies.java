package io.camelvan.router.cli;

import java.util.Map;

/** What the service verbs make of a management reply: its entity, or the error it says, with the CLI's exit codes. */
final class ServiceReplies {

    private ServiceReplies() {
    }

    /**
     * The reply's entity.
     *
     * @throws UsageException for a request the router refused (exit 2: bad name, taken, port in use)
     * @throws IllegalStateException for a failure of the router (exit 1)
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> body(ManagementClient.Reply reply) {
        check(reply);
        return reply.body() instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static void check(ManagementClient.Reply reply) {
        if (reply.ok()) {
            return;
        }
        if (reply.status() >= 400 && reply.status() < 500) {
            throw new UsageException("the router refused: " + reply.description());
        }
        throw new IllegalStateException("the router failed (" + reply.status() + "): " + reply.description());
    }
}
